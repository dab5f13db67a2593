import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { adminHeaders, startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import { basic, exchangeCode, getWithBearer, obtainCode, postForm, registerClient, type Tokens, userJwt } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
});
after(() => satgate?.close());

const ALL_SCOPES = ['account:read', 'balance:read', 'invoices:create', 'invoices:read', 'payments:send', 'transactions:read'];

function admin(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? adminHeaders : { ...adminHeaders, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('POST /admin/clients: 201 with the secret shown once; GET shows the client without it', async () => {
  const res = await admin('POST', '/admin/clients', {
    name: 'Podcast app',
    url: 'https://pod.example.com',
    domain: 'https://pod.example.com/oauth/callback',
    imageUrl: 'https://pod.example.com/logo.png',
    redirectUris: ['com.example.pod:/callback', 'https://pod.example.com/oauth/callback'],
  });
  assert.equal(res.status, 201);
  const created = (await res.json()) as Record<string, unknown>;
  assert.match(String(created.clientId), /^[A-Za-z0-9_-]{22}$/);
  assert.match(String(created.clientSecret), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(created.name, 'Podcast app');
  assert.equal(created.url, 'https://pod.example.com');
  assert.equal(created.imageUrl, 'https://pod.example.com/logo.png');
  assert.equal(created.domain, 'https://pod.example.com/oauth/callback');
  assert.deepEqual(created.redirectUris, ['https://pod.example.com/oauth/callback', 'com.example.pod:/callback']);
  assert.deepEqual(created.scopes, ALL_SCOPES, 'default: every registered scope');
  assert.equal(created.public, false);

  const one = (await (await admin('GET', `/admin/clients/${created.clientId}`)).json()) as Record<string, unknown>;
  assert.equal(one.clientSecret, undefined, 'the secret is never shown again');
  const { clientSecret: _shownOnce, ...withoutSecret } = created;
  assert.deepEqual(one, withoutSecret);
  const list = (await (await admin('GET', '/admin/clients')).json()) as Array<Record<string, unknown>>;
  assert.ok(list.some((c) => c.clientId === created.clientId && c.clientSecret === undefined));
  assert.equal((await admin('GET', '/admin/clients/no-such-client')).status, 404);
});

test('bad client input is a 400 naming the field', async () => {
  const good = { name: 'x', domain: 'https://x.example.com/cb' };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ domain: 'https://x.example.com/cb' }, 'name'],
    [{ ...good, domain: 'localhost:8080/client_app' }, 'domain'],
    [{ ...good, domain: 'http://x.example.com/cb' }, 'domain'],
    [{ ...good, domain: 'https://x.example.com/cb#frag' }, 'domain'],
    [{ ...good, redirectUris: ['javascript:alert(1)'] }, 'redirectUris'],
    [{ ...good, redirectUris: 'https://x.example.com/2' }, 'redirectUris'],
    [{ ...good, scopes: ['balance:read', 'wallet:drain'] }, 'scopes'],
    [{ ...good, scopes: [] }, 'scopes'],
    [{ ...good, url: 'javascript:alert(1)' }, 'url'],
    [{ ...good, imageUrl: 'not a url' }, 'imageUrl'],
    [{ ...good, public: 'yes' }, 'public'],
    [{ ...good, userId: '1' }, 'userId'],
  ];
  for (const [body, field] of cases) {
    const res = await admin('POST', '/admin/clients', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const err = (await res.json()) as { error: string; field: string; error_description: string };
    assert.equal(err.error, 'invalid_request');
    assert.equal(err.field, field, JSON.stringify(body));
    assert.ok(err.error_description.length > 0);
  }
});

test('null is a 400 naming the field (only scopes may be null); names are trimmed before they are checked', async () => {
  const blank = await admin('POST', '/admin/clients', { name: '   ', domain: 'https://blank.example.com/cb' });
  assert.equal(blank.status, 400);
  assert.equal(((await blank.json()) as { field: string }).field, 'name');
  for (const field of ['url', 'imageUrl', 'public', 'redirectUris', 'scopes']) {
    const res = await admin('POST', '/admin/clients', { name: 'x', domain: 'https://x.example.com/cb', [field]: null });
    assert.equal(res.status, 400, `POST ${field}: null`);
    assert.equal(((await res.json()) as { field: string }).field, field);
  }

  const created = await admin('POST', '/admin/clients', { name: '  Spaced app  ', domain: 'https://nulls.example.com/cb', scopes: ['balance:read'] });
  assert.equal(created.status, 201);
  const client = (await created.json()) as { clientId: string; name: string };
  assert.equal(client.name, 'Spaced app');
  const before = await (await admin('GET', `/admin/clients/${client.clientId}`)).json();
  for (const field of ['name', 'domain', 'url', 'imageUrl', 'public', 'redirectUris']) {
    const res = await admin('PUT', `/admin/clients/${client.clientId}`, { [field]: null });
    assert.equal(res.status, 400, `PUT ${field}: null`);
    const err = (await res.json()) as { error: string; field: string; error_description: string };
    assert.equal(err.error, 'invalid_request');
    assert.equal(err.field, field);
    assert.match(err.error_description, new RegExp(`^${field} `));
  }
  const blankName = await admin('PUT', `/admin/clients/${client.clientId}`, { name: ' \t ' });
  assert.equal(blankName.status, 400);
  assert.equal(((await blankName.json()) as { field: string }).field, 'name');
  assert.deepEqual(await (await admin('GET', `/admin/clients/${client.clientId}`)).json(), before, 'nothing changed');

  const reset = await admin('PUT', `/admin/clients/${client.clientId}`, { scopes: null, name: ' Renamed ' });
  assert.equal(reset.status, 200);
  const updated = (await reset.json()) as { name: string; scopes: string[] };
  assert.equal(updated.name, 'Renamed');
  assert.deepEqual(updated.scopes, ALL_SCOPES, 'scopes: null restores the default');
});

test('PUT updates metadata; narrowing scopes takes them from live (even cached) tokens at once', async () => {
  const client = await registerClient(url, { domain: 'https://narrow.example.com/cb' });
  const tokens = await exchangeCode(url, client, await obtainCode(url, client, { scope: 'account:read balance:read' }));
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);

  const res = await admin('PUT', `/admin/clients/${client.clientId}`, {
    name: 'Renamed',
    scopes: ['balance:read'],
    redirectUris: ['https://narrow.example.com/cb2'],
  });
  assert.equal(res.status, 200);
  const updated = (await res.json()) as Record<string, unknown>;
  assert.equal(updated.name, 'Renamed');
  assert.deepEqual(updated.scopes, ['balance:read']);
  assert.deepEqual(updated.redirectUris, ['https://narrow.example.com/cb', 'https://narrow.example.com/cb2']);

  const denied = await getWithBearer(url, '/demo/me', tokens.access_token);
  assert.equal(denied.status, 403, 'account:read was removed from the client');
  const refreshed = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(client.clientId, client.clientSecret) });
  assert.equal(((await refreshed.json()) as Tokens).scope, 'balance:read');

  const flip = await admin('PUT', `/admin/clients/${client.clientId}`, { public: true });
  assert.equal(flip.status, 400);
  assert.equal(((await flip.json()) as { field: string }).field, 'public');
  assert.equal((await admin('PUT', '/admin/clients/nope', { name: 'x' })).status, 404);
});

