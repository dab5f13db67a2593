import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { AccessDenied } from './access-denied';
import type { AccessPolicy, L402Requirement } from './access-policy';
import { BearerAuthenticator, GrantStatus, L402Authority, L402Presented, L402Rejected } from './access.ports';
import { PolicyEvaluator } from './policy-evaluator';
import type { L402Principal, OAuthPrincipal } from './principal';

/**
 * docs/architecture.md's table for `both`, row by row, with the two ports played by small in-memory implementations
 * (the real ones are exercised end to end in test/gateway-policy.test.ts).
 */
const grant = (scopes: string[]): OAuthPrincipal => ({
  tokenId: 't1', grantId: 'g1', clientId: 'c1', userId: '214', scopes, expiresAt: new Date(Date.now() + 60_000),
});

class Bearer implements BearerAuthenticator {
  constructor(private readonly tokens: Record<string, OAuthPrincipal>, private readonly grants: Record<string, GrantStatus>) {}
  async authenticate(token: string) {
    return this.tokens[token];
  }
  async grantStatus(id: string) {
    return this.grants[id] ?? { live: false as const };
  }
}

class Paywall implements L402Authority {
  challenges: Array<{ reason: string; oauthGrant?: string }> = [];
  constructor(private readonly tokens: Record<string, L402Principal | L402Rejected>) {}
  async verify(presented: L402Presented): Promise<L402Principal> {
    const t = this.tokens[presented.value];
    if (!t) throw new L402Rejected('unknown_token');
    if (t instanceof L402Rejected) throw t;
    return t;
  }
  async challenge(_r: L402Requirement, reason: string, _req: FastifyRequest, opts?: { oauthGrant?: string }) {
    this.challenges.push({ reason, oauthGrant: opts?.oauthGrant });
    return new AccessDenied(402, { error: 'payment_required', reason }, [['WWW-Authenticate', 'L402 macaroon="m", invoice="i"']]);
  }
}

const BOTH: AccessPolicy = { mode: 'both', scopes: ['reports:write'], l402: { price: 50 } };
const paid = (oauthGrant?: string): L402Principal => ({ tokenId: 'x', paymentHash: 'h', service: 's', tier: 0, capabilities: [], oauthGrant });
const request = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as FastifyRequest;

async function refusal(p: Promise<unknown>): Promise<AccessDenied> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AccessDenied) return err;
    throw err;
  }
  assert.fail('expected a refusal');
}

function setup() {
  const bearer = new Bearer(
    { good: grant(['reports:write']), narrow: grant(['data:read']) },
    { g1: { live: true, principal: grant(['reports:write']) }, g2: { live: true, principal: grant(['data:read']) } },
  );
  const paywall = new Paywall({
    bound: paid('g1'),
    'bound-narrow': paid('g2'),
    'bound-revoked': paid('g3'),
    unbound: paid(undefined),
    expired: new L402Rejected('expired', 'g1'),
  });
  const evaluator = new PolicyEvaluator({ adminToken: 'x'.repeat(20) } as never, bearer, paywall);
  return { evaluator, paywall };
}

describe('PolicyEvaluator, mode both', () => {
  it('nothing -> 401 without error; an invalid bearer -> 401 invalid_token; no invoice either way', async () => {
    const { evaluator, paywall } = setup();
    const none = await refusal(evaluator.evaluate(BOTH, request()));
    assert.equal(none.status, 401);
    assert.deepEqual(none.headers, [['WWW-Authenticate', 'Bearer realm="satgate"']]);
    const bad = await refusal(evaluator.evaluate(BOTH, request('Bearer nope')));
    assert.deepEqual(bad.headers, [['WWW-Authenticate', 'Bearer realm="satgate", error="invalid_token"']]);
    assert.deepEqual(paywall.challenges, []);
  });

  it('a bearer without the scope -> 403; with it -> 402 bound to its grant', async () => {
    const { evaluator, paywall } = setup();
    const narrow = await refusal(evaluator.evaluate(BOTH, request('Bearer narrow')));
    assert.equal(narrow.status, 403);
    assert.deepEqual(narrow.headers, [['WWW-Authenticate', 'Bearer realm="satgate", error="insufficient_scope", scope="reports:write"']]);
    const challenge = await refusal(evaluator.evaluate(BOTH, request('Bearer good')));
    assert.equal(challenge.status, 402);
    assert.deepEqual(paywall.challenges, [{ reason: 'missing', oauthGrant: 'g1' }]);
  });

  it('a bound L402 passes with the grant; revoked grant -> 401; grant without the scope -> 403', async () => {
    const { evaluator } = setup();
    const ok = await evaluator.evaluate(BOTH, request('L402 bound'));
    assert.equal(ok.oauth?.grantId, 'g1');
    assert.equal(ok.l402?.oauthGrant, 'g1');
    const revoked = await refusal(evaluator.evaluate(BOTH, request('L402 bound-revoked')));
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.l402_reason, 'grant_revoked');
    const narrow = await refusal(evaluator.evaluate(BOTH, request('L402 bound-narrow')));
    assert.equal(narrow.status, 403);
  });

  it('an L402 that proves no grant (unbound, or refused before its signature) -> 401 invalid_token with the reason', async () => {
    const { evaluator } = setup();
    const unbound = await refusal(evaluator.evaluate(BOTH, request('L402 unbound')));
    assert.equal(unbound.status, 401);
    assert.deepEqual(unbound.headers, [['WWW-Authenticate', 'Bearer realm="satgate", error="invalid_token"']]);
    assert.equal(unbound.body.l402_reason, 'not_bound_to_a_grant');
    const unknown = await refusal(evaluator.evaluate(BOTH, request('L402 forged')));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.l402_reason, 'unknown_token');
  });

  it('an authentic expired L402 whose grant is live -> a fresh 402 bound to that grant', async () => {
    const { evaluator, paywall } = setup();
    const again = await refusal(evaluator.evaluate(BOTH, request('L402 expired')));
    assert.equal(again.status, 402);
    assert.deepEqual(paywall.challenges, [{ reason: 'expired', oauthGrant: 'g1' }]);
  });
});
