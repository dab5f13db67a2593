import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { fixedClock } from '../clock';
import { InvalidToken } from './resource-errors';
import { IDENTITY_JWT_LIFETIME_SECONDS, signIdentityJwt, UserJwtRejected, verifyUserJwt, type UserJwtFailure } from './user-jwt';

const SECRET = 'lndhub-jwt-secret';
const NOW_MS = 1_750_000_000_000;
const NOW = NOW_MS / 1000;
const clock = fixedClock(NOW_MS);
const key = (secret: string) => new TextEncoder().encode(secret);

/** A JWT signed by hand, so tests can produce headers jose refuses to emit (alg none). */
function handMade(header: object, payload: object, secret = SECRET): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

async function sign(payload: Record<string, unknown>, options: { alg?: string; secret?: string } = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' }).sign(key(options.secret ?? SECRET));
}

describe('jose from CommonJS', () => {
  it('loads through require(esm) in this CommonJS build', () => {
    assert.equal(typeof module, 'object'); // this spec itself is compiled to CommonJS
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- require() is what this proves works
    const jose = require('jose') as typeof import('jose');
    assert.equal(typeof jose.jwtVerify, 'function');
    assert.equal(typeof jose.SignJWT, 'function');
  });
});

describe('verifyUserJwt', () => {
  const valid: Array<[string, Record<string, unknown>, { id: string; identifier?: string }]> = [
    ["Alby's numeric id and identifier", { id: 123, identifier: 'alice', exp: NOW + 3600 }, { id: '123', identifier: 'alice' }],
    ['string id, no identifier', { id: 'u-42', exp: NOW + 1 }, { id: 'u-42' }],
    ['isRefresh false', { id: 7, isRefresh: false, exp: NOW + 60 }, { id: '7' }],
    ['an id merely containing local:', { id: 'user-local:1', exp: NOW + 60 }, { id: 'user-local:1' }],
  ];
  for (const [name, payload, expected] of valid) {
    it(`accepts ${name}`, async () => {
      assert.deepEqual(await verifyUserJwt(await sign(payload), SECRET, clock), expected);
    });
  }

  const hs256Forged = async () => {
    const [, payload, sig] = (await sign({ id: 1, exp: NOW + 60 })).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
    return `${header}.${payload}.${sig}`;
  };

  const refused: Array<[string, () => Promise<string>, UserJwtFailure]> = [
    ['wrong secret', () => sign({ id: 1, exp: NOW + 60 }, { secret: 'another-secret' }), 'bad_signature'],
    ['tampered payload', async () => {
      const [h, , s] = (await sign({ id: 1, exp: NOW + 60 })).split('.');
      return `${h}.${Buffer.from(`{"id":2,"exp":${NOW + 60}}`).toString('base64url')}.${s}`;
    }, 'bad_signature'],
    ['alg none', async () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"id":1}').toString('base64url')}.`, 'alg_not_allowed'],
    ['alg none with a signature part', async () => handMade({ alg: 'none' }, { id: 1 }), 'alg_not_allowed'],
    ['HS512 with the right secret', () => sign({ id: 1, exp: NOW + 60 }, { alg: 'HS512' }), 'alg_not_allowed'],
    ['HS256 signature relabelled HS512', hs256Forged, 'alg_not_allowed'],
    ['expired', () => sign({ id: 1, exp: NOW - 1 }), 'expired'],
    ['exp equal to now', () => sign({ id: 1, exp: NOW }), 'expired'],
    ['no exp at all', () => sign({ id: 7 }), 'missing_exp'],
    ['no exp, right secret, otherwise perfect', () => sign({ id: 214, identifier: 'alice', iat: NOW }), 'missing_exp'],
    ['exp not a number', () => sign({ id: 1, exp: 'tomorrow' }), 'malformed'],
    ['nbf in the future', () => sign({ id: 1, nbf: NOW + 60, exp: NOW + 120 }), 'not_yet_valid'],
    ['no id', () => sign({ identifier: 'alice', exp: NOW + 60 }), 'invalid_claims'],
    ['empty id', () => sign({ id: '', exp: NOW + 60 }), 'invalid_claims'],
    ['fractional id', () => sign({ id: 1.5, exp: NOW + 60 }), 'invalid_claims'],
    ['a local account id', () => sign({ id: 'local:3f2c9a2e-8a1b-4c1e-9a57-0c3b1d0f1e22', exp: NOW + 60 }), 'invalid_claims'],
    ['the bare local: prefix', () => sign({ id: 'local:', exp: NOW + 60 }), 'invalid_claims'],
    ['identifier not a string', () => sign({ id: 1, identifier: 5, exp: NOW + 60 }), 'invalid_claims'],
    ['an LNDhub refresh JWT', () => sign({ id: 1, isRefresh: true, exp: NOW + 60 }), 'refresh_token'],
    ['satgate\'s identity JWT for origins', () => sign({ id: 214, clientId: 'id', exp: NOW + 60 }), 'identity_token'],
    ['not a JWT', async () => 'not-a-jwt', 'malformed'],
    ['garbage segments', async () => 'a.b.c', 'malformed'],
  ];
  for (const [name, make, reason] of refused) {
    it(`refuses ${name} (${reason})`, async () => {
      const token = await make();
      await assert.rejects(verifyUserJwt(token, SECRET, clock), (err: unknown) => {
        assert.ok(err instanceof UserJwtRejected);
        assert.ok(err instanceof InvalidToken);
        assert.equal(err.reason, reason);
        assert.equal(err.status, 401);
        assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Bearer realm="satgate", error="invalid_token"' });
        return true;
      });
    });
  }

  it('follows the injected clock, not the wall clock', async () => {
    const token = await sign({ id: 1, exp: NOW + 10 });
    assert.deepEqual(await verifyUserJwt(token, SECRET, fixedClock(NOW_MS + 9_000)), { id: '1' });
    await assert.rejects(verifyUserJwt(token, SECRET, fixedClock(NOW_MS + 10_000)), { reason: 'expired' });
  });

  it('refuses to run with an empty secret', async () => {
    await assert.rejects(verifyUserJwt(await sign({ id: 1, exp: NOW + 60 }), '', clock), TypeError);
  });
});

