import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capabilitiesCaveat,
  decodeCapabilitiesValue,
  decodeCaveat,
  decodeServicesValue,
  decodeValidUntilValue,
  encodeCaveat,
  isReservedCondition,
  oauthGrantCaveat,
  preimageCaveat,
  servicesCaveat,
  validUntilCaveat,
  validUntilFromLifetime,
} from './caveats';
import { L402Error } from './errors';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof L402Error ? err.reason : `non-L402 ${String(err)}`;
  }
};

describe('caveat text', () => {
  // aperture vectors: `expiration=1337` and `expiration=1337=` parse; `expiration:1337` does not.
  const vectors: [string, { condition: string; value: string } | 'unknown_caveat'][] = [
    ['expiration=1337', { condition: 'expiration', value: '1337' }],
    ['expiration=1337=', { condition: 'expiration', value: '1337=' }],
    ['expiration:1337', 'unknown_caveat'],
    ['=x', { condition: '', value: 'x' }],
    ['services=', { condition: 'services', value: '' }],
  ];
  for (const [text, expected] of vectors) {
    it(`decodes ${JSON.stringify(text)}`, () => {
      if (expected === 'unknown_caveat') {
        assert.equal(reasonOf(() => decodeCaveat(text)), 'unknown_caveat');
      } else {
        assert.deepEqual(decodeCaveat(text), expected);
        assert.equal(encodeCaveat(decodeCaveat(text)), text);
      }
    });
  }
});

describe('services value', () => {
  // aperture vectors: valid `a:0`, `a:0,b:1,c:0`; invalid ``, `:0`, `a`, `a:`, `a:b`, `,,`.
  const valid: [string, { name: string; tier: number }[]][] = [
    ['a:0', [{ name: 'a', tier: 0 }]],
    ['a:0,b:1,c:0', [{ name: 'a', tier: 0 }, { name: 'b', tier: 1 }, { name: 'c', tier: 0 }]],
    ['svc/v1/items:0', [{ name: 'svc/v1/items', tier: 0 }]],
  ];
  for (const [value, services] of valid) {
    it(`accepts ${JSON.stringify(value)} and re-encodes it`, () => {
      assert.deepEqual(decodeServicesValue(value), services);
      assert.equal(servicesCaveat(services).value, value);
    });
  }
  for (const value of ['', ':0', 'a', 'a:', 'a:b', ',,', 'a:0,', 'a:0:1', 'a:-1', 'a:256', 'a:0,a:1']) {
    it(`refuses ${JSON.stringify(value)} with caveat_failed`, () => {
      assert.equal(reasonOf(() => decodeServicesValue(value)), 'caveat_failed');
    });
  }
});

describe('caveat builders', () => {
  it('build the exact aperture texts', () => {
    assert.equal(encodeCaveat(servicesCaveat([{ name: 'lnd', tier: 0 }, { name: 'loop', tier: 2 }])), 'services=lnd:0,loop:2');
    assert.equal(encodeCaveat(capabilitiesCaveat('lnd', ['read', 'write'])), 'lnd_capabilities=read,write');
    assert.equal(encodeCaveat(validUntilCaveat('lnd', 1700000000)), 'lnd_valid_until=1700000000');
    assert.equal(encodeCaveat(oauthGrantCaveat('grant-1')), 'oauth_grant=grant-1');
    assert.equal(encodeCaveat(preimageCaveat(Buffer.alloc(32, 0xab))), 'preimage=' + 'ab'.repeat(32));
  });

  it('refuse names that cannot round-trip', () => {
    for (const name of ['', 'a,b', 'a:0', 'a=b', 'a b']) {
      assert.throws(() => servicesCaveat([{ name, tier: 0 }]), TypeError, name);
      assert.throws(() => validUntilCaveat(name, 1), TypeError, name);
    }
    assert.throws(() => servicesCaveat([]), TypeError);
    assert.throws(() => servicesCaveat([{ name: 'a', tier: 256 }]), TypeError);
    assert.throws(() => capabilitiesCaveat('a', []), TypeError);
    assert.throws(() => capabilitiesCaveat('a', ['x,y']), TypeError);
    assert.throws(() => validUntilCaveat('a', 1.5), TypeError);
  });

  it('parse capabilities and valid_until values strictly', () => {
    assert.deepEqual(decodeCapabilitiesValue('read,write', 'x_capabilities'), ['read', 'write']);
    assert.equal(reasonOf(() => decodeCapabilitiesValue('', 'x_capabilities')), 'caveat_failed');
    assert.equal(reasonOf(() => decodeCapabilitiesValue('a,,b', 'x_capabilities')), 'caveat_failed');
    assert.equal(decodeValidUntilValue('2000', 'x_valid_until'), 2000);
    for (const v of ['', '-1', '+5', '1e3', ' 5', '1.5', '9'.repeat(16)]) {
      assert.equal(reasonOf(() => decodeValidUntilValue(v, 'x_valid_until')), 'caveat_failed', v);
    }
  });

  it('lifetime rounds now down to whole seconds, like Go Time.Unix()', () => {
    assert.equal(validUntilFromLifetime(new Date(1_000_999), 1000), 2000);
  });

  it('knows which conditions are reserved', () => {
    for (const c of ['services', 'preimage', 'oauth_grant', 'x_capabilities', 'x_valid_until']) assert.equal(isReservedCondition(c), true, c);
    for (const c of ['region', 'max_calls', 'valid_until_x']) assert.equal(isReservedCondition(c), false, c);
  });
});
