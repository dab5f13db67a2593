import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalPath } from './canonical-path';

/** [raw path, canonical path] pairs: every spelling on the left is the resource on the right. */
const CANONICAL: Array<[string, string]> = [
  ['/', '/'],
  ['/invoices/incoming', '/invoices/incoming'],
  ['/invoices/%69ncoming', '/invoices/incoming'],
  ['/invoices/%69%6E%63%6f%6d%69%6e%67', '/invoices/incoming'],
  ['/%69nvoices/incoming', '/invoices/incoming'],
  ['/invoices/incoming/', '/invoices/incoming'],
  ['/invoices//incoming', '/invoices/incoming'],
  ['//invoices/incoming', '/invoices/incoming'],
  ['/invoices/incoming//', '/invoices/incoming'],
  ['///', '/'],
  ['/a%2db%2Ec%5fd%7Ee', '/a-b.c_d~e'],
  ['/a%41%7a%30', '/aAz0'],
  ['/a%20b', '/a%20b'],
  ['/a%3ab', '/a%3Ab'],
  ['/a%3Bb', '/a%3Bb'],
  ['/a%c3%a9', '/a%C3%A9'],
  ['/a%25', '/a%25'],
  ['/a%25zz', '/a%25zz'],
  ['/a b', '/a%20b'],
  ['/a"b<c>d', '/a%22b%3Cc%3Ed'],
  ['/a{b}|c^`', '/a%7Bb%7D%7Cc%5E%60'],
  ['/a#b', '/a%23b'],
  ['/caf\u00e9', '/caf%E9'],
  ["/a!$&'()*+,=:@b", "/a!$&'()*+,=:@b"],
  ['/file.json', '/file.json'],
  ['/...', '/...'],
  ['/.well', '/.well'],
  ['/Invoices/INCOMING', '/Invoices/INCOMING'],
];

/** [raw path, the reason's distinguishing words]: refused whatever the spelling. */
const REFUSED: Array<[string, RegExp]> = [
  ['invoices', /start with/],
  ['*', /start with/],
  ['http://evil/invoices', /start with/],
  ['/a/../b', /dot|"\."/],
  ['/a/./b', /"\."/],
  ['/a/%2e%2e/b', /"\."/],
  ['/a/%2E./b', /"\."/],
  ['/a/.%2e', /"\."/],
  ['/a/%2e', /"\."/],
  ['/..', /"\."/],
  ['/a%2fb', /encoded slash/],
  ['/a%2Fb', /encoded slash/],
  ['/a%5cb', /encoded slash/],
  ['/a%5Cb', /encoded slash/],
  ['/a\\b', /backslash/],
  ['/a%00', /control/],
  ['/a%0a', /control/],
  ['/a%0D%0A', /control/],
  ['/a%09b', /control/],
  ['/a%1f', /control/],
  ['/a%7f', /control/],
  ['/a\u0000b', /control/],
  ['/a\tb', /control/],
  ['/a\u007fb', /control/],
  ['/invoices/incoming;x', /";"/],
  ['/invoices;/incoming', /";"/],
  ['/a%252Fb', /double-encoded/],
  ['/a%252e%252e', /double-encoded/],
  ['/a%2500', /double-encoded/],
  ['/a%', /malformed/],
  ['/a%4', /malformed/],
  ['/a%zz', /malformed/],
  ['/a%%41', /malformed/],
  ['/a\u0100', /outside a byte/],
];

test('canonical path: every spelling of a resource gives one form', () => {
  for (const [raw, expected] of CANONICAL) {
    assert.deepEqual(canonicalPath(raw), { ok: true, path: expected }, raw);
  }
});

test('canonical path: the canonical form is a fixed point', () => {
  for (const [, expected] of CANONICAL) {
    assert.deepEqual(canonicalPath(expected), { ok: true, path: expected }, expected);
  }
});

test('canonical path: dot segments, encoded separators, ";", double encoding and control characters are refused', () => {
  for (const [raw, reason] of REFUSED) {
    const result = canonicalPath(raw);
    assert.equal(result.ok, false, raw);
    assert.match((result as { reason: string }).reason, reason, raw);
  }
});

test('canonical path: every encoded byte is either decoded (unreserved), kept upper case, or refused', () => {
  for (let byte = 0; byte < 256; byte++) {
    const hex = byte.toString(16).padStart(2, '0');
    for (const spelling of [hex, hex.toUpperCase()]) {
      const result = canonicalPath(`/x%${spelling}y`);
      const ch = String.fromCharCode(byte);
      if (byte < 0x20 || byte === 0x7f || byte === 0x2f || byte === 0x5c) assert.equal(result.ok, false, spelling);
      else if (/[A-Za-z0-9\-._~]/.test(ch)) assert.deepEqual(result, { ok: true, path: `/x${ch}y` }, spelling);
      else assert.deepEqual(result, { ok: true, path: `/x%${hex.toUpperCase()}y` }, spelling);
    }
  }
});
