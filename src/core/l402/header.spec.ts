import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeBase64Loose } from './base64';
import { chooseChallenge, formatL402Challenges, parseL402Challenges } from './challenge';
import { L402Error } from './errors';
import {
  formatL402Authorization,
  parseL402Authorization,
  parseL402Token,
  parseMacaroonHeader,
  readL402Credential,
  type L402Credential,
} from './header';
import { addFirstPartyCaveat, newMacaroon } from './macaroon';
import { encodeMacaroon } from './macaroon.codec';

const identifier = Buffer.concat([Buffer.from([0, 0]), Buffer.alloc(64, 3)]);
// Root key and caveat chosen so the base64 has padding and both '+' and '/' (URL-safe forms then differ).
const mac = addFirstPartyCaveat(newMacaroon({ rootKey: Buffer.alloc(32, 3), identifier }), 'services=svc:1');
const macBytes = encodeMacaroon(mac);
const std = macBytes.toString('base64');
const stdUnpadded = std.replace(/=+$/, '');
const url = std.replace(/\+/g, '-').replace(/\//g, '_');
const urlUnpadded = url.replace(/=+$/, '');
const preimage = Buffer.from('0f'.repeat(32), 'hex');
const pre = preimage.toString('hex');

const isMalformed = (e: unknown): boolean => e instanceof L402Error && e.reason === 'malformed';

function expectCredential(c: L402Credential | undefined, scheme: string): void {
  assert.ok(c, 'credential expected');
  assert.equal(c.scheme, scheme);
  assert.deepEqual(encodeMacaroon(c.macaroon), macBytes);
  assert.deepEqual(c.preimage, preimage);
}

describe('Authorization: L402 / LSAT', () => {
  assert.ok(std.endsWith('=') && /[+/]/.test(std), 'fixture must exercise padding and the +/ alphabet');
  const accepted: [string, string | string[], 'L402' | 'LSAT'][] = [
    ['L402 standard padded', `L402 ${std}:${pre}`, 'L402'],
    ['LSAT standard padded', `LSAT ${std}:${pre}`, 'LSAT'],
    ['lower-case scheme', `l402 ${std}:${pre}`, 'L402'],
    ['mixed-case LSAT', `LsAt ${std}:${pre}`, 'LSAT'],
    ['standard unpadded', `L402 ${stdUnpadded}:${pre}`, 'L402'],
    ['URL-safe padded', `L402 ${url}:${pre}`, 'L402'],
    ['URL-safe unpadded', `L402 ${urlUnpadded}:${pre}`, 'L402'],
    ['upper-case preimage', `L402 ${std}:${pre.toUpperCase()}`, 'L402'],
    ['surrounding whitespace', `  L402   ${std}:${pre}  `, 'L402'],
    ['LSAT and L402 values (lnget sends both)', [`LSAT ${std}:${pre}`, `L402 ${std}:${pre}`], 'LSAT'],
    ['values joined by a proxy', `LSAT ${std}:${pre}, L402 ${std}:${pre}`, 'LSAT'],
    ['Bearer first, then L402', ['Bearer abc', `L402 ${std}:${pre}`], 'L402'],
  ];
  for (const [name, header, scheme] of accepted) {
    it(`accepts ${name}`, () => expectCredential(parseL402Authorization(header), scheme));
  }

  for (const header of [undefined, '', 'Bearer abc.def', 'Basic dXNlcjpwYXNz', []]) {
    it(`returns undefined (no L402) for ${JSON.stringify(header)}`, () => assert.equal(parseL402Authorization(header), undefined));
  }

  const rejected: [string, string][] = [
    ['no preimage', `L402 ${std}`],
    ['empty credential', 'L402'],
    ['short preimage', `L402 ${std}:${pre.slice(2)}`],
    ['long preimage', `L402 ${std}:${pre}00`],
    ['non-hex preimage', `L402 ${std}:${'zz'.repeat(32)}`],
    ['bad base64', `L402 ${std.slice(0, 10)}!${std.slice(11)}:${pre}`],
    ['base64 of garbage', `L402 AAAA:${pre}`],
    ['truncated macaroon', `L402 ${macBytes.subarray(0, 40).toString('base64')}:${pre}`],
    ['space inside credential', `L402 ${std} :${pre}`],
  ];
  for (const [name, header] of rejected) {
    it(`refuses ${name} as malformed`, () => assert.throws(() => parseL402Authorization(header), isMalformed));
  }

  it('parseL402Token takes the value after the scheme (as access/ reads it)', () => {
    expectCredential(parseL402Token(`${std}:${pre}`, 'LSAT'), 'LSAT');
    assert.throws(() => parseL402Token('garbage'), isMalformed);
  });

  it('formats the client Authorization value aperture expects', () => {
    assert.equal(formatL402Authorization(mac, preimage), `L402 ${std}:${pre}`);
    assert.equal(formatL402Authorization(macBytes, preimage, 'LSAT'), `LSAT ${std}:${pre}`);
  });
});

describe('aperture gRPC macaroon headers', () => {
  const withPreimage = encodeMacaroon(addFirstPartyCaveat(mac, `preimage=${pre}`)).toString('hex');
  it('reads Grpc-Metadata-Macaroon with the preimage caveat', () => {
    const c = readL402Credential({ 'grpc-metadata-macaroon': withPreimage });
    assert.equal(c?.scheme, 'macaroon-header');
    assert.deepEqual(c?.preimage, preimage);
    assert.deepEqual(c?.macaroon.caveats.map((x) => x.id.toString()), ['services=svc:1', `preimage=${pre}`]);
  });
  it('reads Macaroon: <HEX> (upper case) too', () => {
    assert.deepEqual(readL402Credential({ macaroon: withPreimage.toUpperCase() })?.preimage, preimage);
  });
  it('the last preimage caveat is the presented one (aperture HasCaveat)', () => {
    const two = encodeMacaroon(addFirstPartyCaveat(addFirstPartyCaveat(mac, `preimage=${'aa'.repeat(32)}`), `preimage=${pre}`));
    assert.deepEqual(parseMacaroonHeader(two.toString('hex')).preimage, preimage);
  });
  it('prefers Authorization over the macaroon headers; ignores Bearer', () => {
    assert.equal(readL402Credential({ authorization: `LSAT ${std}:${pre}`, macaroon: withPreimage })?.scheme, 'LSAT');
    assert.equal(readL402Credential({ authorization: 'Bearer x', macaroon: withPreimage })?.scheme, 'macaroon-header');
    assert.equal(readL402Credential({ authorization: 'Bearer x' }), undefined);
    assert.equal(readL402Credential({}), undefined);
    assert.equal(readL402Credential({ macaroon: '  ' }), undefined);
  });
  const rejected: [string, string][] = [
    ['no preimage caveat', macBytes.toString('hex')],
    ['odd-length hex', withPreimage.slice(1)],
    ['non-hex', 'xy' + withPreimage.slice(2)],
    ['short preimage caveat', encodeMacaroon(addFirstPartyCaveat(mac, 'preimage=abcd')).toString('hex')],
    ['base64 instead of hex', std],
  ];
  for (const [name, value] of rejected) {
    it(`refuses ${name} as malformed`, () => assert.throws(() => readL402Credential({ macaroon: value }), isMalformed));
  }
});

describe('challenge', () => {
  const invoice = 'lnbcrt10n1pjexample0qqqq';
  it('formats exactly the LSAT and L402 values, LSAT first', () => {
    assert.deepEqual(formatL402Challenges(macBytes, invoice), [
      `LSAT macaroon="${std}", invoice="${invoice}"`,
      `L402 macaroon="${std}", invoice="${invoice}"`,
    ]);
    assert.deepEqual(formatL402Challenges(std, invoice)[1], `L402 macaroon="${std}", invoice="${invoice}"`);
  });
  it('matches the regex Lightning Labs clients use', () => {
    for (const value of formatL402Challenges(macBytes, invoice)) {
      const m = /(LSAT|L402) macaroon="(.*?)", invoice="(.*?)"/.exec(value);
      assert.deepEqual(m?.slice(2), [std, invoice]);
    }
  });
  it('refuses values that would break the quoting', () => {
    assert.throws(() => formatL402Challenges(macBytes, 'lnbc"x'), TypeError);
    assert.throws(() => formatL402Challenges('a"b', invoice), TypeError);
  });
  it('parses challenges as a client: macaroon= and token= forms, several per value', () => {
    const [lsat, l402] = formatL402Challenges(macBytes, invoice);
    const first = (header: string | undefined) => chooseChallenge(parseL402Challenges(header, { strict: true }).challenges);
    assert.deepEqual(first(lsat), { scheme: 'LSAT', macaroon: std, invoice });
    assert.deepEqual(first(['Bearer realm="satgate"', l402].join(', ')), { scheme: 'L402', macaroon: std, invoice });
    assert.deepEqual(first(`Bearer realm="x", ${l402}`), { scheme: 'L402', macaroon: std, invoice });
    const tokenForm = first(`L402 version="0", token="${urlUnpadded}", invoice="${invoice}"`);
    assert.deepEqual(tokenForm, { scheme: 'L402', macaroon: urlUnpadded, invoice });
    assert.deepEqual(decodeBase64Loose(tokenForm!.macaroon), macBytes);
    assert.equal(first(`L402 version="1", token="${std}", invoice="${invoice}"`), undefined);
    assert.equal(first('Bearer realm="satgate"'), undefined);
    assert.equal(first(undefined), undefined);
  });
  it('strict parsing reports a macaroon that is not base64 instead of returning it', () => {
    assert.deepEqual(parseL402Challenges(`L402 macaroon="a b!", invoice="${invoice}"`, { strict: true }), {
      challenges: [],
      problems: ["L402 challenge's macaroon is not base64"],
    });
  });
});
