/** Socket errors of a connection that could not be made or was lost. */
const lostConnection = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * PostgreSQL states of a server going away or not there yet: admin_shutdown, crash_shutdown,
 * cannot_connect_now (starting up or shutting down).
 */
const serverGoingAway = new Set(['57P01', '57P02', '57P03']);

/**
 * True when an error (or one of its causes, e.g. under drizzle's query error)
 * says the database cannot be reached right now — refused, lost, restarting —
 * rather than that the request or the code is wrong: retrying later can work.
 */
export function isStoreUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (lostConnection.has(code) || serverGoingAway.has(code) || code.startsWith('08'))
    )
      return true;
    // node-postgres's own words when the server closes the connection under a query.
    if (/^Connection terminated|is not queryable/.test(e.message)) return true;
  }
  return false;
}
