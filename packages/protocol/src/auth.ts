import { z } from 'zod';
import { deviceNameSchema, idSchema, usernameSchema } from './common.ts';

const usernameInput = z
  .string()
  .max(64)
  .transform((s) => s.toLowerCase())
  .pipe(usernameSchema);

export const deviceInputSchema = z.strictObject({
  /** Client-chosen device id; a new one is created when absent. */
  id: idSchema.optional(),
  name: deviceNameSchema,
});

export const registerRequestSchema = z.strictObject({
  username: usernameInput,
  password: z.string().max(1024),
  device: deviceInputSchema,
  /** Required when the operator's registration policy is `invite`. */
  inviteCode: z.string().max(128).optional(),
});
export type RegisterRequest = z.infer<typeof registerRequestSchema>;

/**
 * Proof that the caller holds an existing device's signature key: its
 * signature (base64) over the device-login statement built from a fresh
 * challenge (`deviceLoginStatement` in @rchat/crypto).
 */
export const deviceProofSchema = z.strictObject({
  challenge: z.string().min(16).max(128),
  signature: z.string().min(4).max(256),
});
export type DeviceProof = z.infer<typeof deviceProofSchema>;

export const loginRequestSchema = z.strictObject({
  username: usernameInput,
  password: z.string().max(1024),
  device: deviceInputSchema.extend({
    /** Required when `id` names an existing device of the account (a device with a certificate). */
    proof: deviceProofSchema.optional(),
  }),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** A single-use challenge (valid 2 minutes) to sign when signing in as an existing device. */
export const loginChallengeResponseSchema = z.object({
  challenge: z.string(),
  expiresAt: z.string(),
});
export type LoginChallengeResponse = z.infer<typeof loginChallengeResponseSchema>;

export const refreshRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

export const logoutRequestSchema = refreshRequestSchema;
export type LogoutRequest = RefreshRequest;

/** Change the account password: the current one re-authenticates the caller. */
export const changePasswordRequestSchema = z.strictObject({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(1024),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** Delete the account: the password re-authenticates the caller. */
export const deleteAccountRequestSchema = z.strictObject({ password: z.string().max(1024) });
export type DeleteAccountRequest = z.infer<typeof deleteAccountRequestSchema>;

/** How many other devices had their sessions ended (password change, sign-out of other devices). */
export const signedOutDevicesResponseSchema = z.object({
  signedOutDevices: z.number().int().nonnegative(),
});
export type SignedOutDevicesResponse = z.infer<typeof signedOutDevicesResponseSchema>;

export const userSchema = z.object({
  id: idSchema,
  username: usernameSchema,
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const deviceSchema = z.object({
  id: idSchema,
  name: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  current: z.boolean(),
});
export type Device = z.infer<typeof deviceSchema>;

export const listDevicesResponseSchema = z.object({ devices: z.array(deviceSchema) });

export const sessionResponseSchema = z.object({
  user: userSchema,
  deviceId: idSchema,
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** Claims inside an access token (EdDSA JWT). */
export const accessClaimsSchema = z.object({
  sub: idSchema,
  did: idSchema,
  usr: usernameSchema,
  /**
   * The session (refresh-token family) the token belongs to: ending the session refuses its access
   * tokens too. Absent only in tokens issued before sessions were named.
   */
  sid: idSchema.optional(),
});
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
