import type { ClientDisplay } from '../authorization-flow.port';
import { appHeader } from './app.fragment';
import { escapeHtml } from '../../common/html/html.escape';
import { csrfField, layout } from '../../common/html/page.layout';

/** What the sign-in page shows. With `client` and `request` it is step one of an authorization. */
export interface SignInPageModel {
  /** Where the form posts. */
  action: string;
  csrf: string;
  /** The raw query of the authorization request, carried through the form unchanged. */
  request?: string;
  client?: ClientDisplay;
  username?: string;
  error?: string;
  notice?: string;
}

/**
 * Username + password form. During an authorization it names the app asking and offers Cancel, which
 * tells the app the user declined (`formnovalidate` lets Cancel through with empty fields).
 */
export function renderSignInPage(m: SignInPageModel): string {
  const heading = m.client ? appHeader(m.client, 'Sign in to continue to {app}') : '<h1>Sign in to satgate</h1>';
  const body = `${heading}
${m.error ? `<div class="error" role="alert">${escapeHtml(m.error)}</div>` : ''}
${m.notice ? `<div class="notice" role="status">${escapeHtml(m.notice)}</div>` : ''}
<form method="post" action="${escapeHtml(m.action)}">
${csrfField(m.csrf)}
${m.request !== undefined ? `<input type="hidden" name="request" value="${escapeHtml(m.request)}">` : ''}
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${escapeHtml(m.username ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="256">
<button type="submit" name="action" value="sign_in">Sign in</button>
${m.client ? '<button type="submit" name="action" value="deny" class="secondary" formnovalidate>Cancel</button>' : ''}
</form>`;
  return layout('Sign in', body);
}
