import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** One nginx directive: its name, its arguments and, for a block, its children. */
export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/**
 * Parses nginx configuration text into directives. It knows the grammar
 * (words, quoted strings, `${var}`, comments, `;` and blocks), not the meaning
 * of directives, and throws with a line number on malformed input.
 */
export function parseNginxConfig(text: string): Directive[] {
  const tokens = tokenize(text);
  let i = 0;
  const parseBlock = (closing: boolean): Directive[] => {
    const out: Directive[] = [];
    for (;;) {
      const token = tokens[i];
      if (!token) {
        if (closing) throw new Error('nginx config: a block is not closed with "}".');
        return out;
      }
      if (token.kind === '}') {
        if (!closing) throw new Error(`nginx config line ${token.line}: unexpected "}".`);
        i++;
        return out;
      }
      if (token.kind !== 'word')
        throw new Error(`nginx config line ${token.line}: unexpected "${token.kind}".`);
      const words: string[] = [];
      while (tokens[i]?.kind === 'word') words.push((tokens[i++] as Token).value);
      const end = tokens[i];
      const [name, ...args] = words as [string, ...string[]];
      if (end?.kind === ';') {
        i++;
        out.push({ name, args });
      } else if (end?.kind === '{') {
        i++;
        out.push({ name, args, block: parseBlock(true) });
      } else {
        throw new Error(
          `nginx config line ${token.line}: directive "${name}" does not end with ";" or "{".`,
        );
      }
    }
  };
  return parseBlock(false);
}

/** Prints directives as nginx configuration text (comments are not kept). */
export function printNginxConfig(directives: readonly Directive[], depth = 0): string {
  const pad = '    '.repeat(depth);
  return directives
    .map((d) => {
      const head = [d.name, ...d.args].map(quote).join(' ');
      return d.block
        ? `${pad}${head} {\n${printNginxConfig(d.block, depth + 1)}${pad}}\n`
        : `${pad}${head};\n`;
    })
    .join('');
}

/** Directives named `name` directly inside `directives`. */
export function children(directives: readonly Directive[] | undefined, name: string): Directive[] {
  return (directives ?? []).filter((d) => d.name === name);
}

export interface LoopbackNginxOptions {
  /**
   * Upstream name → `host:port` of each instance; must name exactly the upstreams of the source.
   */
  upstreams: Record<string, readonly string[]>;
  /** Source `listen` address → loopback address; every `listen` of the source must be mapped. */
  listen: Record<string, string>;
  /** Folder served at `/` (the web client build). */
  webRoot: string;
  /** Folder for the pid file and temp files (nginx's workers must be able to enter it). */
  runDir: string;
  /** Folder that relative `include`s resolve against first (the deploy folder); then /etc/nginx. */
  includeDir: string;
  workerProcesses?: number;
}

/**
 * Renders the production nginx config (deploy/nginx.conf) for a cluster on
 * this machine: the upstreams point at the given instances, the servers listen
 * on the given loopback addresses, and pid and temp files live in runDir.
 * Everything else — routes, SSE settings, headers — stays as written, so the
 * loopback cluster exercises the real config.
 */
export function renderLoopbackNginxConfig(source: string, options: LoopbackNginxOptions): string {
  const root = parseNginxConfig(source);
  if (children(root, 'pid').length > 0)
    throw new Error('nginx config: the source must not set "pid" (the runner chooses it).');
  const workers = children(root, 'worker_processes')[0];
  if (workers && options.workerProcesses !== undefined)
    workers.args = [String(options.workerProcesses)];
  root.unshift({ name: 'pid', args: [join(options.runDir, 'nginx.pid')] });

  const http = children(root, 'http')[0];
  if (!http?.block) throw new Error('nginx config: no "http" block.');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => ({
    name: `${kind}_temp_path`,
    args: [join(options.runDir, 'tmp', kind)],
  }));
  http.block.unshift(...temp);

  const seen = new Set<string>();
  for (const upstream of children(http.block, 'upstream')) {
    const name = upstream.args[0] ?? '';
    const servers = options.upstreams[name];
    if (!servers || !upstream.block)
      throw new Error(`nginx config: no loopback instances given for upstream "${name}".`);
    seen.add(name);
    const at = upstream.block.findIndex((d) => d.name === 'server');
    const rest = upstream.block.filter((d) => d.name !== 'server');
    rest.splice(Math.max(0, at), 0, ...servers.map((s) => ({ name: 'server', args: [s] })));
    upstream.block = rest;
  }
  const missing = Object.keys(options.upstreams).filter((n) => !seen.has(n));
  if (missing.length > 0) throw new Error(`nginx config: no upstream named ${missing.join(', ')}.`);

  const listens = new Set<string>();
  walk(root, (d) => {
    if (d.name === 'listen') {
      const from = d.args[0] ?? '';
      const to = options.listen[from];
      if (!to) throw new Error(`nginx config: no loopback address given for "listen ${from}".`);
      d.args = [to, ...d.args.slice(1)];
      listens.add(from);
    } else if (d.name === 'root') {
      d.args = [options.webRoot];
    } else if (d.name === 'include') {
      const file = d.args[0] ?? '';
      if (!isAbsolute(file))
        d.args = [
          existsSync(join(options.includeDir, file))
            ? join(options.includeDir, file)
            : join('/etc/nginx', file),
        ];
    }
  });
  const unused = Object.keys(options.listen).filter((l) => !listens.has(l));
  if (unused.length > 0)
    throw new Error(`nginx config: no "listen ${unused.join('", "listen ')}" to replace.`);
  return printNginxConfig(root);
}

function walk(directives: readonly Directive[], visit: (d: Directive) => void): void {
  for (const d of directives) {
    visit(d);
    if (d.block) walk(d.block, visit);
  }
}

interface Token {
  kind: 'word' | ';' | '{' | '}';
  value: string;
  line: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === ';' || c === '{' || c === '}') {
      tokens.push({ kind: c, value: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        if (text[i] === '\n') line++;
        value += text[i];
        i++;
      }
      if (i >= text.length) throw new Error(`nginx config line ${line}: unterminated string.`);
      i++;
      tokens.push({ kind: 'word', value, line });
    } else {
      let value = '';
      // Inside a word, `#` and quotes are literal (as in nginx's own reader).
      while (i < text.length && !/[\s;{}]/.test(text[i] as string)) {
        if (text[i] === '$' && text[i + 1] === '{') {
          const close = text.indexOf('}', i);
          if (close < 0) throw new Error(`nginx config line ${line}: unterminated "\${".`);
          value += text.slice(i, close + 1);
          i = close + 1;
        } else {
          value += text[i];
          i++;
        }
      }
      tokens.push({ kind: 'word', value, line });
    }
  }
  return tokens;
}

function quote(word: string): string {
  return word === '' || /[\s;{}#"'\\]/.test(word)
    ? `'${word.replace(/[\\']/g, (m) => `\\${m}`)}'`
    : word;
}
