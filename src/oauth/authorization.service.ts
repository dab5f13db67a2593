import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { OAuthClient } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import {
  AccessDenied,
  assertScopeSubset,
  buildRedirectLocation,
  generateOpaqueToken,
  hashSecret,
  InvalidClient,
  InvalidRequest,
  InvalidScope,
  InvalidToken,
  isOAuthError,
  type OAuthError,
  parseCodeChallenge,
  parseScope,
  type PkceChallenge,
  type RawParams,
  readParam,
  requireParam,
  resolveRedirectUri,
  ScopeRegistry,
  UnsupportedResponseType,
} from '../core/oauth';
import { BudgetsService, SPENDING_SCOPE } from '../budgets/budgets.service';
import { type BudgetLimit, offeredBudget, parseBudgetRequest } from '../core/budget';
import { loginAuthorizeLocation } from '../common/login.paths';
import { ResourceOwnerResolver } from '../users/resource-owner.resolver';
import type { ResourceOwner } from '../users/resource-owner';
import { OAuthAuthorizationCode } from './authorization-code.entity';
import { wantsHtml } from './authorize.page';
import { CodesRepository } from './codes.repository';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** Authorization codes live 5 minutes (RFC 6749 §4.1.2: short lived, a maximum of 10 minutes recommended). */
export const CODE_LIFETIME_SECONDS = 300;

/**
 * Longest `state` satgate echoes back. `state` is opaque to satgate but travels in a `Location` header and the
 * login pages; a client needs far less for a CSRF token or a short reference to its own session.
 */
export const MAX_STATE_LENGTH = 2048;

/** Longest `scope` parameter: every registered scope many times over, but not an error description of megabytes. */
export const MAX_SCOPE_LENGTH = 2048;

/** A checked authorization request: everything needed to issue a code once the user agrees. */
export interface AuthorizationRequest {
  client: OAuthClient;
  /** Where the response goes (for a loopback URI, with the app's actual port). */
  redirectUri: string;
  /** The request named `redirect_uri`, so the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriExplicit: boolean;
  /** Normalized, known, and allowed for the client. */
  scopes: string[];
  state?: string;
  pkce?: PkceChallenge;
  /** Lifetime of the access tokens this authorization will mint (`expires_in`, capped). */
  accessTtlSeconds: number;
  /**
   * With `payments:send`: the budget offered (what the app asked for, or the operator's default). The user may
   * lower it before approving.
   */
  budget?: BudgetLimit;
  /** The grant's own end (`expires_at`). */
  endsAt?: Date;
}

/** Result of {@link AuthorizationService.validate}: a request to decide on, or an error to send back to the client. */
export type AuthorizationValidation = { ok: true; request: AuthorizationRequest } | { ok: false; location: string };

/**
 * The authorization endpoint's rules (RFC 6749 §4.1.1–4.1.2, RFC 7636, RFC 9207). Errors before the client
 * and redirect URI are known good are *thrown* and shown to the user — never redirected, or satgate would be
 * an open redirector; later errors go back to the client's redirect URI with `error` and `state`.
 *
 * The browser login/consent flow reuses it: `validate` the request, authenticate the user its own way, then
 * `approve` (a Location carrying a fresh code) or `deny` (a Location carrying `access_denied`).
 */
