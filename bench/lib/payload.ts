/**
 * Benchmark payloads carry the message id in their first bytes, so a receiver
 * can match a delivery to its send time without any side channel.
 */

const FILLER = 0x78; // 'x'

/** Binary payload: 4-byte little-endian id, then filler, `size` bytes in total. */
export function binaryPayload(id: number, size: number): Buffer {
  const buf = Buffer.alloc(Math.max(size, 4), FILLER);
  buf.writeUInt32LE(id >>> 0, 0);
  return buf;
}

export function binaryPayloadId(buf: Uint8Array): number {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).readUInt32LE(0);
}

const fillerCache = new Map<number, string>();

/** Text payload (for XML bodies): `<id>:` then filler, `size` characters in total. */
export function textPayload(id: number, size: number): string {
  const head = `${id}:`;
  const rest = Math.max(0, size - head.length);
  let filler = fillerCache.get(rest);
  if (filler === undefined) {
    filler = 'x'.repeat(rest);
    fillerCache.set(rest, filler);
  }
  return head + filler;
}

export function textPayloadId(text: string): number {
  return Number.parseInt(text.slice(0, text.indexOf(':')), 10);
}
