import { z } from 'zod';

export const registrationPolicySchema = z.enum(['open', 'invite', 'closed']);
export type RegistrationPolicy = z.infer<typeof registrationPolicySchema>;

/** What clients must know of the operator's policy: GET /.well-known/rchat. */
export const wellKnownSchema = z.object({
  apiVersion: z.number().int(),
  registration: registrationPolicySchema,
  passwordMinLength: z.number().int(),
  maxCiphertextBytes: z.number().int(),
  accessTokenTtlSeconds: z.number().int(),
  /** MLS cipher suite ids (RFC 9420 §17.1) clients may use; the first is the default. */
  cipherSuites: z.array(z.number().int()).min(1),
});
export type WellKnown = z.infer<typeof wellKnownSchema>;