describe('signIdentityJwt', () => {
  it("produces Alby's forwarded identity: HS256 {id, clientId, exp: now+60}", async () => {
    const token = await signIdentityJwt({ id: '123', clientId: 'demo-app' }, SECRET, clock);
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(decodeJwt(token), { id: 123, clientId: 'demo-app', exp: NOW + 60 });
    assert.equal(IDENTITY_JWT_LIFETIME_SECONDS, 60);
    const { payload } = await jwtVerify(token, key(SECRET), { algorithms: ['HS256'], currentDate: new Date(NOW_MS) });
    assert.equal(payload.id, 123);
  });

  const ids: Array<[string | number, string | number]> = [
    ['123', 123],
    [456, 456],
    ['0', 0],
    ['0123', '0123'], // not a canonical decimal: kept as a string
    ['9007199254740993', '9007199254740993'], // beyond a safe integer: kept exact as a string
    ['3f2c9a2e-8a1b-4c1e-9a57-0c3b1d0f1e22', '3f2c9a2e-8a1b-4c1e-9a57-0c3b1d0f1e22'],
  ];
  for (const [input, expected] of ids) {
    it(`id ${JSON.stringify(input)} is forwarded as ${JSON.stringify(expected)}`, async () => {
      const token = await signIdentityJwt({ id: input, clientId: 'c' }, SECRET, clock);
      assert.equal(decodeJwt(token).id, expected);
    });
  }

  it('floors the clock to whole seconds; the origin can verify it, satgate refuses it as a user JWT', async () => {
    const token = await signIdentityJwt({ id: 9, clientId: 'c' }, SECRET, fixedClock(NOW_MS + 999));
    assert.equal(decodeJwt(token).exp, NOW + 60);
    const { payload } = await jwtVerify(token, key(SECRET), { algorithms: ['HS256'], currentDate: new Date(NOW_MS + 59_000) });
    assert.equal(payload.id, 9);
    await assert.rejects(verifyUserJwt(token, SECRET, fixedClock(NOW_MS + 59_000)), { reason: 'identity_token' });
  });
});
