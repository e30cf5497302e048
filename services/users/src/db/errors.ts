/**
 * True when `e` (from pg or PGlite, possibly wrapped by the query layer) is a unique violation,
 * optionally of one constraint.
 */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (
    let cur: unknown = e, depth = 0;
    cur && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const err = cur as { code?: string; constraint?: string; message?: string };
    if (err.code === '23505')
      return (
        constraint === undefined ||
        err.constraint === constraint ||
        (err.message ?? '').includes(constraint)
      );
  }
  return false;
}
