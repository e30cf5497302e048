/** One Server-Sent Event as the spec's parser assembles it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  retry: number | undefined;
}

/**
 * Incremental parser of the text/event-stream format (WHATWG HTML §9.2):
 * feed decoded text chunks, get complete events back.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const out: SseEvent[] = [];
    let nl: number;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + (this.buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length > 0 || this.retry !== undefined || this.id !== undefined) {
          out.push({
            id: this.id,
            event: this.event || 'message',
            data: this.data.join('\n'),
            retry: this.retry,
          });
        }
        this.data = [];
        this.event = '';
        this.id = undefined;
        this.retry = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
      else if (field === 'id' && !value.includes('\0')) this.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    }
    return out;
  }
}
