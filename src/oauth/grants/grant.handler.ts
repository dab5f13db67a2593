import type { OAuthClient } from '../../clients/client.entity';
import { readParam, type RawParams } from '../../core/oauth';
import type { TokenResponse } from '../token.issuer';

/** What a grant handler gets: the already-authenticated client and the token request's parameters. */
export interface GrantContext {
  client: OAuthClient;
  params: RawParams;
}

/**
 * One `grant_type` of the token endpoint (node-oidc-provider's `actions/grants/` pattern): a registry maps
 * the type to its handler, and each handler lists the parameters it reads.
 */
export interface GrantHandler {
  readonly grantType: string;
  /** Request parameters this grant reads (besides grant_type and client authentication). */
  readonly parameters: readonly string[];
  handle(ctx: GrantContext): Promise<TokenResponse>;
}

/**
 * Reads a handler's parameters once, so a repeated one is an `invalid_request` (RFC 6749 §3.2) whichever
 * the handler ends up using. Unknown parameters are ignored (RFC 6749 §3.2).
 */
export function readGrantParams<K extends string>(params: RawParams, names: readonly K[]): Record<K, string | undefined> {
  const out = {} as Record<K, string | undefined>;
  for (const name of names) out[name] = readParam(params, name);
  return out;
}
