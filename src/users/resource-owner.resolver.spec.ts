import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserJwtRejected } from '../core/oauth';
import type { RuntimeConfig } from '../config/config.types';
import { ResourceOwnerResolver, userJwtOf } from './resource-owner.resolver';
import { signUserJwt } from './user-jwt.signer';
import type { Clock } from '../core/clock';

const SECRET = 'unit-test-secret-0123456789';
const clock = { now: () => new Date(1_700_000_000_000) } as Clock;
const resolver = new ResourceOwnerResolver({ jwtSecret: SECRET } as RuntimeConfig, clock);

test('userJwtOf reads `Bearer <jwt>` (any case) and a bare JWT, nothing else', () => {
  assert.equal(userJwtOf('Bearer a.b.c'), 'a.b.c');
  assert.equal(userJwtOf('bearer   a.b.c '), 'a.b.c');
  assert.equal(userJwtOf('eyJh.eyJp.sig'), 'eyJh.eyJp.sig');
  assert.equal(userJwtOf(undefined), undefined);
  assert.equal(userJwtOf('Basic aWQ6c2VjcmV0'), undefined);
  assert.equal(userJwtOf('not a jwt'), undefined);
});

test('a valid user JWT names the resource owner with its id as a string', async () => {
  const jwt = await signUserJwt({ id: 214, identifier: 'B07KQWNvGAiq2kGWU3kz' }, SECRET, clock, 60);
  assert.deepEqual(await resolver.resolve({ headers: { authorization: `Bearer ${jwt}` } }), { id: '214', identifier: 'B07KQWNvGAiq2kGWU3kz' });
  const noIdentifier = await signUserJwt({ id: 'u-1' }, SECRET, clock, 60);
  assert.deepEqual(await resolver.resolve({ headers: { authorization: noIdentifier } }), { id: 'u-1' });
});

test('no credential is anonymous for resolve and a 401 without error code for require', async () => {
  assert.equal(await resolver.resolve({ headers: {} }), undefined);
  await assert.rejects(resolver.require({ headers: {} }), (err: { status: number; headers(): Record<string, string> }) => {
    assert.equal(err.status, 401);
    assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Bearer realm="satgate"' });
    return true;
  });
});

test('a wrong secret or an expired token is rejected with its reason, never treated as anonymous', async () => {
  const forged = await signUserJwt({ id: 1 }, 'another-secret-0123456789', clock, 60);
  await assert.rejects(resolver.resolve({ headers: { authorization: `Bearer ${forged}` } }), (err: UserJwtRejected) => err.reason === 'bad_signature');
  const expired = await signUserJwt({ id: 1 }, SECRET, { now: () => new Date(1_700_000_000_000 - 120_000) }, 60);
  await assert.rejects(resolver.resolve({ headers: { authorization: `Bearer ${expired}` } }), (err: UserJwtRejected) => err.reason === 'expired');
});

test('an id or identifier longer than satgate stores is refused, not truncated', async () => {
  const long = await signUserJwt({ id: 'x'.repeat(201) }, SECRET, clock, 60);
  await assert.rejects(resolver.resolve({ headers: { authorization: `Bearer ${long}` } }), (err: UserJwtRejected) => err.reason === 'invalid_claims');
});
