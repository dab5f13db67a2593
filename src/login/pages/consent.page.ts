import { formatSats } from '../../core/budget';
import type { BudgetOffer, ClientDisplay, ScopeDisplay } from '../authorization-flow.port';
import { appHeader } from './app.fragment';
import { escapeHtml } from '../../common/html/html.escape';
import { csrfField, layout } from '../../common/html/page.layout';

/** What the consent page shows. */
export interface ConsentPageModel {
  action: string;
  logoutAction: string;
  csrf: string;
  request: string;
  client: ClientDisplay;
  scopes: ScopeDisplay[];
  redirectUri: string;
  username: string;
  /** The spending budget asked for (`payments:send`); the user may lower it in the form. */
  budget?: BudgetOffer;
  /** A refused budget entry: the message, and what the user typed (shown again). */
  error?: string;
  budgetInput?: string;
}

/**
 * The budget in words and a number field prefilled with the maximum, inside the approve form (no script: the
 * value is posted with Approve). `max` lets the browser refuse a higher value early; the server checks anyway.
 */
function budgetFieldset(b: BudgetOffer, typed: string | undefined): string {
  const value = typed ?? (b.maxAmountSat === null ? '' : String(b.maxAmountSat));
  const max = b.maxAmountSat === null ? '' : ` max="${b.maxAmountSat}"`;
  return `<div class="budget" data-budget>
<p><strong>Spending budget:</strong> <span data-budget-words>${escapeHtml(b.words)}</span>.</p>
<p class="muted">The app can never spend more than this; payments count with their routing fees.${b.maxAmountSat === null ? '' : ` Asked for: ${escapeHtml(formatSats(b.maxAmountSat))} sats.`}</p>
<label for="budget_max_sat">Lower the budget (sats)</label>
<input type="number" id="budget_max_sat" name="budget_max_sat" inputmode="numeric" min="1"${max} step="1" value="${escapeHtml(value)}"${b.maxAmountSat === null ? ' placeholder="no limit"' : ''}>
</div>`;
}

/** Where the browser goes after the decision, shown so a user can spot a look-alike app. */
function destination(redirectUri: string): string {
  try {
    const url = new URL(redirectUri);
    return url.host ? `${url.protocol}//${url.host}` : redirectUri;
  } catch {
    return redirectUri;
  }
}

/** The app, each requested scope with its description, and Approve / Deny. */
export function renderConsentPage(m: ConsentPageModel): string {
  const scopes = m.scopes.length
    ? `<p>It asks to:</p>
<ul class="scopes">
${m.scopes.map((s) => `<li><strong>${escapeHtml(s.description)}</strong> <code>${escapeHtml(s.name)}</code></li>`).join('\n')}
</ul>`
    : '<p>It asks for no specific permissions.</p>';
  const body = `${appHeader(m.client, '{app} wants to access your account')}
${m.error ? `<div class="error" role="alert">${escapeHtml(m.error)}</div>` : ''}
<div class="muted">Signed in as <strong>${escapeHtml(m.username)}</strong>.
<form method="post" action="${escapeHtml(m.logoutAction)}" style="display:inline">${csrfField(m.csrf)}<input type="hidden" name="request" value="${escapeHtml(m.request)}"><button type="submit" class="link">Not you?</button></form></div>
${scopes}
<p class="muted">After you decide you will be sent to <code>${escapeHtml(destination(m.redirectUri))}</code>. You can revoke access at any time under Connected apps.</p>
<form method="post" action="${escapeHtml(m.action)}">
${csrfField(m.csrf)}
<input type="hidden" name="request" value="${escapeHtml(m.request)}">
${m.budget ? budgetFieldset(m.budget, m.budgetInput) : ''}
<div class="row">
<button type="submit" name="action" value="deny" class="secondary" formnovalidate>Deny</button>
<button type="submit" name="action" value="approve">Approve</button>
</div>
</form>`;
  return layout(`Authorize ${m.client.name}`, body);
}
