import { describe, expect, it } from 'vitest';
import { findUnstorableText } from './storable-text.ts';

describe('findUnstorableText', () => {
  it('names the path of a NUL or an unpaired surrogate, in values and keys', () => {
    expect(findUnstorableText({ a: [{ b: 'x\u0000y' }] })).toEqual(['a', '0', 'b']);
    expect(findUnstorableText({ a: 'lone \uD800 high' })).toEqual(['a']);
    expect(findUnstorableText({ a: 'lone \uDC00 low' })).toEqual(['a']);
    expect(findUnstorableText({ a: { 'k\u0000': 1 } })).toEqual(['a']);
    expect(findUnstorableText('\u0000')).toEqual([]);
  });

  it('lets every real character through, including those outside the BMP', () => {
    expect(
      findUnstorableText({
        a: 'emoji 😀, CJK 漢字, RTL שלום',
        b: [1, true, null],
        c: 'end \uD83D\uDE00',
      }),
    ).toBeUndefined();
    expect(findUnstorableText(undefined)).toBeUndefined();
  });

  it('walks 10,000 levels of nesting without using the call stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(10_000)}"\\u0000"${'}'.repeat(10_000)}`) as unknown;
    expect(findUnstorableText(deep)).toHaveLength(10_000);
    expect(
      findUnstorableText(JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)),
    ).toBeUndefined();
  });
});
