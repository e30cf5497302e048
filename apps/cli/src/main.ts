// `rchat`: the terminal client (see apps/cli/bin/rchat.mjs and README.md).
import type { Io } from './command.ts';
import { runCli } from './cli.ts';
import { exitOnUnhandledStop } from './signals.ts';

const io: Io = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  stdin: process.stdin,
};

exitOnUnhandledStop();
const code = await runCli(process.argv.slice(2), process.env, io);
// Exit once the output is written: a stopped stream or an idle keep-alive connection must not hold
// the terminal.
await Promise.all(
  [process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))),
);
process.exit(code);
