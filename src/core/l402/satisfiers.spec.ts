import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCaveat } from './caveats';
import { L402Error } from './errors';
import {
  assertSatisfierConfig,
  checkCaveats,
  validUntilSatisfier,
  type CaveatContext,
  type CaveatOutcome,
  type SatisfierConfig,
} from './satisfiers';

const preimage = Buffer.alloc(32, 0x11);
const ctx = (over: Partial<CaveatContext> = {}): CaveatContext => ({ service: 'svc', now: new Date(0), preimage, ...over });

function run(texts: string[], c: CaveatContext = ctx(), config: SatisfierConfig = {}): CaveatOutcome | string {
  try {
    return checkCaveats(texts.map(decodeCaveat), c, config);
  } catch (err) {
    if (err instanceof L402Error) return err.reason;
    throw err;
  }
}

describe('valid_until satisfier (aperture TestTimeoutSatisfier vectors, now = 0)', () => {
  const now = 0;
  const vectors: [string, number[], 'ok' | 'final' | 'previous'][] = [
    ['current time is before expiration', [now + 1000], 'ok'],
    ['time passed is greater than expiration', [now - 1000], 'final'],
    ['successive caveats are increasingly restrictive', [now + 1000, now + 500], 'ok'],
    ['latter caveat is less restrictive than previous', [now + 500, now + 1000], 'previous'],
  ];
  const satisfier = validUntilSatisfier('restricted_valid_until', new Date(now * 1000));
  for (const [name, timeouts, expected] of vectors) {
    it(name, () => {
      // Driven like aperture's test: satisfyPrevious against the prior caveat, then satisfyFinal. ("-1000"
      // is refused by satisfyFinal either way: expired in aperture, not unix seconds here.)
      let failed: 'ok' | 'final' | 'previous' = 'ok';
      let prev: string | undefined;
      for (const t of timeouts) {
        const value = String(t);
        try {
          if (prev !== undefined) satisfier.satisfyPrevious(prev, value);
        } catch {
          failed = 'previous';
          break;
        }
        try {
          satisfier.satisfyFinal(value);
        } catch {
          failed = 'final';
          break;
        }
        prev = value;
      }
      assert.equal(failed, expected);
    });
  }

  // Same vectors through the whole caveat check, at now = 10000 s so every timestamp is positive.
  const base = 10_000;
  const full: [number[], string | number][] = [
    [[base + 1000], base + 1000],
    [[base - 1000], 'expired'],
    [[base + 1000, base + 500], base + 500],
    [[base + 500, base + 1000], 'caveat_failed'],
  ];
  for (const [timeouts, expected] of full) {
    it(`{${timeouts.map((t) => t - base).join(',')}} relative to now -> ${expected}`, () => {
      const out = run(['services=svc:0', ...timeouts.map((t) => `svc_valid_until=${t}`)], ctx({ now: new Date(base * 1000) }));
      assert.equal(typeof out === 'string' ? out : out.validUntil, expected);
    });
  }

  it('timeout 1000 s minted at t=1000: valid at t=1000, refused at t=2000 and t=2001', () => {
    const texts = ['services=svc:0', 'svc_valid_until=2000'];
    assert.equal((run(texts, ctx({ now: new Date(1000_000) })) as CaveatOutcome).validUntil, 2000);
    assert.equal((run(texts, ctx({ now: new Date(1999_999) })) as CaveatOutcome).validUntil, 2000);
    assert.equal(run(texts, ctx({ now: new Date(2000_000) })), 'expired');
    assert.equal(run(texts, ctx({ now: new Date(2001_000) })), 'expired');
  });
});