test('POST /admin/clients/:id/secret rotates: the old secret stops at once, the new one works', async () => {
  const client = await registerClient(url, { domain: 'https://rotate.example.com/cb' });
  const res = await admin('POST', `/admin/clients/${client.clientId}/secret`);
  assert.equal(res.status, 200);
  const { clientId, clientSecret } = (await res.json()) as { clientId: string; clientSecret: string };
  assert.equal(clientId, client.clientId);
  assert.notEqual(clientSecret, client.clientSecret);
  const old = await postForm(url, '/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(clientId, client.clientSecret) });
  assert.equal(old.status, 401);
  const fresh = await postForm(url, '/oauth/token', { grant_type: 'client_credentials' }, { authorization: basic(clientId, clientSecret) });
  assert.equal(fresh.status, 200);

  const spa = await registerClient(url, { domain: 'https://spa.example.com/cb', public: true });
  const none = await admin('POST', `/admin/clients/${spa.clientId}/secret`);
  assert.equal(none.status, 400);
  assert.equal(((await none.json()) as { field: string }).field, 'public');
});

test('DELETE /admin/clients/:id revokes its tokens at once and forgets the client', async () => {
  const client = await registerClient(url, { domain: 'https://gone.example.com/cb' });
  const tokens = await exchangeCode(url, client, await obtainCode(url, client, { scope: 'account:read' }));
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);
  assert.equal((await admin('DELETE', `/admin/clients/${client.clientId}`)).status, 204);
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 401);
  assert.equal((await admin('GET', `/admin/clients/${client.clientId}`)).status, 404);
  const refresh = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: basic(client.clientId, client.clientSecret) });
  assert.equal(refresh.status, 401, 'the client itself is gone');
  assert.equal((await admin('DELETE', `/admin/clients/${client.clientId}`)).status, 404);
});

