import type { FastifyRequest } from 'fastify';

/** The credential a request carries, parsed once per request. */
export type PresentedCredential =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'l402'; scheme: 'L402' | 'LSAT'; value: string }
  | { kind: 'macaroon-header'; value: string }
  | { kind: 'other'; scheme: string };

/**
 * Reads `Authorization` (Bearer, L402, LSAT; scheme case-insensitive per RFC 7235 §2.1) and aperture's
 * `Grpc-Metadata-Macaroon` / `Macaroon` headers used by gRPC clients.
 */
export function readCredential(req: Pick<FastifyRequest, 'headers'>): PresentedCredential {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.trim()) {
    const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s+(.+?)\s*$/.exec(auth);
    if (!m) return { kind: 'other', scheme: auth.trim().split(/\s/)[0] ?? '' };
    const scheme = m[1].toUpperCase();
    if (scheme === 'BEARER') return { kind: 'bearer', token: m[2] };
    if (scheme === 'L402' || scheme === 'LSAT') return { kind: 'l402', scheme, value: m[2] };
    return { kind: 'other', scheme: m[1] };
  }
  const mac = req.headers['grpc-metadata-macaroon'] ?? req.headers['macaroon'];
  if (typeof mac === 'string' && mac.trim()) return { kind: 'macaroon-header', value: mac.trim() };
  return { kind: 'none' };
}
