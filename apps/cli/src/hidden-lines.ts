import { CliError } from './command.ts';

/**
 * Reads lines from a terminal in raw mode, echoing nothing; Ctrl-C cancels.
 * Keys typed ahead (before the prompt) arrive in one chunk, so what follows
 * a line is kept for the next one. Prompts go to stderr.
 */
export class HiddenLines {
  private rest = '';

  constructor(private readonly stdin: NodeJS.ReadStream) {}

  read(prompt: string): Promise<string> {
    const stdin = this.stdin;
    process.stderr.write(prompt);
    return new Promise((resolve, reject) => {
      let value = '';
      const finish = (outcome: () => void) => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
        outcome();
      };
      const take = (text: string): boolean => {
        for (let i = 0; i < text.length; i++) {
          const ch = text.charAt(i);
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            this.rest = text.slice(ch === '\r' && text.charAt(i + 1) === '\n' ? i + 2 : i + 1);
            finish(() => resolve(value));
            return true;
          }
          if (ch === '\u0003') {
            finish(() => reject(new CliError('Cancelled.', 130)));
            return true;
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch >= ' ') value += ch;
        }
        return false;
      };
      const onData = (chunk: string) => void take(chunk);
      stdin.setRawMode(true);
      stdin.setEncoding('utf8');
      stdin.on('data', onData);
      stdin.resume();
      const typedAhead = this.rest;
      this.rest = '';
      take(typedAhead);
    });
  }
}
