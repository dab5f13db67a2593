/**
 * Budget refusals, in satgate's one OAuth error hierarchy so the one filter renders them.
 */
import { OAuthError } from '../oauth/oauth-error';
import { DEFAULT_REALM, formatBearerChallenge } from '../oauth/www-authenticate';
import type { BudgetView } from './budget-view';

/**
 * RFC 9396 §5: `authorization_details` that is not a JSON array of objects, names a type this server does not
 * support, or carries a field that type does not allow. 400 (redirected to the client at /oauth/authorize).
 */
export class InvalidAuthorizationDetails extends OAuthError {
  readonly error = 'invalid_authorization_details' as const;
  readonly status = 400;
}

/**
 * The payment does not fit in what is left of the grant's budget this period. 403, like RFC 6750's
 * `insufficient_scope`: the token is valid and may do this kind of request, just not this one now; retrying
 * does not help until the budget renews or the user raises it (so not 402: paying satgate would not help, and
 * not 429: it is not a rate). The challenge names the error so a client that only reads headers learns why;
 * the body carries the budget as the app would read it from introspection.
 */
export class BudgetExceeded extends OAuthError {
  readonly error = 'budget_exceeded' as const;
  readonly status = 403;

  constructor(
    readonly budget: BudgetView,
    readonly neededSat: number,
  ) {
    super(
      `this payment needs ${neededSat} sats (amount + fee reserve) but only ${budget.remaining_sat} of the ` +
        `${budget.max_amount_sat}-sat budget are left` +
        (budget.renews_at ? `; it renews at ${budget.renews_at}` : ''),
    );
  }

  override toBody(): { error: 'budget_exceeded'; error_description: string; budget: BudgetView } {
    return { error: this.error, error_description: this.description, budget: this.budget };
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': formatBearerChallenge({ realm: DEFAULT_REALM, error: this.error, error_description: 'the payment exceeds the remaining budget' }) };
  }
}

/** The spend amount of a payment request cannot be read (no invoice, bad invoice, no amount). 400. */
export class UnreadableSpend extends Error {
  readonly status = 400;
  constructor(
    readonly field: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'UnreadableSpend';
  }

  toBody(): Record<string, unknown> {
    return { error: 'invalid_request', error_description: this.description, field: this.field };
  }
}
