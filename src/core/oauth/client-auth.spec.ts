import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractClientCredentials, parseBasicAuthorization, type ClientCredentials } from './client-auth';
import { InvalidClient, InvalidRequest } from './errors';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const basic = (userPass: string) => `Basic ${b64(userPass)}`;

describe('parseBasicAuthorization (RFC 6749 §2.3.1)', () => {
  const decoded: Array<[string, string, { clientId: string; clientSecret?: string }]> = [
    ['plain id and secret', basic('my-client:s3cret'), { clientId: 'my-client', clientSecret: 's3cret' }],
    ['percent-encoded colon in the secret', basic('my-client:p%3Ass'), { clientId: 'my-client', clientSecret: 'p:ss' }],
    ['percent-encoded colon in the id', basic('client%3Aid:x'), { clientId: 'client:id', clientSecret: 'x' }],
    ['"+" is a space, %2B a plus', basic('my+client:a%2Bb'), { clientId: 'my client', clientSecret: 'a+b' }],
    ['%20 is a space, %25 a percent', basic('my%20client:100%25'), { clientId: 'my client', clientSecret: '100%' }],
    ['percent-encoded UTF-8', basic('caf%C3%A9:x'), { clientId: 'café', clientSecret: 'x' }],
    ['unencoded colon in the secret splits at the first colon', basic('client:se:cret'), { clientId: 'client', clientSecret: 'se:cret' }],
    ["empty password = public client (Alby's `client_id:`)", basic('test_client:'), { clientId: 'test_client' }],
    ['case-insensitive scheme, extra spaces', `  bAsIc   ${b64('a:b')}  `, { clientId: 'a', clientSecret: 'b' }],
    ['unpadded base64', `Basic ${b64('ab:c').replace(/=+$/, '')}`, { clientId: 'ab', clientSecret: 'c' }],
  ];
  for (const [name, header, expected] of decoded) {
    it(`decodes: ${name}`, () => {
      assert.deepEqual(parseBasicAuthorization(header), expected);
    });
  }

  for (const header of [undefined, 'Bearer abc.def.ghi', 'Basically YTpi', 'L402 mac:pre']) {
    it(`ignores non-Basic header ${JSON.stringify(header)}`, () => {
      assert.equal(parseBasicAuthorization(header), undefined);
    });
  }

  const malformed: Array<[string, string, RegExp]> = [
    ['no credentials', 'Basic', /malformed/],
    ['not base64', 'Basic !!!!', /malformed/],
    ['two tokens', `Basic ${b64('a:b')} ${b64('c:d')}`, /malformed/],
    ['no colon', basic('justanid'), /separator/],
    ['empty client id', basic(':secret'), /empty client id/],
    ['bad percent-encoding', basic('id:%zz'), /percent-encoding/],
    ['truncated percent-encoding', basic('id:abc%4'), /percent-encoding/],
    ['invalid UTF-8', `Basic ${b64(Buffer.from([0x69, 0x64, 0x3a, 0xff, 0xfe]))}`, /UTF-8/],
  ];
  for (const [name, header, message] of malformed) {
    it(`rejects as 401 invalid_client + Basic challenge: ${name}`, () => {
      assert.throws(() => parseBasicAuthorization(header), (err: unknown) => {
        assert.ok(err instanceof InvalidClient);
        assert.equal(err.status, 401);
        assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Basic realm="satgate"' });
        assert.match(err.description, message);
        return true;
      });
    });
  }
});

describe('extractClientCredentials', () => {
  const ok: Array<[string, { authorization?: string; body?: Record<string, unknown> }, ClientCredentials]> = [
    [
      'Basic with secret',
      { authorization: basic('app:s%3Aecret'), body: { grant_type: 'authorization_code' } },
      { clientId: 'app', clientSecret: 's:ecret', method: 'client_secret_basic', usedBasic: true },
    ],
    [
      'Basic with empty password (public client)',
      { authorization: basic('app:') },
      { clientId: 'app', method: 'none', usedBasic: true },
    ],
    [
      'Basic plus the same client_id in the body',
      { authorization: basic('app:pw'), body: { client_id: 'app' } },
      { clientId: 'app', clientSecret: 'pw', method: 'client_secret_basic', usedBasic: true },
    ],
    [
      'Basic plus an empty body client_secret (= omitted, RFC 6749 §3.2)',
      { authorization: basic('app:pw'), body: { client_secret: '' } },
      { clientId: 'app', clientSecret: 'pw', method: 'client_secret_basic', usedBasic: true },
    ],
    [
      'body client_id and client_secret',
      { body: { client_id: 'app', client_secret: 'pw' } },
      { clientId: 'app', clientSecret: 'pw', method: 'client_secret_post', usedBasic: false },
    ],
    [
      'body client_id only (public client)',
      { body: { client_id: 'app', client_secret: '' } },
      { clientId: 'app', method: 'none', usedBasic: false },
    ],
    [
      'a Bearer header is not client authentication',
      { authorization: 'Bearer xyz', body: { client_id: 'app' } },
      { clientId: 'app', method: 'none', usedBasic: false },
    ],
  ];
  for (const [name, input, expected] of ok) {
    it(`accepts: ${name}`, () => {
      assert.deepEqual(extractClientCredentials(input), expected);
    });
  }

  const bad: Array<[string, { authorization?: string; body?: Record<string, unknown> }, typeof InvalidRequest | typeof InvalidClient, number, RegExp]> = [
    ['Basic and body client_secret (two methods, RFC 6749 §2.3)', { authorization: basic('app:pw'), body: { client_id: 'app', client_secret: 'pw' } }, InvalidRequest, 400, /both/],
    ['Basic and a different body client_id', { authorization: basic('app:pw'), body: { client_id: 'other' } }, InvalidRequest, 400, /does not match/],
    ['client_secret without client_id', { body: { client_secret: 'pw' } }, InvalidRequest, 400, /without client_id/],
    ['repeated client_id', { body: { client_id: ['a', 'b'] } }, InvalidRequest, 400, /repeated/],
    ['nothing at all', { body: {} }, InvalidClient, 401, /required/],
  ];
  for (const [name, input, errorClass, status, message] of bad) {
    it(`rejects: ${name}`, () => {
      assert.throws(() => extractClientCredentials(input), (err: unknown) => {
        assert.ok(err instanceof errorClass, String(err));
        assert.equal((err as InvalidRequest).status, status);
        assert.match((err as InvalidRequest).description, message);
        return true;
      });
    });
  }
});