test('connected apps: GET /clients lists the apps holding live grants; DELETE /clients/:id revokes them', async () => {
  const podcast = await registerClient(url, { name: 'Podcasts', domain: 'https://pods.example.com/cb', imageUrl: 'https://pods.example.com/i.png' });
  const shop = await registerClient(url, { name: 'Shop', domain: 'https://shop.example.com/cb' });
  const alice = await userJwt(1001, 'alice');
  const bob = await userJwt(1002, 'bob');
  const p1 = await exchangeCode(url, podcast, await obtainCode(url, podcast, { scope: 'account:read' }, alice));
  const p2 = await exchangeCode(url, podcast, await obtainCode(url, podcast, { scope: 'balance:read' }, alice));
  const s1 = await exchangeCode(url, shop, await obtainCode(url, shop, { scope: 'account:read' }, alice));
  const b1 = await exchangeCode(url, podcast, await obtainCode(url, podcast, { scope: 'account:read' }, bob));

  const list = await fetch(`${url}/clients`, { headers: { authorization: `Bearer ${alice}` } });
  assert.equal(list.status, 200);
  const apps = (await list.json()) as Array<Record<string, unknown>>;
  assert.deepEqual(
    apps.map((a) => ({ ...a, createdAt: undefined })),
    [
      {
        id: podcast.clientId,
        name: 'Podcasts',
        imageUrl: 'https://pods.example.com/i.png',
        url: 'https://app.example.com',
        domain: 'pods.example.com',
        scopes: { 'account:read': 'Read your payment details like the Lightning Address and keysend information', 'balance:read': 'Read your balance' },
        createdAt: undefined,
      },
      {
        id: shop.clientId,
        name: 'Shop',
        imageUrl: '',
        url: 'https://app.example.com',
        domain: 'shop.example.com',
        scopes: { 'account:read': 'Read your payment details like the Lightning Address and keysend information' },
        createdAt: undefined,
      },
    ],
  );
  assert.equal((await fetch(`${url}/clients`)).status, 401);
  assert.equal((await fetch(`${url}/clients`, { headers: { authorization: `Bearer ${p1.access_token}` } })).status, 401, 'an access token is not a user JWT');

  const notMine = await fetch(`${url}/clients/${shop.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${bob}` } });
  assert.equal(notMine.status, 404, "bob holds no grant for the shop; alice's stays");
  assert.equal((await getWithBearer(url, '/demo/me', s1.access_token)).status, 200);

  const del = await fetch(`${url}/clients/${podcast.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice}` } });
  assert.equal(del.status, 200);
  assert.deepEqual(await del.json(), { clientId: podcast.clientId, revokedGrants: 2 });
  assert.equal((await getWithBearer(url, '/demo/me', p1.access_token)).status, 401);
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', p2.access_token)).status, 401);
  assert.equal((await getWithBearer(url, '/demo/me', b1.access_token)).status, 200, "bob's grant to the same app is untouched");
  const after = (await (await fetch(`${url}/clients`, { headers: { authorization: `Bearer ${alice}` } })).json()) as Array<{ id: string }>;
  assert.deepEqual(after.map((a) => a.id), [shop.clientId]);
});
