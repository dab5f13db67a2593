import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseChallenge, parseAuthChallenges, parseL402Challenges } from './challenge';

const MAC = 'AgEEbHNhdAJCAAB+/w==';
const INV = 'lnbcrt210n1p4s9gfzpp54w46h2at';

describe('parseL402Challenges', () => {
  const cases: { name: string; header: string; expect: { scheme: string; macaroon: string; invoice: string }[] }[] = [
    {
      name: "aperture's two values as fetch joins them",
      header: `LSAT macaroon="${MAC}", invoice="${INV}", L402 macaroon="${MAC}", invoice="${INV}"`,
      expect: [
        { scheme: 'LSAT', macaroon: MAC, invoice: INV },
        { scheme: 'L402', macaroon: MAC, invoice: INV },
      ],
    },
    {
      name: 'the 2026 version="0", token= form',
      header: `L402 version="0", token="${MAC}", invoice="${INV}"`,
      expect: [{ scheme: 'L402', macaroon: MAC, invoice: INV }],
    },
    {
      name: 'LSAT only',
      header: `LSAT macaroon="${MAC}", invoice="${INV}"`,
      expect: [{ scheme: 'LSAT', macaroon: MAC, invoice: INV }],
    },
    {
      name: 'bare (unquoted) values keeping base64 padding',
      header: `L402 macaroon=${MAC}, invoice=${INV}`,
      expect: [{ scheme: 'L402', macaroon: MAC, invoice: INV }],
    },
    {
      name: 'case-insensitive scheme and parameter names, extra whitespace',
      header: `  l402   MACAROON = "${MAC}" ,  Invoice="${INV}"  `,
      expect: [{ scheme: 'L402', macaroon: MAC, invoice: INV }],
    },
    {
      name: 'among other schemes, including a token68 and a param-less scheme',
      header: `Bearer abc==, Basic realm="a, b", L402 macaroon="${MAC}", invoice="${INV}", Negotiate`,
      expect: [{ scheme: 'L402', macaroon: MAC, invoice: INV }],
    },
    {
      name: 'unknown extra parameters and escaped quotes are tolerated',
      header: `L402 realm="say \\"hi\\"", macaroon="${MAC}", invoice="${INV}", foo=bar`,
      expect: [{ scheme: 'L402', macaroon: MAC, invoice: INV }],
    },
    { name: 'no L402 challenge at all', header: 'Bearer realm="satgate", error="invalid_token"', expect: [] },
    { name: 'empty header', header: '', expect: [] },
  ];
  for (const c of cases) {
    it(`reads ${c.name}`, () => {
      const got = parseL402Challenges(c.header);
      assert.deepEqual(got.challenges, c.expect);
      assert.deepEqual(got.problems, []);
    });
  }

  it('reports unusable challenges instead of guessing', () => {
    const got = parseL402Challenges(
      `L402 version="1", token="${MAC}", invoice="${INV}", LSAT macaroon="${MAC}", L402 invoice="${INV}"`,
    );
    assert.deepEqual(got.challenges, []);
    assert.deepEqual(got.problems, [
      'L402 challenge has unsupported version "1"',
      'LSAT challenge has no invoice',
      'L402 challenge has no macaroon',
    ]);
  });

  it('parses several WWW-Authenticate values as a fetch Headers object returns them', () => {
    const headers = new Headers();
    headers.append('WWW-Authenticate', `LSAT macaroon="${MAC}", invoice="${INV}"`);
    headers.append('WWW-Authenticate', `L402 version="0", token="${MAC}", invoice="${INV}"`);
    const got = parseL402Challenges(headers.get('www-authenticate'));
    assert.deepEqual(
      got.challenges.map((c) => c.scheme),
      ['LSAT', 'L402'],
    );
  });
});

describe('chooseChallenge', () => {
  it('answers with L402 whenever the server offered it, LSAT only if that is all there is', () => {
    const both = parseL402Challenges(`LSAT macaroon="a", invoice="b", L402 macaroon="a", invoice="b"`).challenges;
    assert.equal(chooseChallenge(both)?.scheme, 'L402');
    const lsat = parseL402Challenges(`LSAT macaroon="a", invoice="b"`).challenges;
    assert.equal(chooseChallenge(lsat)?.scheme, 'LSAT');
    assert.equal(chooseChallenge([]), undefined);
  });
});

describe('parseAuthChallenges', () => {
  it('separates token68 from auth-params', () => {
    assert.deepEqual(parseAuthChallenges('Bearer abc==, Basic realm="x"'), [
      { scheme: 'Bearer', params: {}, token68: 'abc==' },
      { scheme: 'Basic', params: { realm: 'x' } },
    ]);
  });
  it('never throws on garbage', () => {
    for (const h of ['"', '=', ',,,', 'L402 macaroon="unterminated', '= "x" L402', 'a=b=c']) {
      assert.doesNotThrow(() => parseAuthChallenges(h));
    }
    assert.deepEqual(parseL402Challenges('L402 macaroon="unterminated').problems, ['L402 challenge has no invoice']);
  });
});
