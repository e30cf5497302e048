export interface CliOptions {
  quick: boolean;
  systems: string[] | undefined;
  scenarios: string[] | undefined;
  rchatUrl: string;
  rchatStart: boolean;
  rchatPort: number;
  write: boolean;
  help: boolean;
}

export const SCENARIO_IDS = [
  'unloaded-latency',
  'throughput',
  'fixed-rate',
  'fanout',
  'idle-connections',
  'auth-rate',
  'history',
  'cold-start',
  'client-crypto',
] as const;
const SCENARIO_NUMBERS: Record<string, string> = {
  '1': 'unloaded-latency',
  '2': 'throughput',
  '3': 'fixed-rate',
  '4': 'fanout',
  '5': 'idle-connections',
  '6': 'auth-rate',
  '7': 'history',
  '8': 'cold-start',
  '9': 'client-crypto',
};

export const USAGE = `npm run bench -- [options]
  --quick                 short counts and durations, one repetition (about 2 minutes)
  --systems=a,b           only these systems (ids or prefixes: rchat (also selects rchat-scaled, cold start, auth rate and
                          client crypto), rchat-scaled, prosody, ejabberd-relay, ws-relay, sse-relay, nats-raw, pg-insert, pg-sql, crypto)
  --scenarios=1,2,...     only these scenarios (numbers 1 to 9, or ids: ${SCENARIO_IDS.join(', ')})
  --rchat-url=URL         a running rchat platform (default $RCHAT_URL or http://127.0.0.1:8080);
                          when nothing answers there, the harness starts one with \`npm start\`
  --rchat-start           always start rchat with \`npm start\` (fresh DATA_DIR) on --rchat-port
  --rchat-port=N          port for a harness-started platform (default 18080)
  --no-write              print results only: no results file, no docs
A run restricted with --systems/--scenarios writes bench/results/<date>-partial.json and leaves docs/benchmarks.md alone.`;

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    quick: false,
    systems: undefined,
    scenarios: undefined,
    rchatUrl: process.env.RCHAT_URL ?? 'http://127.0.0.1:8080',
    rchatStart: false,
    rchatPort: 18080,
    write: true,
    help: false,
  };
  for (const arg of argv) {
    const [key, value] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, ''];
    const list = (): string[] =>
      value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    switch (key) {
      case '--quick':
        options.quick = true;
        break;
      case '--systems':
        options.systems = list();
        break;
      case '--scenarios':
        options.scenarios = list().map((s) => SCENARIO_NUMBERS[s] ?? s);
        break;
      case '--rchat-url':
        options.rchatUrl = value;
        break;
      case '--rchat-start':
        options.rchatStart = true;
        break;
      case '--rchat-port':
        options.rchatPort = Number(value);
        break;
      case '--no-write':
        options.write = false;
        break;
      case '--help':
      case '-h':
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  for (const s of options.scenarios ?? [])
    if (!(SCENARIO_IDS as readonly string[]).includes(s))
      throw new Error(`unknown scenario ${s}\n${USAGE}`);
  return options;
}

export function selected(filter: readonly string[] | undefined, id: string): boolean {
  return (
    filter === undefined ||
    filter.some((f) => id === f || id.startsWith(`${f}-`) || id.startsWith(f))
  );
}
