import { concatBytes, fromUtf8, utf8 } from './bytes.ts';

/**
 * Big-endian, length-prefixed binary encoding for this package's own formats
 * (certificates, stored key material, stored group state). Lengths are u32.
 */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];

  u8(n: number): this {
    this.parts.push(Uint8Array.of(n & 0xff));
    return this;
  }

  u16(n: number): this {
    this.parts.push(Uint8Array.of((n >>> 8) & 0xff, n & 0xff));
    return this;
  }

  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    this.parts.push(b);
    return this;
  }

  /** Unsigned 64-bit; numbers must be safe integers. */
  u64(n: bigint | number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    this.parts.push(b);
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes);
  }

  string(text: string): this {
    return this.bytes(utf8(text));
  }

  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

/** Thrown by ByteReader on truncated or malformed input; callers turn it into a result. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export class ByteReader {
  private offset = 0;

  constructor(private readonly input: Uint8Array) {}

  private take(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.input.length)
      throw new DecodeError('Input is truncated.');
    const out = this.input.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  private view(length: number): DataView {
    const b = this.take(length);
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  u8(): number {
    return this.view(1).getUint8(0);
  }

  u16(): number {
    return this.view(2).getUint16(0);
  }

  u32(): number {
    return this.view(4).getUint32(0);
  }

  u64(): bigint {
    return this.view(8).getBigUint64(0);
  }

  /** A u64 that must fit a JavaScript safe integer. */
  u64Number(): number {
    const n = this.u64();
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new DecodeError('Integer is too large.');
    return Number(n);
  }

  raw(length: number): Uint8Array {
    return this.take(length).slice();
  }

  bytes(maxLength = 1 << 26): Uint8Array {
    const length = this.u32();
    if (length > maxLength) throw new DecodeError(`Field longer than ${maxLength} bytes.`);
    return this.raw(length);
  }

  string(maxBytes = 1024): string {
    const text = fromUtf8(this.bytes(maxBytes));
    if (text === undefined) throw new DecodeError('Text is not valid UTF-8.');
    return text;
  }

  get remaining(): number {
    return this.input.length - this.offset;
  }

  /** Asserts that the whole input was consumed. */
  end(): void {
    if (this.remaining !== 0) throw new DecodeError('Unexpected trailing bytes.');
  }
}
