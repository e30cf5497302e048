import type { z } from 'zod';
import { AppError } from './app-error.ts';

/**
 * Parses adapter input with a protocol schema; failures become VALIDATION_FAILED with per-field
 * details.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'headers' | 'message',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = details[0];
  throw new AppError(
    'VALIDATION_FAILED',
    first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${where}.`,
    { details },
  );
}
