/**
 * Whether an error means "the database cannot be reached right now" rather than "this query is wrong": the
 * answer is then 503 with `Retry-After` (a dependency that is down is never a 500: RFC 9110 §15.6.4).
 *
 * What counts, as `pg`, `pg-pool` and TypeORM report it (TypeORM wraps the driver's error as `driverError`):
 * - socket errors: refused, reset, timed out, broken pipe, host unreachable or unknown;
 * - SQLSTATE class 08 (connection exception) and 57P01/57P02/57P03 (the server is shutting down, crashed or
 *   not yet accepting connections), 53300 (too many connections);
 * - pg's own messages for a connection that died mid-query or could not be had from the pool in time.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /Connection is not established/,
  /the database system is (starting up|shutting down|in recovery mode)/,
];

/** Seconds a client is told to wait before retrying while the database is down. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth += 1) {
    const { code, message, driverError, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08'))) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    // An AggregateError (a connect that tried IPv4 and IPv6) is unavailable when every attempt was.
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isDatabaseUnavailable(inner))) return true;
    e = driverError ?? cause;
  }
  return false;
}
