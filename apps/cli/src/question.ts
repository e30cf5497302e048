import { createInterface } from 'node:readline';
import type { Io } from './command.ts';

/**
 * Asks a question and resolves with the line typed (at a terminal, or the
 * next line of standard input when it is not one); '' when input ends, on
 * Ctrl-C, or when `signal` fires. The prompt goes to stderr.
 */
export function ask(io: Io, prompt: string, signal?: AbortSignal): Promise<string> {
  const lines = createInterface({
    input: io.stdin,
    output: process.stderr,
    terminal: io.stdin.isTTY === true,
  });
  return new Promise<string>((resolve) => {
    let answer = '';
    lines.once('close', () => resolve(answer));
    lines.once('SIGINT', () => {
      process.stderr.write('\n');
      lines.close();
    });
    signal?.addEventListener('abort', () => lines.close(), { once: true });
    lines.question(prompt, (line) => {
      answer = line.trim();
      lines.close();
    });
  }).finally(() => io.stdin.pause());
}
