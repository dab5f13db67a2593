import { Inject, Injectable, Optional } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { AccessDenied } from './access-denied';
import type { AccessPolicy, L402Requirement } from './access-policy';
import {
  BEARER_AUTHENTICATOR,
  BearerAuthenticator,
  L402_AUTHORITY,
  L402Authority,
  L402Presented,
  L402Rejected,
} from './access.ports';
import { constantTimeEqual } from '../core/oauth/secrets';
import { bearerChallenge } from './bearer-challenge';
import { PresentedCredential, readCredential } from './credentials';
import type { L402Principal, OAuthPrincipal, Principal } from './principal';

/**
 * Decides one request against one policy, following docs/architecture.md "What each mode answers" row by row. Used by the AccessGuard
 * for controllers and by the gateway for proxied routes, so both answer identically.
 */
@Injectable()
export class PolicyEvaluator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Optional() @Inject(BEARER_AUTHENTICATOR) private readonly bearer?: BearerAuthenticator,
    @Optional() @Inject(L402_AUTHORITY) private readonly l402?: L402Authority,
  ) {}

  /** Resolves to the caller's principal, or throws AccessDenied with the exact answer to send. */
  async evaluate(policy: AccessPolicy, req: FastifyRequest): Promise<Principal> {
    const credential = readCredential(req);
    switch (policy.mode) {
      case 'none':
        return {};
      case 'admin':
        return this.admin(credential);
      case 'oauth':
        return { oauth: await this.oauth(credential, policy.scopes ?? []) };
      case 'l402':
        return { l402: await this.paid(credential, requirementOf(policy), req) };
      case 'both':
        return this.both(credential, policy.scopes ?? [], requirementOf(policy), req);
      case 'either':
        return this.either(credential, policy.scopes ?? [], requirementOf(policy), req);
    }
  }

  /**
   * Whether the request carries the admin token, for public endpoints that say more to the operator than to
   * anyone else (/health's details). Never throws.
   */
  isAdmin(req: Pick<FastifyRequest, 'headers'>): boolean {
    const credential = readCredential(req);
    return credential.kind === 'bearer' && constantTimeEqual(credential.token, this.config.adminToken);
  }

  private admin(credential: PresentedCredential): Principal {
    if (credential.kind === 'bearer' && constantTimeEqual(credential.token, this.config.adminToken)) {
      return { admin: true };
    }
    throw new AccessDenied(
      401,
      { error: 'unauthorized', error_description: 'admin token required' },
      [['WWW-Authenticate', `Bearer realm="satgate-admin"${credential.kind === 'none' ? '' : ', error="invalid_token"'}`]],
    );
  }

  /** RFC 6750: no/invalid token -> 401; valid token without the scope -> 403 insufficient_scope. */
  private async oauth(credential: PresentedCredential, required: string[]): Promise<OAuthPrincipal> {
    const principal = await this.authenticateBearer(credential);
    if (!holdsScopes(principal, required)) throw insufficientScope(required);
    return principal;
  }

  private async authenticateBearer(credential: PresentedCredential): Promise<OAuthPrincipal> {
    if (credential.kind !== 'bearer') throw invalidToken(false);
    const principal = await this.bearerPort().authenticate(credential.token);
    if (!principal) throw invalidToken(true);
    return principal;
  }

  /** l402 mode: an L402 that verifies, or a fresh 402 naming why not. */
  private async paid(credential: PresentedCredential, requirement: L402Requirement, req: FastifyRequest): Promise<L402Principal> {
    const presented = asL402(credential);
    if (!presented) throw await this.l402Port().challenge(requirement, 'missing', req);
    try {
      return await this.l402Port().verify(presented, requirement, req);
    } catch (err) {
      if (err instanceof L402Rejected) throw await this.l402Port().challenge(requirement, err.reason, req);
      throw err;
    }
  }

  /**
   * both: the bearer starts the flow (402 bound to its grant); the bound L402 alone proves payment and grant
   * afterwards, and the grant must still be live and hold the scopes.
   */
  private async both(
    credential: PresentedCredential,
    required: string[],
    requirement: L402Requirement,
    req: FastifyRequest,
  ): Promise<Principal> {
    const presented = asL402(credential);
    if (!presented) {
      const oauth = await this.oauth(credential, required);
      throw await this.l402Port().challenge(requirement, 'missing', req, { oauthGrant: oauth.grantId });
    }
    let l402: L402Principal;
    try {
      l402 = await this.l402Port().verify(presented, requirement, req);
    } catch (err) {
      if (!(err instanceof L402Rejected)) throw err;
      // An authentic but expired/unpaid token still names its grant: re-challenge if that grant is usable.
      // Otherwise the credential proves no live grant: 401, saying why the L402 failed.
      const grant = err.oauthGrant ? await this.bearerPort().grantStatus(err.oauthGrant) : { live: false as const };
      if (!grant.live) throw invalidToken(true, err.reason);
      if (!holdsScopes(grant.principal, required)) throw insufficientScope(required);
      throw await this.l402Port().challenge(requirement, err.reason, req, { oauthGrant: err.oauthGrant });
    }
    // An L402 minted for an anonymous caller proves payment but no grant; `both` needs the grant too.
    if (!l402.oauthGrant) throw invalidToken(true, 'not_bound_to_a_grant');
    const grant = await this.bearerPort().grantStatus(l402.oauthGrant);
    if (!grant.live) throw invalidToken(true, 'grant_revoked');
    if (!holdsScopes(grant.principal, required)) throw insufficientScope(required);
    return { oauth: grant.principal, l402 };
  }

  /** either: a bearer with the scopes or a valid L402; otherwise a 402 that also offers Bearer. */
  private async either(
    credential: PresentedCredential,
    required: string[],
    requirement: L402Requirement,
    req: FastifyRequest,
  ): Promise<Principal> {
    let bearerValue = bearerChallenge();
    let reason = 'missing';
    if (credential.kind === 'bearer') {
      const principal = await this.bearerPort().authenticate(credential.token);
      if (principal && holdsScopes(principal, required)) return { oauth: principal };
      bearerValue = principal
        ? bearerChallenge({ error: 'insufficient_scope', scope: required })
        : bearerChallenge({ error: 'invalid_token' });
    }
    const presented = asL402(credential);
    if (presented) {
      try {
        return { l402: await this.l402Port().verify(presented, requirement, req) };
      } catch (err) {
        if (!(err instanceof L402Rejected)) throw err;
        reason = err.reason;
      }
    }
    const challenge = await this.l402Port().challenge(requirement, reason, req);
    if (challenge.status !== 402) throw challenge;
    throw new AccessDenied(challenge.status, challenge.body, [...challenge.headers, ['WWW-Authenticate', bearerValue]]);
  }

  private bearerPort(): BearerAuthenticator {
    if (!this.bearer) throw new AccessDenied(503, { error: 'oauth_unavailable' });
    return this.bearer;
  }

  private l402Port(): L402Authority {
    if (!this.l402) throw new AccessDenied(503, { error: 'l402_unavailable' });
    return this.l402;
  }
}

