/**
 * Crockford base32 (digits and capitals without I, L, O, U): what a person
 * reads off one screen and types on another. Decoding ignores case, spaces
 * and dashes and reads I/L as 1 and O as 0.
 */
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Bytes of `length`, or undefined when the text has a character outside the alphabet or the wrong
 * length.
 */
export function decodeBase32(text: string, length: number): Uint8Array | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (clean.length !== Math.ceil((length * 8) / 5)) return undefined;
  const out = new Uint8Array(length);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const ch of clean) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return undefined;
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      if (index < length) out[index++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  return index === length && buffer === 0 ? out : undefined;
}

/** "ABCDEFGH" → "ABCD-EFGH". */
export function groupsOf4(text: string): string {
  return text.match(/.{1,4}/g)?.join('-') ?? '';
}
