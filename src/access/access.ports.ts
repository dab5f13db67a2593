import type { FastifyRequest } from 'fastify';
import type { L402Requirement } from './access-policy';
import type { AccessDenied } from './access-denied';
import type { L402Principal, OAuthPrincipal } from './principal';

/** The state of an OAuth grant as a bound L402 needs it (a `both` route). */
export type GrantStatus = { live: false } | { live: true; principal: OAuthPrincipal };

/**
 * Implemented by the OAuth module: turns a bearer token into a principal. `undefined` means unknown,
 * expired or revoked — all answered alike (RFC 6750 invalid_token).
 */
export interface BearerAuthenticator {
  authenticate(token: string): Promise<OAuthPrincipal | undefined>;
  /** Whether the grant an L402 is bound to is still live, with its current scopes. */
  grantStatus(grantId: string): Promise<GrantStatus>;
}

/** Why an L402 was not accepted; `oauthGrant` is set when an authentic token named a grant (for re-challenge). */
export class L402Rejected extends Error {
  constructor(readonly reason: string, readonly oauthGrant?: string) {
    super(`L402 rejected: ${reason}`);
    this.name = 'L402Rejected';
  }
}

/** The credential text exactly as presented, for the L402 module to parse. */
export interface L402Presented {
  /** `Authorization: L402|LSAT <value>` or a bare hex macaroon from `Grpc-Metadata-Macaroon`/`Macaroon`. */
  form: 'authorization' | 'macaroon-header';
  value: string;
}

/**
 * Implemented by the L402 module: verifies presented tokens and issues challenges (invoice + macaroon).
 * `challenge` resolves to the 402 to send, or to a 503 when the Lightning node is unreachable.
 */
export interface L402Authority {
  verify(presented: L402Presented, requirement: L402Requirement, req: FastifyRequest): Promise<L402Principal>;
  challenge(
    requirement: L402Requirement,
    reason: string,
    req: FastifyRequest,
    opts?: { oauthGrant?: string },
  ): Promise<AccessDenied>;
}

export const BEARER_AUTHENTICATOR = Symbol('BEARER_AUTHENTICATOR');
export const L402_AUTHORITY = Symbol('L402_AUTHORITY');