describe('checkCaveats', () => {
  const table: [string, string[], Partial<CaveatContext>, SatisfierConfig, string | Partial<CaveatOutcome>][] = [
    ['minimal token', ['services=svc:0'], {}, {}, { tier: 0, capabilities: [] }],
    ['tier of the target', ['services=a:0,svc:3'], {}, {}, { tier: 3 }],
    ['no services caveat', ['svc_valid_until=99'], {}, {}, 'wrong_service'],
    ['other service', ['services=other:0'], {}, {}, 'wrong_service'],
    ['services narrowed', ['services=a:0,svc:0', 'services=svc:0'], {}, {}, { tier: 0 }],
    ['services narrowed away from target', ['services=a:0,svc:0', 'services=a:0'], {}, {}, 'wrong_service'],
    ['services widened', ['services=svc:0', 'services=svc:0,b:0'], {}, {}, 'caveat_failed'],
    ['services tier changed', ['services=svc:0', 'services=svc:1'], {}, {}, 'caveat_failed'],
    ['services malformed', ['services=svc'], {}, {}, 'caveat_failed'],
    // aperture's tier: a token opens its service's resources at or below its own tier.
    ['token tier equal to the resource tier', ['services=svc:1'], { tier: 1 }, {}, { tier: 1 }],
    ['token tier above the resource tier', ['services=svc:2'], { tier: 1 }, {}, { tier: 2 }],
    ['token tier below the resource tier', ['services=svc:0'], { tier: 1 }, {}, 'wrong_service'],
    ['another service at a high tier does not lift the target', ['services=a:9,svc:0'], { tier: 1 }, {}, 'wrong_service'],
    ['highest-tier resource', ['services=svc:254'], { tier: 255 }, {}, 'wrong_service'],
    ['capability granted', ['services=svc:0', 'svc_capabilities=read,write'], { capability: 'write' }, {}, { capabilities: ['read', 'write'] }],
    ['capability not granted', ['services=svc:0', 'svc_capabilities=read'], { capability: 'write' }, {}, 'caveat_failed'],
    ['capabilities but route needs none', ['services=svc:0', 'svc_capabilities=read'], {}, {}, { capabilities: ['read'] }],
    ['no capabilities caveat = unrestricted', ['services=svc:0'], { capability: 'write' }, {}, { capabilities: [] }],
    ['capabilities narrowed', ['services=svc:0', 'svc_capabilities=read,write', 'svc_capabilities=read'], { capability: 'read' }, {}, { capabilities: ['read'] }],
    ['capabilities widened', ['services=svc:0', 'svc_capabilities=read', 'svc_capabilities=read,write'], { capability: 'read' }, {}, 'caveat_failed'],
    ['unknown condition', ['services=svc:0', 'colour=blue'], {}, {}, 'unknown_caveat'],
    ['unknown wins over wrong service', ['services=other:0', 'colour=blue'], {}, {}, 'unknown_caveat'],
    ['oauth_grant not configured', ['services=svc:0', 'oauth_grant=g1'], {}, {}, 'unknown_caveat'],
    ['oauth_grant equal to the stored grant', ['services=svc:0', 'oauth_grant=g1'], { boundGrant: 'g1' }, { acceptOAuthGrant: true }, { tier: 0 }],
    ['oauth_grant repeated equal', ['services=svc:0', 'oauth_grant=g1', 'oauth_grant=g1'], { boundGrant: 'g1' }, { acceptOAuthGrant: true }, { tier: 0 }],
    ['oauth_grant rebound', ['services=svc:0', 'oauth_grant=g1', 'oauth_grant=g2'], { boundGrant: 'g1' }, { acceptOAuthGrant: true }, 'caveat_failed'],
    ['oauth_grant empty', ['services=svc:0', 'oauth_grant='], { boundGrant: 'g1' }, { acceptOAuthGrant: true }, 'caveat_failed'],
    // The caveat is client-appendable: it may repeat the stored binding, never create or change one.
    ['oauth_grant on a token stored without a grant', ['services=svc:0', 'oauth_grant=victim'], {}, { acceptOAuthGrant: true }, 'caveat_failed'],
    ['oauth_grant naming another grant than the stored one', ['services=svc:0', 'oauth_grant=victim'], { boundGrant: 'g1' }, { acceptOAuthGrant: true }, 'caveat_failed'],
    ['preimage caveat matching', ['services=svc:0', `preimage=${preimage.toString('hex')}`], {}, {}, { tier: 0 }],
    ['preimage caveat upper-case hex', ['services=svc:0', `preimage=${preimage.toString('hex').toUpperCase()}`], {}, {}, { tier: 0 }],
    ['preimage caveat not matching', ['services=svc:0', `preimage=${'22'.repeat(32)}`], {}, {}, 'caveat_failed'],
    ['earlier preimage caveat not matching', ['services=svc:0', `preimage=${'22'.repeat(32)}`, `preimage=${preimage.toString('hex')}`], {}, {}, 'caveat_failed'],
    // Decision: another listed service's caveats are known (chain + syntax checked, final not enforced).
    ['other listed service expired', ['services=svc:0,b:0', 'b_valid_until=1'], { now: new Date(5000) }, {}, { tier: 0 }],
    ['other listed service widened', ['services=svc:0,b:0', 'b_valid_until=1', 'b_valid_until=2'], {}, {}, 'caveat_failed'],
    ['other listed service bad value', ['services=svc:0,b:0', 'b_valid_until=soon'], {}, {}, 'caveat_failed'],
    ['other listed capabilities', ['services=svc:0,b:0', 'b_capabilities=x'], { capability: 'y' }, {}, { capabilities: [] }],
    ['other service only listed before narrowing', ['services=svc:0,b:0', 'b_valid_until=9', 'services=svc:0'], {}, {}, { tier: 0 }],
    ['unlisted service caveat', ['services=svc:0', 'c_valid_until=99'], {}, {}, 'unknown_caveat'],
    ['unlisted service capabilities', ['services=svc:0', 'c_capabilities=x'], {}, {}, 'unknown_caveat'],
    ['constraint passes', ['services=svc:0', 'region=eu'], {}, { constraints: { region: (v) => (v === 'eu' ? undefined : 'wrong region') } }, { tier: 0 }],
    ['constraint fails', ['services=svc:0', 'region=us'], {}, { constraints: { region: (v) => (v === 'eu' ? undefined : 'wrong region') } }, 'caveat_failed'],
    ['every constraint caveat must pass', ['services=svc:0', 'region=us', 'region=eu'], {}, { constraints: { region: (v) => (v === 'eu' ? undefined : 'wrong region') } }, 'caveat_failed'],
    ['constraint sees the target', ['services=svc:0', 'route=svc'], {}, { constraints: { route: (v, t) => (v === t.service ? undefined : 'no') } }, { tier: 0 }],
    ['constraint on prototype name is unknown', ['services=svc:0', 'toString=x'], {}, { constraints: {} }, 'unknown_caveat'],
  ];
  for (const [name, texts, c, config, expected] of table) {
    it(`${name} -> ${typeof expected === 'string' ? expected : 'ok'}`, () => {
      const out = run(texts, ctx(c), config);
      if (typeof expected === 'string') assert.equal(out, expected);
      else {
        assert.notEqual(typeof out, 'string', `refused: ${String(out)}`);
        for (const [k, v] of Object.entries(expected)) assert.deepEqual((out as unknown as Record<string, unknown>)[k], v, k);
      }
    });
  }

  it('reports the failing condition on the error', () => {
    assert.throws(
      () => checkCaveats(['services=svc:0', 'svc_valid_until=1'].map(decodeCaveat), ctx({ now: new Date(2000) }), {}),
      (e: unknown) => e instanceof L402Error && e.reason === 'expired' && e.condition === 'svc_valid_until',
    );
  });

  it('refuses constraint configurations that shadow built-in conditions', () => {
    for (const condition of ['services', 'preimage', 'oauth_grant', 'x_valid_until', 'x_capabilities', '', 'a=b']) {
      assert.throws(() => assertSatisfierConfig({ constraints: { [condition]: () => undefined } }), TypeError, condition);
    }
    assertSatisfierConfig({ constraints: { region: () => undefined } });
  });
});
