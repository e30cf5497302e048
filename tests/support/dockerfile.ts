/**
 * Just enough of Dockerfile and .dockerignore syntax to check and replay
 * deploy/Dockerfile without a Docker engine: instructions (with `\` line
 * continuations and comments), stages, COPY's flags, exec-form (JSON) and
 * shell-form commands, and BuildKit's ignore patterns (`*`, `**`, `?`, `!`).
 */

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface Copy {
  /** The stage named by `--from=`, or undefined for the build context. */
  from: string | undefined;
  sources: string[];
  dest: string;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = (lines[i] ?? '').trim();
      line = `${line.slice(0, -1).trimEnd()} ${next.startsWith('#') ? '' : next}`.trimEnd();
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const instruction = { keyword: (m[1] as string).toUpperCase(), args: m[2] ?? '', line: first };
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = instruction.args.split(/\s+/);
      stages.push({
        name: as?.toUpperCase() === 'AS' && name ? name : String(stages.length),
        from,
        instructions: [],
      });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`line ${first}: ${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

export function parseCopy(args: string): Copy {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  let from: string | undefined;
  const rest: string[] = [];
  for (const w of words) {
    if (w.startsWith('--from=')) from = w.slice('--from='.length);
    else if (!w.startsWith('--')) rest.push(w);
  }
  const dest = rest.pop();
  if (!dest || rest.length === 0) throw new Error(`COPY ${args}: needs a source and a destination`);
  return { from, sources: rest, dest };
}

/**
 * A command in exec form (`["node", "x.mjs"]`) as its words, or in shell form as the string `sh -c`
 * runs.
 */
export function parseCommand(args: string): { exec: string[] } | { shell: string } {
  return args.trim().startsWith('[')
    ? { exec: JSON.parse(args) as string[] }
    : { shell: args.trim() };
}

/** HEALTHCHECK's options and its command (after `CMD`). */
export function parseHealthcheck(args: string): {
  options: Record<string, string>;
  command: ReturnType<typeof parseCommand>;
} {
  const m = /^((?:--[\w-]+=\S+\s+)*)CMD\s+(.*)$/.exec(args.trim());
  if (!m) throw new Error(`HEALTHCHECK ${args}: expected [options] CMD command`);
  const options = Object.fromEntries(
    (m[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((o) => o.slice(2).split('=') as [string, string]),
  );
  return { options, command: parseCommand(m[2] ?? '') };
}

export const instructionsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword);

/**
 * A .dockerignore as a predicate over context paths (relative, with `/`):
 * the last pattern that matches a path or one of its parent folders decides,
 * and a `!` pattern lets a path back in.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const pattern = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      return { negate, regex: new RegExp(`^${globToRegex(pattern)}$`) };
    });
  return (path: string) => {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regex.test(p))) ignored = !rule.negate;
    return ignored;
  };
}

function globToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of folders, including none.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
