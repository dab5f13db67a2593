import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { OAuthPrincipal } from '../access/principal';
import { IdentityHeaders, L402_HEADERS, OAUTH_CLIENT_HEADER } from './identity-headers';

const SECRET = 'origin-secret-0123456789abcdef';
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function oauth(userId?: string): OAuthPrincipal {
  return { tokenId: 't', grantId: 'g', clientId: 'client-1', userId, scopes: ['balance:read'], expiresAt: new Date(T0 + 3600_000) };
}

async function claims(header: string): Promise<Record<string, unknown>> {
  const token = header.replace(/^Bearer /, '');
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
  const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ['HS256'], currentDate: new Date(T0) });
  return payload;
}

test('an OAuth caller with a user becomes Alby\'s identity JWT {id, clientId, exp: now+60}', async () => {
  let now = T0;
  const ids = new IdentityHeaders(SECRET, { now: () => new Date(now) });
  const headers = await ids.for({ oauth: oauth('214') });
  assert.deepEqual(Object.keys(headers), ['authorization']);
  assert.deepEqual(await claims(headers.authorization), { id: 214, clientId: 'client-1', exp: T0 / 1000 + 60 });

  now = T0 + 999;
  assert.equal((await ids.for({ oauth: oauth('214') })).authorization, headers.authorization, 'same second: the same token');
  now = T0 + 1000;
  const later = await ids.for({ oauth: oauth('214') });
  assert.notEqual(later.authorization, headers.authorization);
  assert.equal((await claims(later.authorization)).exp, T0 / 1000 + 61, 'a new second: a fresh exp');
  const other = await ids.for({ oauth: oauth('u-5') });
  assert.equal((await claims(other.authorization)).id, 'u-5', 'a non-numeric id stays a string');
});

test('a client without a user is named by header, not by a JWT', async () => {
  const headers = await new IdentityHeaders(SECRET, { now: () => new Date(T0) }).for({ oauth: oauth(undefined) });
  assert.deepEqual(headers, { [OAUTH_CLIENT_HEADER]: 'client-1' });
});

test('an L402 caller is described by token id, service, tier and capabilities; both modes send both', async () => {
  const ids = new IdentityHeaders(SECRET, { now: () => new Date(T0) });
  const l402 = { tokenId: 'ab'.repeat(32), paymentHash: 'cd'.repeat(32), service: 'v1-quote', tier: 0, capabilities: ['read', 'write'] };
  assert.deepEqual(await ids.for({ l402 }), {
    [L402_HEADERS.tokenId]: 'ab'.repeat(32),
    [L402_HEADERS.service]: 'v1-quote',
    [L402_HEADERS.tier]: '0',
    [L402_HEADERS.capabilities]: 'read,write',
  });
  const both = await ids.for({ oauth: oauth('7'), l402 });
  assert.deepEqual(Object.keys(both).sort(), ['authorization', ...Object.values(L402_HEADERS)].sort());
  assert.deepEqual(await ids.for({}), {});
  assert.deepEqual(await ids.for(undefined), {});
});
