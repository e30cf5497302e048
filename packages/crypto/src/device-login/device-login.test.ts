import { describe, expect, it } from 'vitest';
import { generateIdentityKeyPair } from '../identity/identity-key.ts';
import { createDeviceKeys } from '../mls/device-keys.ts';
import { signDeviceLogin, verifyDeviceLogin } from './device-login.ts';

const ids = (deviceId: string) => ({
  userId: '00000000-0000-4000-8000-000000000001',
  deviceId,
  cipherSuite: 1 as const,
  expiresAt: Date.now() + 60_000,
});

describe('device login proof', () => {
  it('verifies for the signing device and challenge only', async () => {
    const identity = generateIdentityKeyPair();
    const laptop = await createDeviceKeys(identity, ids('00000000-0000-4000-8000-0000000000d1'));
    const phone = await createDeviceKeys(identity, ids('00000000-0000-4000-8000-0000000000d2'));
    const signature = await signDeviceLogin(laptop, 'challenge-one-0123456789');
    expect(await verifyDeviceLogin(laptop.certificate, 'challenge-one-0123456789', signature)).toBe(
      true,
    );
    expect(await verifyDeviceLogin(laptop.certificate, 'challenge-two-0123456789', signature)).toBe(
      false,
    );
    // The same key under another device id (a certificate naming the phone) does not accept the
    // laptop's proof.
    expect(await verifyDeviceLogin(phone.certificate, 'challenge-one-0123456789', signature)).toBe(
      false,
    );
    expect(
      await verifyDeviceLogin(laptop.certificate, 'challenge-one-0123456789', new Uint8Array(64)),
    ).toBe(false);
    expect(
      await verifyDeviceLogin(laptop.certificate, 'challenge-one-0123456789', new Uint8Array(3)),
    ).toBe(false);
  });
});
