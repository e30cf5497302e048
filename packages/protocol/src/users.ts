import { z } from 'zod';
import { userSchema } from './auth.ts';
import { idSchema, limitSchema } from './common.ts';

/**
 * The shortest username prefix a search takes. One or two characters would let a
 * caller walk the whole user list in a few dozen requests; three make that cost
 * tens of thousands, within the search rate limit. Clients check it before asking.
 */
export const USER_SEARCH_MIN_LENGTH = 3;

export const searchUsersQuerySchema = z.strictObject({
  query: z
    .string()
    .trim()
    .toLowerCase()
    .min(
      USER_SEARCH_MIN_LENGTH,
      `Type at least ${USER_SEARCH_MIN_LENGTH} characters of a username to search.`,
    )
    .max(32, 'A username is at most 32 characters.'),
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

/** Path parameters of `/users/:id…`: a user id. */
export const userIdParamsSchema = z.strictObject({ id: idSchema });
/** Path parameters of `/devices/:id`: a device id. */
export const deviceIdParamsSchema = z.strictObject({ id: idSchema });
