import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRedirectUri, InvalidRequest } from './errors';
import { buildRedirectLocation, matchRedirectUri, redirectUriMatches, resolveRedirectUri, validateRedirectUri } from './redirect-uri';

/** A public (native) client, which RFC 8252 §7.3 lets use any loopback port; and a confidential one, which it does not. */
const NATIVE = { publicClient: true };
const CONFIDENTIAL = { publicClient: false };

const REGISTERED = [
  'https://app.example.com/cb',
  'https://app.example.com/search?src=oauth',
  'http://127.0.0.1/native',
  'http://[::1]:8000/native',
  'http://localhost:8080/client_app',
  'com.example.app:/oauth2redirect',
];

describe('redirect URI matching', () => {
  const mustMatch = [
    'https://app.example.com/cb',
    'https://app.example.com/search?src=oauth',
    'com.example.app:/oauth2redirect',
    'http://127.0.0.1/native', // exact
    'http://127.0.0.1:51004/native', // RFC 8252 §7.3: any port
    'http://[::1]:61023/native',
    'http://[::1]/native',
    'http://localhost:9999/client_app', // localhost treated as loopback (documented decision)
    'http://localhost/client_app',
  ];
  for (const uri of mustMatch) {
    it(`matches ${uri}`, () => {
      assert.equal(matchRedirectUri(uri, REGISTERED, NATIVE), uri);
    });
  }

  const mustNotMatch: Array<[string, string]> = [
    ['trailing slash', 'https://app.example.com/cb/'],
    ['different path case', 'https://app.example.com/CB'],
    ['different host case', 'https://APP.example.com/cb'],
    ['extra query', 'https://app.example.com/cb?x=1'],
    ['different query value', 'https://app.example.com/search?src=evil'],
    ['missing query', 'https://app.example.com/search'],
    ['prefix of a longer path', 'https://app.example.com/cb2'],
    ['sub path', 'https://app.example.com/cb/more'],
    ['dot segments', 'https://app.example.com/x/../cb'],
    ['host suffix', 'https://app.example.com.evil.com/cb'],
    ['userinfo', 'https://app.example.com@evil.com/cb'],
    ['different scheme', 'http://app.example.com/cb'],
    ['explicit default port', 'https://app.example.com:443/cb'],
    ['fragment', 'https://app.example.com/cb#frag'],
    ['percent-encoded path', 'https://app.example.com/%63b'],
    ['loopback: different path', 'http://127.0.0.1:5000/native/x'],
    ['loopback: extra query', 'http://127.0.0.1:5000/native?x=1'],
    ['loopback: fragment', 'http://127.0.0.1:5000/native#x'],
    ['loopback: userinfo trick', 'http://127.0.0.1:80@evil.com/native'],
    ['loopback: host suffix', 'http://127.0.0.1.evil.com/native'],
    ['loopback: https gets no port exception', 'https://127.0.0.1:5000/native'],
    ['loopback: other host spelling', 'http://localhost:5000/native'],
    ['loopback: 127.0.0.2', 'http://127.0.0.2:5000/native'],
    ['loopback: port 0', 'http://127.0.0.1:0/native'],
    ['loopback: port out of range', 'http://127.0.0.1:70000/native'],
    ['loopback: empty port', 'http://127.0.0.1:/native'],
    ['custom scheme with authority', 'com.example.app://oauth2redirect'],
    ['empty', ''],
  ];
  for (const [name, uri] of mustNotMatch) {
    it(`does not match (${name}): ${uri}`, () => {
      assert.throws(() => matchRedirectUri(uri, REGISTERED, NATIVE), (err: unknown) => {
        assert.ok(err instanceof InvalidRequest);
        assert.equal(err.description, 'redirect_uri does not match any URI registered for this client');
        return true;
      });
    });
  }

  it('a confidential client gets no loopback port exception: its URI matches exactly, port included', () => {
    assert.equal(redirectUriMatches('http://127.0.0.1:8080/cb', 'http://127.0.0.1:8080/cb', CONFIDENTIAL), true);
    assert.equal(redirectUriMatches('http://127.0.0.1:9/cb', 'http://127.0.0.1:8080/cb', CONFIDENTIAL), false);
    assert.equal(redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb', CONFIDENTIAL), false);
    assert.equal(redirectUriMatches('http://localhost:9999/client_app', 'http://localhost/client_app', CONFIDENTIAL), false);
    assert.equal(redirectUriMatches('http://[::1]:61023/native', 'http://[::1]/native', CONFIDENTIAL), false);
    assert.throws(() => resolveRedirectUri('http://127.0.0.1:4000/cb', ['http://127.0.0.1/cb'], CONFIDENTIAL), InvalidRequest);
  });

  it('the loopback exception works whichever side carries a port', () => {
    assert.equal(redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.1:8080/cb', NATIVE), true);
    assert.equal(redirectUriMatches('http://127.0.0.1:9/cb', 'http://127.0.0.1:8080/cb', NATIVE), true);
    assert.equal(redirectUriMatches('http://127.0.0.1:9', 'http://127.0.0.1:8080/', NATIVE), false);
  });
});

describe('resolveRedirectUri (RFC 6749 §3.1.2.3)', () => {
  it('uses the only registered URI when the parameter is omitted', () => {
    assert.deepEqual(resolveRedirectUri(undefined, ['https://a.example/cb'], NATIVE), { redirectUri: 'https://a.example/cb', explicit: false });
    assert.deepEqual(resolveRedirectUri('', ['https://a.example/cb'], NATIVE), { redirectUri: 'https://a.example/cb', explicit: false });
  });
  it('marks an explicit URI so the token request must repeat it', () => {
    assert.deepEqual(resolveRedirectUri('http://127.0.0.1:4000/cb', ['http://127.0.0.1/cb'], NATIVE), {
      redirectUri: 'http://127.0.0.1:4000/cb',
      explicit: true,
    });
  });
  it('requires the parameter with several or no registered URIs', () => {
    assert.throws(() => resolveRedirectUri(undefined, ['https://a.example/1', 'https://a.example/2'], NATIVE), /redirect_uri is required/);
    assert.throws(() => resolveRedirectUri(undefined, [], NATIVE), InvalidRequest);
  });
  it('rejects a mismatch even with one registered URI', () => {
    assert.throws(() => resolveRedirectUri('https://evil.example/cb', ['https://a.example/cb'], NATIVE), InvalidRequest);
  });
});

describe('validateRedirectUri (registration)', () => {
  const accepted = [
    'https://app.example.com/cb',
    'https://app.example.com/cb?tenant=1',
    'http://127.0.0.1/native',
    'http://127.0.0.1:8080/native',
    'http://[::1]:8000/native',
    'http://localhost:8080/client_app',
    'com.example.app:/oauth2redirect',
  ];
  for (const uri of accepted) {
    it(`accepts ${uri}`, () => assert.doesNotThrow(() => validateRedirectUri(uri)));
  }
  const rejected: Array<[string, RegExp]> = [
    ['https://app.example.com/cb#x', /fragment/],
    ['/relative/cb', /absolute/],
    ['localhost:8080/client_app', /reverse domain/], // Alby's README form: no scheme
    ['https://user:pw@app.example.com/cb', /user information/],
    ['http://app.example.com/cb', /only allowed for 127.0.0.1/],
    ['http://192.168.1.5/cb', /only allowed for 127.0.0.1/],
    ['javascript:alert(1)', /not allowed/],
    ['data:text/html,hi', /not allowed/],
    ['myapp://callback', /reverse domain/],
    ['https://app.example.com/c b', /visible ASCII/],
    ['https://app.example.com/cb\n', /visible ASCII/],
    ['', /non-empty/],
  ];
  for (const [uri, message] of rejected) {
    it(`rejects ${JSON.stringify(uri)}`, () => {
      assert.throws(() => validateRedirectUri(uri), (err: unknown) => {
        assert.ok(err instanceof InvalidRedirectUri);
        assert.equal(err.toBody().error, 'invalid_redirect_uri');
        assert.match(err.description, message);
        return true;
      });
    });
  }
});

describe('buildRedirectLocation (RFC 6749 §4.1.2)', () => {
  const cases: Array<[string, Record<string, string | undefined>, string]> = [
    ['https://app.example.com/cb', { code: 'abc', state: 'xyz' }, 'https://app.example.com/cb?code=abc&state=xyz'],
    ['https://app.example.com/cb?tenant=1', { code: 'abc' }, 'https://app.example.com/cb?tenant=1&code=abc'],
    ['https://app.example.com/cb?', { code: 'abc' }, 'https://app.example.com/cb?code=abc'],
    ['https://app.example.com/cb?a=1&', { code: 'abc' }, 'https://app.example.com/cb?a=1&code=abc'],
    ['https://app.example.com/cb', { code: 'abc', state: undefined }, 'https://app.example.com/cb?code=abc'],
    ['https://app.example.com/cb', { state: 'a b&c=d/é' }, 'https://app.example.com/cb?state=a+b%26c%3Dd%2F%C3%A9'],
    ['https://app.example.com/cb', {}, 'https://app.example.com/cb'],
    ['http://127.0.0.1:51004/native', { code: 'c' }, 'http://127.0.0.1:51004/native?code=c'],
    ['com.example.app:/oauth2redirect', { error: 'access_denied' }, 'com.example.app:/oauth2redirect?error=access_denied'],
    ['https://APP.example.com:443/cb', { code: 'c' }, 'https://APP.example.com:443/cb?code=c'], // reproduced as given
  ];
  for (const [uri, params, expected] of cases) {
    it(`${uri} + ${JSON.stringify(params)}`, () => {
      assert.equal(buildRedirectLocation(uri, params), expected);
    });
  }
  it('refuses a redirect URI with a fragment', () => {
    assert.throws(() => buildRedirectLocation('https://app.example.com/cb#x', { code: 'c' }), TypeError);
  });
});
