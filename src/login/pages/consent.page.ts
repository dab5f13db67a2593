import type { ClientDisplay, ScopeDisplay } from '../authorization-flow.port';
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
<div class="muted">Signed in as <strong>${escapeHtml(m.username)}</strong>.
<form method="post" action="${escapeHtml(m.logoutAction)}" style="display:inline">${csrfField(m.csrf)}<input type="hidden" name="request" value="${escapeHtml(m.request)}"><button type="submit" class="link">Not you?</button></form></div>
${scopes}
<p class="muted">After you decide you will be sent to <code>${escapeHtml(destination(m.redirectUri))}</code>. You can revoke access at any time under Connected apps.</p>
<form method="post" action="${escapeHtml(m.action)}">
${csrfField(m.csrf)}
<input type="hidden" name="request" value="${escapeHtml(m.request)}">
<div class="row">
<button type="submit" name="action" value="deny" class="secondary">Deny</button>
<button type="submit" name="action" value="approve">Approve</button>
</div>
</form>`;
  return layout(`Authorize ${m.client.name}`, body);
}
