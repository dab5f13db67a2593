import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { L402PricingRegistry, PricingError } from './pricing.registry';

const req = (headers: Record<string, string> = {}) => ({ headers }) as unknown as FastifyRequest;

describe('L402PricingRegistry', () => {
  it('uses the static price when the requirement names no hook', async () => {
    assert.equal(await new L402PricingRegistry().priceOf({ price: 10 }, req()), 10);
  });

  it('asks the named hook, which sees the request and the static price', async () => {
    const registry = new L402PricingRegistry();
    registry.register('by-size', (r, requirement) => requirement.price * Number(r.headers['content-length'] ?? 1));
    assert.equal(await registry.priceOf({ price: 3, pricing: 'by-size' }, req({ 'content-length': '7' })), 21);
  });

  it('awaits asynchronous hooks', async () => {
    const registry = new L402PricingRegistry();
    registry.register('later', async () => 42);
    assert.equal(await registry.priceOf({ price: 1, pricing: 'later' }, req()), 42);
  });

  it('refuses an unknown hook, a duplicate name and a bad name', async () => {
    const registry = new L402PricingRegistry();
    await assert.rejects(registry.priceOf({ price: 1, pricing: 'nope' }, req()), (e: unknown) => e instanceof PricingError && /nope/.test(e.message));
    registry.register('a', () => 1);
    assert.throws(() => registry.register('a', () => 2), /already registered/);
    assert.throws(() => registry.register('has space', () => 2), /invalid pricing hook name/);
  });

  for (const bad of [0, -5, 1.5, Number.NaN, 2 ** 60]) {
    it(`refuses the price ${bad} (a zero-amount invoice would let the payer choose)`, async () => {
      const registry = new L402PricingRegistry();
      registry.register('bad', () => bad);
      await assert.rejects(registry.priceOf({ price: 1, pricing: 'bad' }, req()), PricingError);
      await assert.rejects(registry.priceOf({ price: bad }, req()), PricingError);
    });
  }
});
