import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { InvalidToken, UserJwtRejected, verifyUserJwt } from '../core/oauth';
import type { ResourceOwner } from './resource-owner';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** Grants store the user's id and identifier in 200-character columns. */
const MAX_CLAIM_LENGTH = 200;

/** A compact JWS: three base64url parts (the third may be empty only for `alg: none`, refused later). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Answers "who is the user?" for /oauth/authorize and the connected-apps API — the seam where browser login
 * (local accounts, sessions) will plug in later. Today one way: Alby's `Authorization: Bearer <user JWT>`
 * (HS256 under JWT_SECRET, claims `{id, identifier}`, signature, algorithm and `exp` checked). A bare JWT
 * without the `Bearer` prefix is accepted too, because Alby's server parses the raw header value.
 */
@Injectable()
export class ResourceOwnerResolver {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The authenticated user, or undefined when the request carries no user credential at all (the caller may
   * then ask the user to log in). A credential that fails verification throws `UserJwtRejected`, a 401
   * `invalid_token` naming the reason — never treated as "anonymous".
   */
  async resolve(req: Pick<FastifyRequest, 'headers'>): Promise<ResourceOwner | undefined> {
    const jwt = userJwtOf(req.headers.authorization);
    if (jwt === undefined) return undefined;
    const claims = await verifyUserJwt(jwt, this.config.jwtSecret, this.clock);
    if (claims.id.length > MAX_CLAIM_LENGTH || (claims.identifier?.length ?? 0) > MAX_CLAIM_LENGTH) {
      throw new UserJwtRejected('invalid_claims', 'user token id or identifier is too long');
    }
    return claims.identifier === undefined ? { id: claims.id } : { id: claims.id, identifier: claims.identifier };
  }

  /** Like {@link resolve} but no credential is a 401 `Bearer realm="satgate"` (RFC 6750 §3.1, no error code). */
  async require(req: Pick<FastifyRequest, 'headers'>): Promise<ResourceOwner> {
    const owner = await this.resolve(req);
    if (!owner) throw InvalidToken.missingCredential();
    return owner;
  }
}

/** The user JWT in an Authorization header value: `Bearer <jwt>` or a bare JWT; undefined for anything else. */
export function userJwtOf(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const bearer = /^bearer\s+(\S+)$/i.exec(value);
  if (bearer) return bearer[1];
  return COMPACT_JWS.test(value) ? value : undefined;
}
