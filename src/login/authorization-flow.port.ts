import type { BudgetLimit, BudgetRenewal, BudgetView } from '../core/budget';

/**
 * What the login pages need from the OAuth authorization server, declared where it is used (docs/style.md, "Ports, not reach-arounds").
 * The pages own the browser conversation (sign-in, consent, connected apps); the OAuth module owns clients,
 * codes and grants. oauth-flow.adapter.ts implements this port over the OAuth module's services.
 */

/** Injection token of the AuthorizationFlowPort. */
export const AUTHORIZATION_FLOW = Symbol('AUTHORIZATION_FLOW');

/** What the consent page shows about an app. `imageUrl` and `url` may be empty. */
export interface ClientDisplay {
  clientId: string;
  name: string;
  imageUrl: string;
  url: string;
  /**
   * A public client (SPA, native app) has no secret, so anyone can present its client id and redirect URI:
   * consent is asked every time (RFC 6749 §10.2, RFC 8252 §8.6), never skipped for an earlier grant. Consent is
   * skipped only for a client known to be confidential (`false`); unknown counts as public.
   */
  public?: boolean;
}

/** The spending budget an app asks for (`payments:send`), as the consent page offers it. */
export interface BudgetOffer {
  /** The maximum offered, in sats; null = no limit (only where the operator allows it). */
  maxAmountSat: number | null;
  renewal: BudgetRenewal;
  /** "up to 10,000 sats per month, renews 1 January". */
  words: string;
}

/** A budget and its usage on the connected-apps page. */
export interface BudgetUsage {
  view: BudgetView;
  words: string;
}

/** A scope with the sentence the user reads. */
export interface ScopeDisplay {
  name: string;
  description: string;
}

/**
 * An authorization request that passed every check that does not need the user: known client, registered
 * redirect URI, response type, scopes, PKCE parameters. `request` is the adapter's own parsed form, passed
 * back unchanged to approve/deny.
 */
export interface ValidatedAuthorization {
  client: ClientDisplay;
  redirectUri: string;
  scopes: ScopeDisplay[];
  state?: string;
  /** Set when the app asks for `payments:send`: the user may lower it before approving. */
  budget?: BudgetOffer;
  request: unknown;
}

/** The signed-in user, as grants record them: `{id: 'local:<uuid>', identifier: <username>}`. */
export interface AuthorizingUser {
  id: string;
  identifier: string;
}

/** An app holding a live grant of the user. */
export interface ConnectedApp {
  client: ClientDisplay;
  scopes: ScopeDisplay[];
  /** When the user first authorized it (oldest live grant). */
  since: Date;
  /** The spending budget of the app's newest `payments:send` grant. */
  budget?: BudgetUsage;
}

/**
 * A request the authorization server refuses. With `redirectTo` the error goes back to the client
 * (RFC 6749 §4.1.2.1: `?error=invalid_scope&state=...`); without it the client or redirect URI could not be
 * trusted, so the user is shown the error and never redirected.
 */
export class AuthorizationRejected extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly redirectTo?: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'AuthorizationRejected';
  }
}

/** The OAuth operations behind the login pages. */
export interface AuthorizationFlowPort {
  /**
   * Checks an authorization request's parameters (query of `/oauth/authorize`, repeated keys as arrays).
   * Throws AuthorizationRejected.
   */
  validate(params: Record<string, string | string[]>): Promise<ValidatedAuthorization>;

  /**
   * Issues the authorization code for the user; resolves to the redirect URL carrying `code` and `state`.
   * `budget` is the user's choice on the consent page (checked by the caller to be no more than offered).
   */
  approve(user: AuthorizingUser, request: ValidatedAuthorization, budget?: BudgetLimit): Promise<string>;

  /** The redirect URL telling the client the user said no: `error=access_denied` and `state`. */
  deny(request: ValidatedAuthorization): Promise<string>;

  /** True when the user already holds a live grant to this client covering every one of `scopes` (skip consent). */
  previouslyApproved(userId: string, clientId: string, scopes: string[]): Promise<boolean>;

  /** The apps holding live grants of the user, with their scopes. */
  listConnectedApps(userId: string): Promise<ConnectedApp[]>;

  /**
   * Revokes every grant of the user to the client, and so all their tokens, and drops the codes it has not
   * exchanged yet (same as `DELETE /clients/:clientId`).
   */
  revokeApp(userId: string, clientId: string): Promise<void>;

  /** Sets the budget of the user's grants to the app (0 sats is refused; only lowering is not required here). */
  setAppBudget(userId: string, clientId: string, maxAmountSat: number): Promise<void>;

  /** Cuts the user off from every app: all grants and their tokens revoked, unexchanged codes dropped. */
  revokeAllApps(userId: string): Promise<void>;
}
