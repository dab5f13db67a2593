import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LocalAccount } from '../accounts/account.entity';
import { AuthorizationFlowPort, AuthorizationRejected, ValidatedAuthorization } from './authorization-flow.port';
import type { BrowserContext, BrowserRequest, BrowserSessions } from './browser.sessions';
import { configureLogger } from '../common/logger';
import { LoginFlowService } from './login-flow.service';
import type { SignInOutcome, SignInService } from './sign-in.service';

configureLogger('silent');

const account = { id: '11111111-2222-4333-8444-555555555555', username: 'demo' } as LocalAccount;
const now = new Date('2025-01-01T00:00:00Z');

/** A port whose answers each test sets; records what it was asked. */
function fakePort(opts: { approved?: boolean; reject?: AuthorizationRejected; public?: boolean; budget?: ValidatedAuthorization['budget'] } = {}) {
  const calls: string[] = [];
  const port: AuthorizationFlowPort = {
    async validate(params) {
      calls.push(`validate ${JSON.stringify(params)}`);
      if (opts.reject) throw opts.reject;
      return {
        client: { clientId: 'c1', name: 'Demo App', imageUrl: '', url: '', public: opts.public ?? false },
        redirectUri: 'http://localhost:8080',
        scopes: [{ name: 'balance:read', description: 'Read your balance' }],
        state: 's1',
        request: { params },
        ...(opts.budget ? { budget: opts.budget } : {}),
      } satisfies ValidatedAuthorization;
    },
    async approve(user, _v, budget) {
      calls.push(`approve ${user.id} ${user.identifier}${budget ? ` budget ${budget.maxAmountSat}/${budget.renewal}` : ''}`);
      return 'http://localhost:8080?code=CODE&state=s1';
    },
    async deny() {
      calls.push('deny');
      return 'http://localhost:8080?error=access_denied&state=s1';
    },
    async previouslyApproved(userId, clientId, scopes) {
      calls.push(`previouslyApproved ${userId} ${clientId} ${scopes.join(',')}`);
      return opts.approved ?? false;
    },
    async listConnectedApps() {
      return [];
    },
    async revokeApp() {},
    async setAppBudget() {},
    async revokeAllApps() {},
  };
  return { port, calls };
}

function fakeBrowser(opts: { signedIn?: boolean; csrfOk?: boolean } = {}): BrowserSessions {
  return {
    async open(): Promise<BrowserContext> {
      return { account: opts.signedIn ? account : undefined, csrfCookie: 'c', csrfToken: 'TOKEN', setCookies: ['satgate_csrf=c'] };
    },
    csrfFailure: () => (opts.csrfOk === false ? 'mismatch' : undefined),
  } as unknown as BrowserSessions;
}

function fakeSignIn(outcome: SignInOutcome): SignInService {
  return { attempt: async (ctx: BrowserContext) => (outcome.ok ? ((ctx.account = account), outcome) : outcome) } as unknown as SignInService;
}

const ok: SignInOutcome = { ok: true, account };
const get = (query: string): BrowserRequest => ({ query, body: {}, cookieHeader: undefined, ip: '127.0.0.1' });
const post = (body: Record<string, unknown>): BrowserRequest => ({ query: '', body: { csrf: 'TOKEN', ...body }, cookieHeader: undefined, ip: '127.0.0.1' });

test('GET without a session shows the sign-in page for the app, carrying the request', async () => {
  const { port } = fakePort();
  const r = await new LoginFlowService(port, fakeBrowser(), fakeSignIn(ok)).show(get('client_id=c1&state=s1'), now);
  assert.equal(r.status, 200);
  assert.match(r.html!, /Sign in to continue to Demo App/);
  assert.ok(r.html!.includes('<input type="hidden" name="request" value="client_id=c1&amp;state=s1">'));
  assert.deepEqual(r.cookies, ['satgate_csrf=c']);
});

test('GET with a session shows consent unless an earlier grant covers the scopes', async () => {
  const fresh = fakePort({ approved: false });
  const r = await new LoginFlowService(fresh.port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).show(get('client_id=c1'), now);
  assert.equal(r.status, 200);
  assert.match(r.html!, /Demo App wants to access your account/);
  assert.ok(fresh.calls.includes(`previouslyApproved local:${account.id} c1 balance:read`));

  const again = fakePort({ approved: true });
  const skip = await new LoginFlowService(again.port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).show(get('client_id=c1'), now);
  assert.equal(skip.status, 302);
  assert.equal(skip.location, 'http://localhost:8080?code=CODE&state=s1');
  assert.ok(again.calls.includes(`approve local:${account.id} demo`));
});

