import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessDenied,
  InsufficientScope,
  InvalidClient,
  InvalidGrant,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidScope,
  InvalidToken,
  isOAuthError,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  UnauthorizedClient,
  UnsupportedGrantType,
  UnsupportedResponseType,
} from './errors';
import { formatBasicChallenge, formatBearerChallenge, quoteHeaderValue } from './www-authenticate';

describe('OAuth error classes', () => {
  const table: Array<[OAuthError, string, number]> = [
    [new InvalidRequest(), 'invalid_request', 400],
    [new InvalidClient(), 'invalid_client', 401],
    [new InvalidGrant(), 'invalid_grant', 400],
    [new UnauthorizedClient(), 'unauthorized_client', 400],
    [new UnsupportedGrantType(), 'unsupported_grant_type', 400],
    [new InvalidScope(), 'invalid_scope', 400],
    [new UnsupportedResponseType(), 'unsupported_response_type', 400],
    [new AccessDenied(), 'access_denied', 403],
    [new ServerError(), 'server_error', 500],
    [new TemporarilyUnavailable(), 'temporarily_unavailable', 503],
    [new InvalidRedirectUri(), 'invalid_redirect_uri', 400],
    [new InvalidToken(), 'invalid_token', 401],
    [new InsufficientScope(['balance:read']), 'insufficient_scope', 403],
  ];
  for (const [err, code, status] of table) {
    it(`${err.name} is ${code} / ${status}`, () => {
      assert.equal(err.error, code);
      assert.equal(err.status, status);
      assert.equal(err.toBody().error, code);
      assert.equal(typeof err.toBody().error_description, 'string');
      assert.ok(err.toBody().error_description.length > 0);
      assert.deepEqual(Object.keys(err.toBody()), ['error', 'error_description']);
      assert.ok(isOAuthError(err));
      assert.ok(err instanceof Error);
    });
  }

  it('carries the given description into the body', () => {
    assert.deepEqual(new InvalidGrant('authorization code expired').toBody(), {
      error: 'invalid_grant',
      error_description: 'authorization code expired',
    });
  });

  it('isOAuthError is false for ordinary errors', () => {
    assert.equal(isOAuthError(new Error('x')), false);
    assert.equal(isOAuthError({ error: 'invalid_grant' }), false);
  });

  it('ServerError keeps its detail for the log, not the body', () => {
    const cause = new Error('connection refused to 10.0.0.5');
    const err = new ServerError('token insert failed', { cause });
    assert.deepEqual(err.toBody(), { error: 'server_error', error_description: 'internal server error' });
    assert.equal(err.message, 'token insert failed');
    assert.equal(err.cause, cause);
  });

  it('TemporarilyUnavailable announces Retry-After when known', () => {
    assert.deepEqual(new TemporarilyUnavailable('lnd down', { retryAfterSeconds: 4.2 }).headers(), { 'Retry-After': '5' });
    assert.deepEqual(new TemporarilyUnavailable().headers(), {});
  });

  it('builds redirect parameters with state (RFC 6749 §4.1.2.1)', () => {
    assert.deepEqual(new InvalidScope('unknown scope: admin').toRedirectParams('xyz'), {
      error: 'invalid_scope',
      error_description: 'unknown scope: admin',
      state: 'xyz',
    });
    assert.deepEqual(Object.keys(new AccessDenied().toRedirectParams()), ['error', 'error_description']);
    assert.equal(new ServerError('secret detail').toRedirectParams().error_description, 'internal server error');
  });
});

describe('InvalidClient challenge (RFC 6749 §5.2)', () => {
  it('answers 401 + Basic when the client used Basic', () => {
    const err = new InvalidClient('unknown client', { basic: true, status: 400 });
    assert.equal(err.status, 401);
    assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Basic realm="satgate"' });
  });
  it('a 401 always carries a challenge (RFC 7235 §3.1)', () => {
    assert.deepEqual(new InvalidClient().headers(), { 'WWW-Authenticate': 'Basic realm="satgate"' });
  });
  it('may answer 400 without a challenge for body-authenticated clients', () => {
    const err = new InvalidClient('bad secret', { status: 400 });
    assert.equal(err.status, 400);
    assert.deepEqual(err.headers(), {});
  });
});

describe('RFC 6750 resource errors', () => {
  it('invalid_token', () => {
    const err = new InvalidToken('token revoked');
    assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Bearer realm="satgate", error="invalid_token"' });
    assert.deepEqual(err.toBody(), { error: 'invalid_token', error_description: 'token revoked' });
  });
  it('no credential sent: no error attribute', () => {
    const err = InvalidToken.missingCredential();
    assert.equal(err.status, 401);
    assert.equal(err.credentialSent, false);
    assert.deepEqual(err.headers(), { 'WWW-Authenticate': 'Bearer realm="satgate"' });
  });
  it('insufficient_scope lists the required scopes', () => {
    const err = new InsufficientScope(['payments:send', 'balance:read']);
    assert.equal(err.status, 403);
    assert.equal(err.wwwAuthenticate, 'Bearer realm="satgate", error="insufficient_scope", scope="payments:send balance:read"');
    assert.equal(err.description, 'this request requires the scope: payments:send balance:read');
  });
  it('uses a configured realm', () => {
    assert.equal(new InvalidToken(undefined, { realm: 'api' }).wwwAuthenticate, 'Bearer realm="api", error="invalid_token"');
  });
});

describe('WWW-Authenticate formatting', () => {
  it('orders realm, error, error_description, scope', () => {
    assert.equal(
      formatBearerChallenge({ scope: ['a', 'b'], error_description: 'need more', error: 'insufficient_scope', realm: 'satgate' }),
      'Bearer realm="satgate", error="insufficient_scope", error_description="need more", scope="a b"',
    );
  });
  it('is the bare scheme without parameters', () => {
    assert.equal(formatBearerChallenge(), 'Bearer');
    assert.equal(formatBasicChallenge('x'), 'Basic realm="x"');
  });
  const quoting: Array<[string, string]> = [
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\r\nSet-Cookie: x=1', '"line??Set-Cookie: x=1"'],
    ['caf\u00e9', '"caf?"'],
  ];
  for (const [input, expected] of quoting) {
    it(`quotes ${JSON.stringify(input)} as ${expected}`, () => {
      assert.equal(quoteHeaderValue(input), expected);
    });
  }
  it('escapes inside a Bearer challenge', () => {
    assert.equal(
      formatBearerChallenge({ realm: 'sat"gate', error: 'invalid_token', error_description: 'bad "token"' }),
      'Bearer realm="sat\\"gate", error="invalid_token", error_description="bad \\"token\\""',
    );
  });
});

describe('fits the shared error filter', () => {
  it('is structurally a WireError {status, toBody(): Record<string, unknown>, headers()}', () => {
    const wire: { status: number; toBody(): Record<string, unknown>; headers?(): Record<string, string> } = new InvalidGrant('x');
    assert.equal(wire.status, 400);
    assert.deepEqual(wire.toBody(), { error: 'invalid_grant', error_description: 'x' });
  });
});
