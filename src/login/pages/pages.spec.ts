import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderConnectedAppsPage } from './connected-apps.page';
import { renderConsentPage } from './consent.page';
import { renderErrorPage } from './error.page';
import { escapeHtml } from '../../common/html/html.escape';
import { safeHttpUrl } from '../../common/html/page.layout';
import { renderSignInPage } from './sign-in.page';

const evil = { clientId: 'c1', name: '<script>alert(1)</script> $& App', imageUrl: 'javascript:alert(1)', url: 'https://app.example/' };

/** Every <form> in the page carries the CSRF token as a hidden field. */
function assertEveryFormHasCsrf(html: string, token: string): void {
  const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
  assert.ok(forms.length > 0, 'page has forms');
  for (const f of forms) assert.ok(f.includes(`<input type="hidden" name="csrf" value="${token}">`), `form without csrf: ${f.slice(0, 80)}`);
}

test('escapeHtml and safeHttpUrl neutralise markup and non-http URLs', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(safeHttpUrl('javascript:alert(1)'), undefined);
  assert.equal(safeHttpUrl('data:image/png;base64,AAAA'), undefined);
  assert.equal(safeHttpUrl('not a url'), undefined);
  assert.equal(safeHttpUrl('https://x.example/logo.png'), 'https://x.example/logo.png');
});

test('the sign-in page is phone-ready, script-free, escapes the app name and keeps the request', () => {
  const html = renderSignInPage({ action: '/login/authorize', csrf: 'tok', request: 'client_id=c1&state="x"', client: evil, username: '"><b>', error: 'Wrong username or password.' });
  assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.doesNotMatch(html, /<script/i);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; $&amp; App'));
  assert.ok(html.includes('<input type="hidden" name="request" value="client_id=c1&amp;state=&quot;x&quot;">'));
  assert.ok(html.includes('value="&quot;&gt;&lt;b&gt;"'));
  assert.ok(html.includes('<div class="error" role="alert">Wrong username or password.</div>'));
  assert.doesNotMatch(html, /javascript:/);
  assert.ok(html.includes('formnovalidate'), 'Cancel works with empty fields');
  assertEveryFormHasCsrf(html, 'tok');
});

test('the consent page names the app, each scope with its description, the destination, and offers Approve and Deny', () => {
  const html = renderConsentPage({
    action: '/login/authorize',
    logoutAction: '/login/logout',
    csrf: 'tok',
    request: 'client_id=c1',
    client: { clientId: 'c1', name: 'Demo App', imageUrl: 'https://app.example/logo.png', url: 'https://app.example/' },
    scopes: [{ name: 'balance:read', description: 'Read your balance' }, { name: 'payments:send', description: 'Send payments from your account' }],
    redirectUri: 'https://app.example/callback?x=1',
    username: 'demo',
  });
  assert.ok(html.includes('<img src="https://app.example/logo.png"'));
  assert.ok(html.includes('<a href="https://app.example/" rel="noopener noreferrer" target="_blank">Demo App</a> wants to access your account'));
  assert.ok(html.includes('<li><strong>Read your balance</strong> <code>balance:read</code></li>'));
  assert.ok(html.includes('<li><strong>Send payments from your account</strong> <code>payments:send</code></li>'));
  assert.ok(html.includes('<code>https://app.example</code>'));
  assert.ok(html.includes('name="action" value="approve"'));
  assert.ok(html.includes('name="action" value="deny"'));
  assertEveryFormHasCsrf(html, 'tok');
});

test('the connected-apps page lists each app with a Revoke form, or says there are none', () => {
  const html = renderConnectedAppsPage({
    revokeAction: '/login/apps/revoke', budgetAction: '/login/apps/budget',
    logoutAction: '/login/logout',
    csrf: 'tok',
    username: 'demo',
    apps: [{ client: evil, scopes: [{ name: 'balance:read', description: 'Read your balance' }], since: new Date('2025-03-04T05:06:07Z') }],
  });
  assert.ok(html.includes('<input type="hidden" name="client_id" value="c1">'));
  assert.ok(html.includes('Connected since 2025-03-04'));
  assert.doesNotMatch(html, /<script>/);
  assertEveryFormHasCsrf(html, 'tok');
  const empty = renderConnectedAppsPage({ revokeAction: '/r', budgetAction: '/b', logoutAction: '/l', csrf: 't', username: 'demo', apps: [] });
  assert.ok(empty.includes('No app has access to your account.'));
});

test('the error page shows the message and code, escaped, with no link anywhere', () => {
  const html = renderErrorPage({ title: 'Nope', message: 'redirect_uri <b>bad</b>', code: 'invalid_request' });
  assert.ok(html.includes('redirect_uri &lt;b&gt;bad&lt;/b&gt;'));
  assert.ok(html.includes('<code>invalid_request</code>'));
  assert.doesNotMatch(html, /<a /);
});