test('a public client is asked for consent every time, even with an earlier grant covering the scopes', async () => {
  const spa = fakePort({ approved: true, public: true });
  const r = await new LoginFlowService(spa.port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).show(get('client_id=c1'), now);
  assert.equal(r.status, 200);
  assert.match(r.html!, /Demo App wants to access your account/);
  assert.ok(!spa.calls.some((c) => c.startsWith('approve')), 'no code without the user approving');
});

test('an unknown client or redirect URI is an error page; other errors go back to the app', async () => {
  const shown = fakePort({ reject: new AuthorizationRejected('invalid_client', 'unknown client_id') });
  const page = await new LoginFlowService(shown.port, fakeBrowser(), fakeSignIn(ok)).show(get('client_id=nope'), now);
  assert.equal(page.status, 400);
  assert.equal(page.location, undefined);
  assert.match(page.html!, /unknown client_id/);

  const back = fakePort({ reject: new AuthorizationRejected('redirected', 'x', 'http://localhost:8080?error=invalid_scope&state=s1') });
  const r = await new LoginFlowService(back.port, fakeBrowser(), fakeSignIn(ok)).show(get('client_id=c1&scope=bad'), now);
  assert.equal(r.status, 302);
  assert.equal(r.location, 'http://localhost:8080?error=invalid_scope&state=s1');
  const p = await new LoginFlowService(back.port, fakeBrowser(), fakeSignIn(ok)).submit(post({ action: 'deny', request: 'client_id=c1' }), now);
  assert.equal(p.status, 303, 'after a POST the redirect is a 303');
});

test('an authorization request longer than 16 KiB is an error page, never validated, echoed or redirected', async () => {
  const { port, calls } = fakePort();
  const huge = `client_id=c1&junk=${'x'.repeat(16 * 1024)}`;
  const r = await new LoginFlowService(port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).submit(post({ action: 'approve', request: huge }), now);
  assert.equal(r.status, 400);
  assert.equal(r.location, undefined);
  assert.match(r.html!, /The authorization request is too long/);
  assert.ok(r.html!.length < 5000);
  assert.deepEqual(calls, []);
});

test('a form post with a bad CSRF token is refused with 403 before anything else happens', async () => {
  const { port, calls } = fakePort();
  const r = await new LoginFlowService(port, fakeBrowser({ csrfOk: false }), fakeSignIn(ok)).submit(post({ action: 'approve', request: 'client_id=c1' }), now);
  assert.equal(r.status, 403);
  assert.match(r.html!, /Form expired/);
  assert.deepEqual(calls, []);
});

test('sign-in success redirects (303) back to the authorization page; failure re-renders with the error', async () => {
  const { port } = fakePort();
  const good = await new LoginFlowService(port, fakeBrowser(), fakeSignIn(ok)).submit(post({ action: 'sign_in', request: 'client_id=c1&state=s1', username: 'demo', password: 'x' }), now);
  assert.equal(good.status, 303);
  assert.equal(good.location, '/login/authorize?client_id=c1&state=s1');

  const bad = await new LoginFlowService(port, fakeBrowser(), fakeSignIn({ ok: false, problem: { status: 429, message: 'Too many failed sign-ins. Try again in 15 minutes.', headers: { 'Retry-After': '900' } } }))
    .submit(post({ action: 'sign_in', request: 'client_id=c1', username: 'demo', password: 'x' }), now);
  assert.equal(bad.status, 429);
  assert.deepEqual(bad.headers, { 'Retry-After': '900' });
  assert.match(bad.html!, /Too many failed sign-ins/);
  assert.match(bad.html!, /value="demo"/);
});

test('approve needs a session and issues the code; deny answers access_denied', async () => {
  const { port, calls } = fakePort();
  const noSession = await new LoginFlowService(port, fakeBrowser(), fakeSignIn(ok)).submit(post({ action: 'approve', request: 'client_id=c1' }), now);
  assert.equal(noSession.status, 200);
  assert.match(noSession.html!, /Your session has ended/);
  assert.ok(!calls.some((c) => c.startsWith('approve')));

  const approved = await new LoginFlowService(port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).submit(post({ action: 'approve', request: 'client_id=c1' }), now);
  assert.equal(approved.status, 303);
  assert.equal(approved.location, 'http://localhost:8080?code=CODE&state=s1');

  const denied = await new LoginFlowService(port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).submit(post({ action: 'deny', request: 'client_id=c1' }), now);
  assert.equal(denied.location, 'http://localhost:8080?error=access_denied&state=s1');

  const unknown = await new LoginFlowService(port, fakeBrowser({ signedIn: true }), fakeSignIn(ok)).submit(post({ action: 'steal', request: 'client_id=c1' }), now);
  assert.equal(unknown.status, 400);
});
