import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Reuses a caller's X-Request-Id when it is a sane token (so traces join up), else makes one. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given)) return given;
  return randomUUID();
}
