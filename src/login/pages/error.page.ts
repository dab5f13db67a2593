import { escapeHtml } from '../../common/html/html.escape';
import { layout } from '../../common/html/page.layout';

/** An error the user must read because it cannot safely go back to the app (or there is no app). */
export interface ErrorPageModel {
  title: string;
  message: string;
  /** The OAuth error code, when there is one, for the user to pass on to the app's developer. */
  code?: string;
}

/** A plain page stating what went wrong; it never links back to an unverified redirect URI. */
export function renderErrorPage(m: ErrorPageModel): string {
  const body = `<h1>${escapeHtml(m.title)}</h1>
<div class="error" role="alert">${escapeHtml(m.message)}</div>
${m.code ? `<p class="muted">Error code: <code>${escapeHtml(m.code)}</code></p>` : ''}`;
  return layout(m.title, body);
}
