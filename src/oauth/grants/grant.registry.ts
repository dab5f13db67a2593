import { Injectable } from '@nestjs/common';
import { UnsupportedGrantType } from '../../core/oauth';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { ClientCredentialsGrant } from './client-credentials.grant';
import type { GrantHandler } from './grant.handler';
import { RefreshTokenGrant } from './refresh-token.grant';

/** The token endpoint's grants keyed by `grant_type` (RFC 6749 §4: one handler per `grant_type`); also feeds RFC 8414 `grant_types_supported`. */
@Injectable()
export class GrantRegistry {
  private readonly handlers: ReadonlyMap<string, GrantHandler>;

  constructor(code: AuthorizationCodeGrant, refresh: RefreshTokenGrant, credentials: ClientCredentialsGrant) {
    this.handlers = new Map([code, refresh, credentials].map((h) => [h.grantType, h]));
  }

  /** The handler of `grantType`, or `unsupported_grant_type` (RFC 6749 §5.2). */
  get(grantType: string): GrantHandler {
    const handler = this.handlers.get(grantType);
    if (!handler) throw new UnsupportedGrantType(`unsupported grant_type; supported: ${this.types().join(', ')}`);
    return handler;
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
