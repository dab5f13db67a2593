import { Client } from 'pg';
import { isDatabaseUnavailable } from './database-unavailable';

/** What waitForDatabase needs: where to connect, how long to keep trying, and where to say so. */
export interface DatabaseWaitOptions {
  url: string;
  /** Give up after this many seconds of failed attempts (0 = one attempt). */
  timeoutSeconds: number;
  /** One line per failed attempt; the caller sends it to stderr so it is seen even when LOG_FILE is set. */
  report(line: string): void;
  /** First delay between attempts; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Raised when the database stayed unreachable for the whole wait; its message names the cause and the knob. */
export class DatabaseUnreachableError extends Error {}

/**
 * Waits until an external PostgreSQL answers `SELECT 1`, retrying with exponential back-off, so that satgate
 * started alongside its database (a deploy, a host reboot) comes up by itself instead of exiting after a few
 * seconds. An error that is not a connection problem (wrong password, unknown database) is not retried: waiting
 * would not fix it.
 */
export async function waitForDatabase(options: DatabaseWaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let delay = options.initialDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5000;
  for (let attempt = 1; ; attempt += 1) {
    const client = new Client({ connectionString: options.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      const reason = describe(err);
      if (!isDatabaseUnavailable(err)) {
        throw new DatabaseUnreachableError(`the database refused satgate: ${reason}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DatabaseUnreachableError(
          `the database at ${redactUrl(options.url)} is unreachable (${reason}); gave up after ${attempt} ` +
            `attempt(s) in ${options.timeoutSeconds} s (DATABASE_CONNECT_TIMEOUT)`,
        );
      }
      const wait = Math.min(delay, left);
      options.report(
        `database at ${redactUrl(options.url)} unreachable (${reason}); attempt ${attempt}, retrying in ` +
          `${(wait / 1000).toFixed(1)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, maxDelay);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: Array<{ message?: string }> };
  const message = e?.message || e?.errors?.[0]?.message || String(err);
  return e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message;
}

/** The URL without its password, for messages (nothing secret in logs). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
