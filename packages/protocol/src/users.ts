import { z } from 'zod';
import { userSchema } from './auth.ts';
import { idSchema, limitSchema } from './common.ts';

export const searchUsersQuerySchema = z.strictObject({
  query: z.string().trim().toLowerCase().min(1).max(32),
  limit: limitSchema(50, 20),
  /** Opaque cursor: the last username of the previous page. */
  after: z.string().max(32).optional(),
});
export type SearchUsersQuery = z.infer<typeof searchUsersQuerySchema>;

export const searchUsersResponseSchema = z.object({
  users: z.array(userSchema),
  next: z.string().nullable(),
});
export type SearchUsersResponse = z.infer<typeof searchUsersResponseSchema>;

export const userIdParamsSchema = z.strictObject({ id: idSchema });
