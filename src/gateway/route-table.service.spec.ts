import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { Reflector, type ModulesContainer } from '@nestjs/core';
import type { SatgateRuntime } from '../config/runtime';
import type { InvalidationBus } from '../database/invalidation.bus';
import type { GatewayRouteEntity } from './gateway-route.entity';
import type { GatewayRoutesRepository } from './gateway-routes.repository';
import { RELOAD_RETRY_MAX_MS, RELOAD_RETRY_MIN_MS, ROUTES_TOPIC, RouteTableService } from './route-table.service';

const ROW = {
  id: '00000000-0000-4000-8000-000000000001', name: 'r', methods: [], path: '/r', host: null, origin: 'http://127.0.0.1:9',
  rewrite: null, mode: 'none', scopes: [], price: null, lifetime: null, service: null, tier: null, capabilities: [],
  capability: null, timeoutMs: null, enabled: true, position: 0, createdAt: new Date(0), updatedAt: new Date(0),
} as GatewayRouteEntity;

/** A repository whose first `failures` loads fail (the database is down), then answer one route. */
function flakyRepository(failures: number) {
  let calls = 0;
  const repository = {
    async listInOrder() {
      calls += 1;
      if (calls <= failures) throw new Error('connection refused');
      return [ROW];
    },
  } as unknown as GatewayRoutesRepository;
  return { repository, calls: () => calls };
}

function service(repository: GatewayRoutesRepository, handlers: Array<(key: string) => void> = []): RouteTableService {
  const bus = { subscribe: (_topic: string, h: (key: string) => void) => handlers.push(h) } as unknown as InvalidationBus;
  return new RouteTableService(repository, bus, new Map() as unknown as ModulesContainer, new Reflector(), {} as SatgateRuntime);
}

/** Lets the promise chains a fired timer started run to completion. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('a failed reload is retried with growing delays until it succeeds, keeping the previous table meanwhile', async () => {
  const db = flakyRepository(3);
  const table = service(db.repository);
  await table.start();
  assert.equal(db.calls(), 1);
  assert.equal(table.current().routes.length, 0, 'nothing loaded yet');

  mock.timers.tick(RELOAD_RETRY_MIN_MS);
  await drain();
  await table.settled();
  assert.equal(db.calls(), 2, 'first retry after the minimum delay');

  mock.timers.tick(RELOAD_RETRY_MIN_MS);
  await drain();
  assert.equal(db.calls(), 2, 'the delay doubled');
  mock.timers.tick(RELOAD_RETRY_MIN_MS);
  await drain();
  await table.settled();
  assert.equal(db.calls(), 3);

  mock.timers.tick(RELOAD_RETRY_MIN_MS * 4);
  await drain();
  await table.settled();
  assert.equal(db.calls(), 4);
  assert.deepEqual(table.current().routes.map((r) => r.name), ['r'], 'the table is loaded once the database answers');

  mock.timers.tick(RELOAD_RETRY_MAX_MS * 2);
  await drain();
  assert.equal(db.calls(), 4, 'no retries after a success');
  table.onModuleDestroy();
});

test('any invalidation key, including INVALIDATE_ALL, reloads; shutdown cancels a pending retry', async () => {
  const handlers: Array<(key: string) => void> = [];
  const db = flakyRepository(1);
  const table = service(db.repository, handlers);
  await table.start();
  assert.equal(handlers.length, 1);
  table.onModuleDestroy();
  mock.timers.tick(RELOAD_RETRY_MAX_MS);
  await drain();
  assert.equal(db.calls(), 1, 'no retry after shutdown');

  let expected = 1;
  for (const key of ['some-route-id', '*']) {
    handlers[0](key);
    await table.settled();
    assert.equal(db.calls(), ++expected, `${ROUTES_TOPIC} key ${key} reloads the table`);
  }
  assert.deepEqual(table.current().routes.map((r) => r.name), ['r']);
});
