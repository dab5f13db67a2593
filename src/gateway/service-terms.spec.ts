import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findTermsConflict, opens, PaidTerms, termsOfRequirement, termsOfRoute } from './service-terms';

function terms(label: string, over: Partial<PaidTerms> = {}): PaidTerms {
  return { label, service: 'svc', tier: 0, price: 10, lifetime: 3600, capabilities: [], capability: null, ...over };
}

test('a token opens routes of its service at or below its tier whose capability it holds (or when it is unrestricted)', () => {
  assert.equal(opens(terms('a', { tier: 1 }), terms('b', { tier: 1 })), true);
  assert.equal(opens(terms('a', { tier: 2 }), terms('b', { tier: 1 })), true);
  assert.equal(opens(terms('a', { tier: 0 }), terms('b', { tier: 1 })), false);
  assert.equal(opens(terms('a'), terms('b', { service: 'other' })), false);
  assert.equal(opens(terms('a', { capabilities: ['read'] }), terms('b', { capability: 'write' })), false);
  assert.equal(opens(terms('a', { capabilities: ['read', 'write'] }), terms('b', { capability: 'write' })), true);
  assert.equal(opens(terms('a'), terms('b', { capability: 'write' })), true, 'no capabilities caveat restricts nothing');
});

test('no conflict: same terms, a dearer and no longer higher tier, another service, a capability not held', () => {
  const base = terms('base');
  assert.equal(findTermsConflict(terms('twin'), [base]), undefined);
  assert.equal(findTermsConflict(terms('gold', { tier: 1, price: 50 }), [base]), undefined);
  assert.equal(findTermsConflict(terms('gold', { tier: 1, price: 50, lifetime: 60 }), [base]), undefined);
  assert.equal(findTermsConflict(terms('x', { service: 'other', price: 1, lifetime: null }), [base]), undefined);
  assert.equal(findTermsConflict(terms('w', { price: 1, capabilities: ['read'] }), [terms('needs-write', { price: 50, capability: 'write' })]), undefined);
});

test('conflicts name the field to change and the other route, in both directions', () => {
  const base = terms('base', { price: 1, lifetime: null });
  const premium = terms('premium', { tier: 1, price: 50, lifetime: null });
  const cases: Array<[PaidTerms, string, string]> = [
    [terms('sale', { tier: 1, price: 10, lifetime: null }), 'price', 'premium'],
    [terms('gold', { tier: 2, price: 20, lifetime: null }), 'price', 'premium'],
    [terms('plus', { price: 5, lifetime: null }), 'price', 'base'],
    [terms('hourly', { price: 1, lifetime: 3600 }), 'lifetime', 'base'],
    [terms('forever', { tier: 1, price: 50, lifetime: null }), undefined as unknown as string, ''],
  ];
  for (const [candidate, field, other] of cases) {
    const conflict = findTermsConflict(candidate, [base, premium]);
    if (field === undefined) {
      assert.equal(conflict, undefined, candidate.label);
      continue;
    }
    assert.equal(conflict?.field, field, candidate.label);
    assert.ok(conflict?.message.includes(`route "${other}"`), conflict?.message);
  }
  const demo = termsOfRequirement('GET /demo/paid', { price: 10, lifetime: 3600, service: 'demo' }, 'satgate');
  const conflict = findTermsConflict(termsOfRoute({ name: 'cheap', mode: 'l402', service: 'demo', tier: null, price: 1, lifetime: null, capabilities: [], capability: null })!, [demo]);
  assert.deepEqual(conflict?.field, 'price');
  assert.match(conflict!.message, /route "GET \/demo\/paid" \(tier 0, 10 sats, 3600 s\) of service demo/);
});

test('routes without an L402 have no terms; a route without a service sells under its name', () => {
  assert.equal(termsOfRoute({ name: 'o', mode: 'oauth', service: null, tier: null, price: null, lifetime: null, capabilities: [], capability: null }), undefined);
  assert.equal(termsOfRoute({ name: 'q', mode: 'either', service: null, tier: null, price: 2, lifetime: null, capabilities: [], capability: null })?.service, 'q');
  assert.equal(termsOfRequirement('GET /x', { price: 1 }, 'satgate').service, 'satgate');
});
