import { z } from 'zod';
import { base64Schema, idSchema } from './common.ts';

/** Ed25519 public key, base64 (32 bytes). */
export const identityKeySchema = base64Schema.length(
  44,
  'An identity key is 32 bytes (44 base64 characters).',
);

/** A KeyPackage (RFC 9420 §10), base64 of its MLS encoding. */
export const keyPackageSchema = base64Schema.min(4).max(16_384);

/**
 * Sets the account's first identity key; a different key later only by a reset (`POST
 * /keys/identity/reset`).
 */
export const setIdentityKeyRequestSchema = z.strictObject({
  identityKey: identityKeySchema,
});
export type SetIdentityKeyRequest = z.infer<typeof setIdentityKeyRequestSchema>;

/**
 * A loud identity reset, for a person who lost every device and the recovery
 * key: the new identity key replaces the old one, every other device of the
 * account is signed out, secret storage and the message backup (sealed for
 * the old identity) are deleted, and peers must accept the new identity.
 */
export const resetIdentityRequestSchema = z.strictObject({
  identityKey: identityKeySchema,
  /** The account password again: a stolen access token alone cannot reset. */
  password: z.string().max(1024),
  /** Must be exactly this sentence: a reset is never done by accident. */
  confirm: z.literal('reset my encryption identity'),
});
export type ResetIdentityRequest = z.infer<typeof resetIdentityRequestSchema>;

export const setCertificateRequestSchema = z.strictObject({
  /** The device certificate (base64): the identity key's signature over this device's MLS key. */
  certificate: base64Schema.min(4).max(8_192),
});
export type SetCertificateRequest = z.infer<typeof setCertificateRequestSchema>;

export const uploadKeyPackagesRequestSchema = z.strictObject({
  keyPackages: z.array(keyPackageSchema).max(100),
  /** Replaces this device's last-resort KeyPackage, used when its one-time ones run out. */
  lastResort: keyPackageSchema.optional(),
});
export type UploadKeyPackagesRequest = z.infer<typeof uploadKeyPackagesRequestSchema>;

export const keyPackageCountSchema = z.object({
  oneTime: z.number().int(),
  lastResort: z.boolean(),
});
export type KeyPackageCount = z.infer<typeof keyPackageCountSchema>;

export const deviceKeysSchema = z.object({
  deviceId: idSchema,
  name: z.string(),
  certificate: z.string(),
  createdAt: z.string(),
});

/** The key directory entry of a user: what a client needs to authenticate their devices. */
export const userKeysSchema = z.object({
  userId: idSchema,
  identityKey: z.string().nullable(),
  identityKeyChangedAt: z.string().nullable(),
  /**
   * When the account's identity was last reset (a password-only reset: peers must accept it), or
   * null.
   */
  identityResetAt: z.string().nullable(),
  devices: z.array(deviceKeysSchema),
});
export type UserKeys = z.infer<typeof userKeysSchema>;

export const claimedKeyPackageSchema = z.object({
  deviceId: idSchema,
  certificate: z.string(),
  keyPackage: z.string(),
  lastResort: z.boolean(),
});

export const claimKeyPackagesResponseSchema = z.object({
  userId: idSchema,
  identityKey: z.string().nullable(),
  /** One KeyPackage per device of the user that has a certificate and a KeyPackage. */
  keyPackages: z.array(claimedKeyPackageSchema),
  /** Devices with a certificate but no KeyPackage left (they cannot be added now). */
  exhaustedDeviceIds: z.array(idSchema),
});
export type ClaimKeyPackagesResponse = z.infer<typeof claimKeyPackagesResponseSchema>;

export const claimKeyPackagesRequestSchema = z.strictObject({
  /** Leave out these devices (e.g. the caller's own device, already in the group). */
  exceptDeviceIds: z.array(idSchema).max(100).optional(),
});
export type ClaimKeyPackagesRequest = z.infer<typeof claimKeyPackagesRequestSchema>;
