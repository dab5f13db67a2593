import type { ClientDisplay } from '../authorization-flow.port';
import { escapeHtml } from '../../common/html/html.escape';
import { safeHttpUrl } from '../../common/html/page.layout';

/** The app's image and a headline (trusted markup with `{app}` where the escaped app name goes), the name linking to its landing page when that is an http(s) URL. */
export function appHeader(client: ClientDisplay, headline: string): string {
  const image = safeHttpUrl(client.imageUrl);
  const url = safeHttpUrl(client.url);
  const name = url
    ? `<a href="${escapeHtml(url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(client.name)}</a>`
    : escapeHtml(client.name);
  return `<div class="app">
${image ? `<img src="${escapeHtml(image)}" alt="" width="48" height="48">` : ''}
<div><h1>${headline.replace('{app}', () => name)}</h1>${url ? `<div class="muted">${escapeHtml(new URL(url).host)}</div>` : ''}</div>
</div>`;
}
