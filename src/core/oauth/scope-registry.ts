/**
 * Which scopes exist and how to describe them to a user. Defaults are Alby's production scopes so
 * Alby OAuth clients work unchanged; operators add their own (e.g. `reports:write`) by config.
 */
import { InvalidScope } from './errors';
import { isScopeToken, normalizeScopes, scopesForError } from './scopes';

/**
 * Alby's scopes with user-facing descriptions (shown on the consent page, `GET /oauth/scopes`, and
 * Alby-style introspection). Wording is taken from the per-route descriptions in Alby's
 * `targets.json`. Alby builds its map route by route so a later route overwrites the text of an
 * earlier one with the same scope (its README thus shows `balance:read` as "Read your account
 * summary"); satgate keeps one deliberate description per scope instead.
 */
export const ALBY_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  'account:read': 'Read your payment details like the Lightning Address and keysend information',
  'balance:read': 'Read your balance',
  'invoices:create': 'Create invoices on your behalf',
  'invoices:read': 'Read your invoice history, get realtime updates on invoices',
  'payments:send': 'Send payments from your account',
  'transactions:read': 'Read your outgoing transaction history and check payment status',
});

/** One row of a method + path -> scope table. `{name}` in a path is one path segment parameter. */
export interface ScopeRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly scope: string;
}

/**
 * Alby's production route -> scope table (docs/protocol.md, "Scopes of Alby's wallet API"), data for the gateway demo.
 * Literal paths come before the parameterized `/invoices/{payment_hash}`, so a first-match router
 * gives `GET /invoices/incoming` its own scope. Note `GET /invoices/{payment_hash}` needs
 * `invoices:create`, not `invoices:read` — Alby's choice, kept for compatibility.
 */
export const ALBY_ROUTE_SCOPES: readonly ScopeRoute[] = Object.freeze([
  { method: 'POST', path: '/invoices', scope: 'invoices:create' },
  { method: 'GET', path: '/invoices/incoming', scope: 'invoices:read' },
  { method: 'GET', path: '/invoices/outgoing', scope: 'transactions:read' },
  { method: 'GET', path: '/invoices/{payment_hash}', scope: 'invoices:create' },
  { method: 'GET', path: '/balance', scope: 'balance:read' },
  { method: 'GET', path: '/user/value4value', scope: 'account:read' },
  { method: 'POST', path: '/payments/bolt11', scope: 'payments:send' },
  { method: 'POST', path: '/payments/keysend', scope: 'payments:send' },
] as const);

/**
 * The set of scopes this deployment knows. Built once at boot from the defaults plus configured
 * extras; a configured scope with a default's name replaces its description (operators may reword).
 * Unknown scopes are refused at `/oauth/authorize` rather than silently granted.
 */
export class ScopeRegistry {
  private readonly descriptions: ReadonlyMap<string, string>;

  /**
   * Throws a `TypeError` listing every bad entry (a config error, caught at boot): names must be
   * RFC 6749 §3.3 scope-tokens and descriptions non-empty strings.
   */
  constructor(extra: Readonly<Record<string, string>> = {}, base: Readonly<Record<string, string>> = ALBY_SCOPE_DESCRIPTIONS) {
    const merged = { ...base, ...extra };
    const problems: string[] = [];
    for (const [scope, description] of Object.entries(merged)) {
      if (!isScopeToken(scope)) problems.push(`scope name ${JSON.stringify(scope)} is not an RFC 6749 scope-token`);
      if (typeof description !== 'string' || description.trim() === '') {
        problems.push(`scope ${JSON.stringify(scope)} needs a non-empty description`);
      }
    }
    if (problems.length > 0) throw new TypeError(`invalid scope configuration: ${problems.join('; ')}`);
    const sorted = Object.keys(merged).sort();
    this.descriptions = new Map(sorted.map((scope) => [scope, merged[scope]]));
  }

  /** True when `scope` is known to this deployment. */
  has(scope: string): boolean {
    return this.descriptions.has(scope);
  }

  /** The user-facing description of `scope`, or undefined when unknown. */
  describe(scope: string): string | undefined {
    return this.descriptions.get(scope);
  }

  /** Every known scope, sorted by name (the map `GET /oauth/scopes` returns). */
  list(): Record<string, string> {
    return Object.fromEntries(this.descriptions);
  }

  /**
   * scope -> description for the given scopes (normalized), as Alby's introspection answers
   * `{"scopes": {...}}`. A granted scope since removed from config is described by its own name.
   */
  describeAll(scopes: Iterable<string>): Record<string, string> {
    return Object.fromEntries(normalizeScopes(scopes).map((scope) => [scope, this.describe(scope) ?? scope]));
  }

  /** Throws `invalid_scope` counting the unknown scopes ("unknown", RFC 6749 §5.2); /oauth/scopes lists the known ones. */
  assertKnown(scopes: Iterable<string>): void {
    const unknown = [...new Set(scopes)].filter((scope) => !this.has(scope));
    if (unknown.length > 0) throw new InvalidScope(`scope names ${scopesForError(unknown)} this server does not offer`);
  }
}