function requirementOf(policy: AccessPolicy): L402Requirement {
  if (!policy.l402) throw new Error(`policy mode ${policy.mode} needs an l402 requirement`);
  return policy.l402;
}

function asL402(credential: PresentedCredential): L402Presented | undefined {
  if (credential.kind === 'l402') return { form: 'authorization', value: credential.value };
  if (credential.kind === 'macaroon-header') return { form: 'macaroon-header', value: credential.value };
  return undefined;
}

function holdsScopes(principal: OAuthPrincipal, required: string[]): boolean {
  return required.every((s) => principal.scopes.includes(s));
}

/** RFC 6750 401; `l402Reason` says why an L402 presented on a `both` route proved no live grant. */
function invalidToken(credentialSent: boolean, l402Reason?: string): AccessDenied {
  return new AccessDenied(
    401,
    credentialSent
      ? {
          error: 'invalid_token',
          error_description: l402Reason
            ? 'the L402 does not prove a live OAuth grant; authorize with a bearer token first'
            : 'the access token is invalid, expired or revoked',
          ...(l402Reason ? { l402_reason: l402Reason } : {}),
        }
      : { error: 'unauthorized', error_description: 'an OAuth bearer token is required' },
    [['WWW-Authenticate', bearerChallenge(credentialSent ? { error: 'invalid_token' } : {})]],
  );
}

function insufficientScope(required: string[]): AccessDenied {
  return new AccessDenied(
    403,
    { error: 'insufficient_scope', error_description: `requires scope: ${required.join(' ')}`, scope: required.join(' ') },
    [['WWW-Authenticate', bearerChallenge({ error: 'insufficient_scope', scope: required })]],
  );
}
