import type { z } from 'zod';

/** GET of a users-service `/internal` endpoint with the shared INTERNAL_TOKEN, parsed with `schema`. */
export async function readInternal<T>(
  usersUrl: string,
  path: string,
  internalToken: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const res = await fetch(new URL(path, usersUrl), {
    headers: { 'x-internal-token': internalToken },
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`${path} read failed with HTTP ${res.status}`);
  return schema.parse(await res.json());
}
