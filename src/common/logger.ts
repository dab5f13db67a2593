import pino, { Logger } from 'pino';

/**
 * The structured JSON logger. Secrets never reach it: request logs carry the path without the query string
 * and no headers, and these paths are redacted in case a caller logs an object holding them.
 */
export const REDACT_PATHS = [
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization', 'cookie', '*.cookie',
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'macaroon', '*.macaroon', 'preimage', '*.preimage',
  'client_secret', '*.client_secret', 'refresh_token', '*.refresh_token', 'access_token', '*.access_token',
];

function create(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'satgate' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/** Reassigned once at boot by configureLogger with the validated level; modules import this binding. */
export let logger: Logger = create('info');

/** Sets the level (and, for tests, a destination such as a file the log-scanning test reads). */
export function configureLogger(level: string, file?: string): Logger {
  logger = create(level, file ? pino.destination({ dest: file, sync: true, append: true, mkdir: true, mode: 0o600 }) : undefined);
  return logger;
}
