import { formatSats } from '../../core/budget';
import type { BudgetUsage, ConnectedApp } from '../authorization-flow.port';
import { escapeHtml } from '../../common/html/html.escape';
import { csrfField, layout, safeHttpUrl } from '../../common/html/page.layout';

/** What the connected-apps page shows. */
export interface ConnectedAppsPageModel {
  revokeAction: string;
  budgetAction: string;
  logoutAction: string;
  csrf: string;
  username: string;
  apps: ConnectedApp[];
  notice?: string;
  error?: string;
}

/** Used / total with a bar, the renewal, a warning from 80 %, and a form to change the maximum. */
function budgetBlock(app: ConnectedApp, b: BudgetUsage, m: ConnectedAppsPageModel): string {
  const v = b.view;
  const max = v.max_amount_sat;
  const pct = max === null ? 0 : Math.min(100, Math.round((v.used_sat / max) * 100));
  const usage = max === null
    ? `${escapeHtml(formatSats(v.used_sat))} sats spent, no limit`
    : `${escapeHtml(formatSats(v.used_sat))} of ${escapeHtml(formatSats(max))} sats used`;
  return `<div class="budget" data-budget>
<p><strong>Spending budget:</strong> ${escapeHtml(b.words)}.</p>
${max === null ? '' : `<div class="meter${v.warning ? ' warn' : ''}" role="img" aria-label="${pct}% used"><span style="width:${pct}%"></span></div>`}
<p data-budget-usage>${usage}${v.renews_at ? ` · renews ${escapeHtml(v.renews_at.slice(0, 10))}` : ''}</p>
${v.warning ? `<p class="warn-text" role="status">${pct}% of this budget is used.</p>` : ''}
<form method="post" action="${escapeHtml(m.budgetAction)}">
${csrfField(m.csrf)}
<input type="hidden" name="client_id" value="${escapeHtml(app.client.clientId)}">
<label for="budget-${escapeHtml(app.client.clientId)}">New budget (sats)</label>
<input type="number" id="budget-${escapeHtml(app.client.clientId)}" name="budget_max_sat" inputmode="numeric" min="1" step="1" value="${max === null ? '' : max}">
<button type="submit" class="secondary">Change budget</button>
</form>
</div>`;
}

function appItem(app: ConnectedApp, m: ConnectedAppsPageModel): string {
  const url = safeHttpUrl(app.client.url);
  const image = safeHttpUrl(app.client.imageUrl);
  const name = url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(app.client.name)}</a>` : escapeHtml(app.client.name);
  return `<li data-client-id="${escapeHtml(app.client.clientId)}">
<div class="app">${image ? `<img src="${escapeHtml(image)}" alt="" width="48" height="48">` : ''}<div><strong>${name}</strong>
<div class="muted">Connected since ${escapeHtml(app.since.toISOString().slice(0, 10))}</div></div></div>
<ul class="scopes">${app.scopes.map((s) => `<li>${escapeHtml(s.description)} <code>${escapeHtml(s.name)}</code></li>`).join('')}</ul>
${app.budget ? budgetBlock(app, app.budget, m) : ''}
<form method="post" action="${escapeHtml(m.revokeAction)}">
${csrfField(m.csrf)}
<input type="hidden" name="client_id" value="${escapeHtml(app.client.clientId)}">
<button type="submit" class="secondary">Revoke access</button>
</form>
</li>`;
}

/** The apps holding grants of the signed-in user, each with its scopes and a Revoke button. */
export function renderConnectedAppsPage(m: ConnectedAppsPageModel): string {
  const list = m.apps.length
    ? `<ul class="apps">${m.apps.map((a) => appItem(a, m)).join('\n')}</ul>`
    : '<p>No app has access to your account.</p>';
  const body = `<h1>Connected apps</h1>
${m.notice ? `<div class="notice" role="status">${escapeHtml(m.notice)}</div>` : ''}
${m.error ? `<div class="error" role="alert">${escapeHtml(m.error)}</div>` : ''}
<p class="muted">Signed in as <strong>${escapeHtml(m.username)}</strong>.</p>
${list}
<footer><form method="post" action="${escapeHtml(m.logoutAction)}">${csrfField(m.csrf)}<button type="submit" class="link">Sign out</button></form></footer>`;
  return layout('Connected apps', body);
}
