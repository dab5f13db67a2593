import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SCRYPT_PARAMS, MalformedPasswordHash, PasswordHasher } from './password.hasher';

const fast = new PasswordHasher({ ln: 10, r: 8, p: 1 });

test('the default parameters are scrypt N=2^15, r=8, p=1 and are written into the hash', async () => {
  assert.deepEqual(DEFAULT_SCRYPT_PARAMS, { ln: 15, r: 8, p: 1 });
  const stored = await new PasswordHasher().hash('correct horse battery staple');
  assert.match(stored, /^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
  assert.equal(await new PasswordHasher().verify('correct horse battery staple', stored), true);
});

test('verify accepts the password and refuses any other', async () => {
  const stored = await fast.hash('hunter2hunter2');
  assert.equal(await fast.verify('hunter2hunter2', stored), true);
  assert.equal(await fast.verify('hunter2hunter3', stored), false);
  assert.equal(await fast.verify('', stored), false);
  assert.equal(await fast.verify('HUNTER2HUNTER2', stored), false);
});

test('each hash has its own salt, so equal passwords store differently', async () => {
  const a = await fast.hash('same password');
  const b = await fast.hash('same password');
  assert.notEqual(a, b);
  assert.equal(await fast.verify('same password', b), true);
});

test('a hash made with other parameters still verifies and is flagged for re-hashing', async () => {
  const old = await new PasswordHasher({ ln: 11, r: 8, p: 1 }).hash('pw-12345678');
  assert.equal(await fast.verify('pw-12345678', old), true);
  assert.equal(fast.needsRehash(old), true);
  assert.equal(fast.needsRehash(await fast.hash('pw-12345678')), false);
});

test('Unicode passwords are NFKC-normalised: composed and decomposed forms match', async () => {
  const stored = await fast.hash('caf\u00e9-passw0rd');
  assert.equal(await fast.verify('cafe\u0301-passw0rd', stored), true);
});

test('a malformed or absurd stored hash is an error naming why, not a silent mismatch', async () => {
  await assert.rejects(fast.verify('x', 'plaintext'), (e: unknown) => e instanceof MalformedPasswordHash && e.reason === 'format');
  await assert.rejects(fast.verify('x', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA=='), (e: unknown) =>
    e instanceof MalformedPasswordHash && e.reason === 'params');
});

test('verifyNothing does the work and always answers false', async () => {
  assert.equal(await fast.verifyNothing('satgate-dummy-password'), false);
});
