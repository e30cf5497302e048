/**
 * Splits an XMPP stream into top-level stanzas (as raw XML strings). Enough
 * for server-generated XML: tags are found with indexOf('<') / indexOf('>'),
 * which holds because servers escape '<' and '>' in text and attributes.
 */
export class StanzaReader {
  private buffer = '';
  private pos = 0;
  private depth = 0;
  private start = -1;

  constructor(
    private readonly onStanza: (xml: string) => void,
    private readonly onStreamEnd: () => void,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const open = this.buffer.indexOf('<', this.pos);
      if (open < 0) break;
      const close = this.buffer.indexOf('>', open);
      if (close < 0) break;
      this.tag(open, close);
      this.pos = close + 1;
    }
    // Drop consumed text, keeping an unfinished stanza.
    const keepFrom = this.start >= 0 ? this.start : this.pos;
    if (keepFrom > 0) {
      this.buffer = this.buffer.slice(keepFrom);
      this.pos -= keepFrom;
      if (this.start >= 0) this.start = 0;
    }
  }

  private tag(open: number, close: number): void {
    const second = this.buffer.charCodeAt(open + 1);
    if (second === 63 /* ? */ || second === 33 /* ! */) return;
    if (this.buffer.startsWith('stream:stream', open + 1)) {
      this.depth = 1;
      this.start = -1;
      return;
    }
    if (this.buffer.startsWith('/stream:stream', open + 1)) {
      this.onStreamEnd();
      return;
    }
    if (second === 47 /* / */) {
      this.depth -= 1;
    } else {
      if (this.depth === 1) this.start = open;
      if (this.buffer.charCodeAt(close - 1) !== 47) this.depth += 1;
    }
    if (this.depth === 1 && this.start >= 0) {
      const stanza = this.buffer.slice(this.start, close + 1);
      this.start = -1;
      this.onStanza(stanza);
    }
  }
}
