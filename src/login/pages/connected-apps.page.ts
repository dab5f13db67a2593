import type { ConnectedApp } from '../authorization-flow.port';
import { escapeHtml } from '../../common/html/html.escape';
import { csrfField, layout, safeHttpUrl } from '../../common/html/page.layout';

/** What the connected-apps page shows. */
export interface ConnectedAppsPageModel {
  revokeAction: string;
  logoutAction: string;
  csrf: string;
  username: string;
  apps: ConnectedApp[];
  notice?: string;
}

function appItem(app: ConnectedApp, m: ConnectedAppsPageModel): string {
  const url = safeHttpUrl(app.client.url);
  const image = safeHttpUrl(app.client.imageUrl);
  const name = url ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(app.client.name)}</a>` : escapeHtml(app.client.name);
  return `<li data-client-id="${escapeHtml(app.client.clientId)}">
<div class="app">${image ? `<img src="${escapeHtml(image)}" alt="" width="48" height="48">` : ''}<div><strong>${name}</strong>
<div class="muted">Connected since ${escapeHtml(app.since.toISOString().slice(0, 10))}</div></div></div>
<ul class="scopes">${app.scopes.map((s) => `<li>${escapeHtml(s.description)} <code>${escapeHtml(s.name)}</code></li>`).join('')}</ul>
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
<p class="muted">Signed in as <strong>${escapeHtml(m.username)}</strong>.</p>
${list}
<footer><form method="post" action="${escapeHtml(m.logoutAction)}">${csrfField(m.csrf)}<button type="submit" class="link">Sign out</button></form></footer>`;
  return layout('Connected apps', body);
}