@Injectable()
export class AuthorizationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly clients: ClientsService,
    private readonly scopes: ScopeRegistry,
    private readonly codes: CodesRepository,
    private readonly owners: ResourceOwnerResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly budgets: BudgetsService,
  ) {}

  /**
   * Alby's one-step flow: validate, authenticate the user from the request (user JWT), and answer with the
   * Location to redirect to. No user credential: a browser is handed to the sign-in/consent page with the
   * same request, an API caller gets a 401 Bearer challenge; a bad credential is a 401 invalid_token.
   */
  async authorize(params: RawParams, req: Pick<FastifyRequest, 'headers'>): Promise<string> {
    const validation = await this.validate(params);
    if (!validation.ok) return validation.location;
    const owner = await this.owners.resolve(req);
    if (owner) return this.approve(validation.request, owner);
    if (wantsHtml(req)) return loginAuthorizeLocation(params);
    throw InvalidToken.missingCredential();
  }

  /** Checks an authorization request. Throws an OAuthError for errors that must be shown, not redirected. */
  async validate(params: RawParams): Promise<AuthorizationValidation> {
    const clientId = requireParam(params, 'client_id');
    const client = await this.clients.find(clientId);
    if (!client) throw new InvalidClient('unknown client_id', { status: 400 });
    const { redirectUri, explicit } = resolveRedirectUri(readParam(params, 'redirect_uri'), this.clients.redirectUrisOf(client), {
      publicClient: client.public,
    });

    let state: string | undefined;
    try {
      state = readParam(params, 'state');
      if (state !== undefined && state.length > MAX_STATE_LENGTH) {
        state = undefined; // not echoed: the answer must stay small
        throw new InvalidRequest(`state must be at most ${MAX_STATE_LENGTH} characters`);
      }
      const responseType = readParam(params, 'response_type');
      if (responseType === undefined) throw new InvalidRequest('missing required parameter: response_type');
      if (responseType !== 'code') throw new UnsupportedResponseType('only response_type=code is supported');
      const scopes = this.checkScopes(client, readParam(params, 'scope'));
      const pkce = parseCodeChallenge(
        { code_challenge: readParam(params, 'code_challenge'), code_challenge_method: readParam(params, 'code_challenge_method') },
        { required: client.public, allowPlain: false },
      );
      const accessTtlSeconds = this.accessTtl(readParam(params, 'expires_in'));
      const request: AuthorizationRequest = { client, redirectUri, redirectUriExplicit: explicit, scopes, accessTtlSeconds };
      const asked = parseBudgetRequest(params, this.clock.now());
      if (scopes.includes(SPENDING_SCOPE)) request.budget = offeredBudget(asked, this.budgets.policy);
      if (asked.expiresAt) request.endsAt = asked.expiresAt;
      if (state !== undefined) request.state = state;
      if (pkce) request.pkce = pkce;
      return { ok: true, request };
    } catch (err) {
      if (!isOAuthError(err)) throw err;
      return { ok: false, location: this.errorLocation(redirectUri, err, state) };
    }
  }

  /**
   * The user agreed: store a single-use code (by hash) and answer the Location carrying it. `budget` is what the
   * user chose on the consent page (never more than offered: see core/budget loweredBudget).
   */
  async approve(request: AuthorizationRequest, owner: ResourceOwner, budget: BudgetLimit | undefined = request.budget): Promise<string> {
    const now = this.clock.now();
    const code = generateOpaqueToken();
    const row = new OAuthAuthorizationCode();
    row.id = randomUUID();
    row.codeHash = hashSecret(code);
    row.clientId = request.client.clientId;
    row.userId = owner.id;
    row.userIdentifier = owner.identifier ?? null;
    row.redirectUri = request.redirectUri;
    row.redirectUriExplicit = request.redirectUriExplicit;
    row.scopes = request.scopes;
    row.codeChallenge = request.pkce?.challenge ?? null;
    row.codeChallengeMethod = request.pkce?.method ?? null;
    row.accessTtlSeconds = request.accessTtlSeconds;
    row.budget = request.scopes.includes(SPENDING_SCOPE) ? (budget ?? null) : null;
    row.endsAt = request.endsAt ?? null;
    row.expiresAt = new Date(now.getTime() + CODE_LIFETIME_SECONDS * 1000);
    row.consumedAt = null;
    row.grantId = null;
    row.createdAt = now;
    await this.codes.insert(row);
    return buildRedirectLocation(request.redirectUri, { code, state: request.state, iss: this.config.publicUrl });
  }

  /** The user refused: `error=access_denied` back to the client (RFC 6749 §4.1.2.1). */
  deny(request: AuthorizationRequest): string {
    return this.errorLocation(request.redirectUri, new AccessDenied(), request.state);
  }

  /** An error redirect: `error`, `error_description`, `state` as received, and `iss` (RFC 9207 mix-up defence). */
  private errorLocation(redirectUri: string, err: OAuthError, state: string | undefined): string {
    return buildRedirectLocation(redirectUri, { ...err.toRedirectParams(state), iss: this.config.publicUrl });
  }

  /**
   * Scopes must be given (as Alby requires), known to the deployment, and allowed for the client. An absurdly
   * long list is refused before parsing, since error descriptions name the offending scopes.
   */
  private checkScopes(client: OAuthClient, raw: string | undefined): string[] {
    if (raw !== undefined && raw.length > MAX_SCOPE_LENGTH) throw new InvalidRequest(`scope must be at most ${MAX_SCOPE_LENGTH} characters`);
    const scopes = parseScope(raw);
    if (scopes.length === 0) throw new InvalidScope('scope is required');
    this.scopes.assertKnown(scopes);
    assertScopeSubset(scopes, this.clients.allowedScopesOf(client), 'allowed for this client');
    return scopes;
  }

  /**
   * `expires_in` (seconds) is honoured up to MAX_AUTHORIZE_EXPIRY_SECONDS; without it, ACCESS_EXPIRY_SECONDS.
   * Any positive integer is accepted, however many digits: a huge one is capped like any other large value.
   */
  private accessTtl(raw: string | undefined): number {
    if (raw === undefined) return this.config.accessExpirySeconds;
    const digits = /^[0-9]+$/.test(raw) ? raw.replace(/^0+/, '') : '';
    if (digits === '') throw new InvalidRequest('expires_in must be a positive integer of seconds');
    const cap = this.config.maxAuthorizeExpirySeconds;
    return digits.length > String(cap).length ? cap : Math.min(Number(digits), cap);
  }
}
