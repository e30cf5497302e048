import { describe, expect, it } from 'vitest';
import { utf8 } from '../util/bytes.ts';
import { answerLinkOffer, createLinkOffer } from './link-channel.ts';
import { formatLinkCode, linkCodeMatches, parseLinkCode } from './link-code.ts';

const sessionId = '7f3c2a10-5b6d-4e8f-9a0b-1c2d3e4f5a6b';

describe('device linking channel', () => {
  it('gives both devices the same check code and a working channel both ways', async () => {
    const offer = await createLinkOffer(sessionId);
    const code = formatLinkCode(sessionId, offer.publicKey);
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
    const parsed = parseLinkCode(code.toLowerCase().replace(/-/g, ' '));
    expect(parsed && linkCodeMatches(parsed, sessionId, offer.publicKey)).toBe(true);

    const answer = await answerLinkOffer(sessionId, offer.publicKey);
    const channel = await offer.accept(answer.enc);
    expect(channel?.checkCode).toMatch(/^\d{3} \d{3}$/);
    expect(channel?.checkCode).toBe(answer.channel.checkCode);
    const toNew = await answer.channel.seal(utf8('keys'));
    expect(await channel?.open(toNew)).toEqual(utf8('keys'));
    expect(await answer.channel.open(await channel!.seal(utf8('ready')))).toEqual(utf8('ready'));
    // A device cannot read its own direction back (no reflection).
    expect(await answer.channel.open(toNew)).toBeUndefined();
  });

  it('detects a mistyped code and a substituted public key', async () => {
    const offer = await createLinkOffer(sessionId);
    const code = formatLinkCode(sessionId, offer.publicKey);
    // Every single mistyped character is caught by the check character, whatever it is replaced by.
    const symbols = code.replace(/-/g, '');
    for (let i = 0; i < symbols.length; i++) {
      for (const c of '0123456789ABCDEFGHJKMNPQRSTVWXYZ') {
        if (c === symbols[i]) continue;
        expect(parseLinkCode(symbols.slice(0, i) + c + symbols.slice(i + 1))).toBeUndefined();
      }
    }
    expect(parseLinkCode(symbols.slice(1))).toBeUndefined();
    const other = await createLinkOffer(sessionId);
    expect(linkCodeMatches(parseLinkCode(code)!, sessionId, other.publicKey)).toBe(false);
  });

  it('shows different check codes when a third party answers the new device', async () => {
    const offer = await createLinkOffer(sessionId);
    const real = await answerLinkOffer(sessionId, offer.publicKey);
    const intruder = await answerLinkOffer(sessionId, offer.publicKey);
    const seenByNew = await offer.accept(intruder.enc);
    expect(seenByNew?.checkCode).toBe(intruder.channel.checkCode);
    expect(seenByNew?.checkCode).not.toBe(real.channel.checkCode);
    // What the real device seals cannot be opened on the channel the intruder set up.
    expect(await seenByNew?.open(await real.channel.seal(utf8('keys')))).toBeUndefined();
  });
});
