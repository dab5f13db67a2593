import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { walkRoutes } from '../src/access/route-walk';
import { AccessModule } from '../src/access/access.module';
import { ConfigModule } from '../src/config/config.module';
import { ErrorFilter } from '../src/common/error.filter';
import { Public } from '../src/access/access.decorators';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';

let satgate: RunningSatgate;
before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
});
after(() => satgate?.close());

test('every controller route of satgate declares an access policy', () => {
  const routes = walkRoutes(satgate.app);
  assert.ok(routes.length >= 3, `expected the app's routes, found ${routes.length}`);
  const undeclared = routes.filter((r) => r.policy === undefined).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
  assert.deepEqual(undeclared, [], `routes without @Public() or a policy:\n${undeclared.join('\n')}`);
  const health = routes.find((r) => r.path === '/health');
  assert.deepEqual(health?.policy, { mode: 'none' });
  const ping = routes.find((r) => r.path === '/admin/ping');
  assert.deepEqual(ping?.policy, { mode: 'admin' });
});

@Controller('forgotten')
class ForgottenController {
  @Get()
  leak(): string {
    return 'secret';
  }
  @Public()
  @Get('open')
  open(): string {
    return 'open';
  }
}

@Module({ controllers: [ForgottenController] })
class ForgottenModule {}

test('a route without a policy is caught by the walk and refused by the guard', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ adminToken: 'x'.repeat(20) } as never),
      AccessModule,
      ForgottenModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  app.useGlobalFilters(new ErrorFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  try {
    const offenders = walkRoutes(app).filter((r) => r.policy === undefined);
    assert.deepEqual(offenders.map((r) => `${r.method} ${r.path}`), ['GET /forgotten']);
    const res = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/forgotten' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error, 'forbidden');
    const open = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/forgotten/open' });
    assert.equal(open.statusCode, 200);
    assert.equal(open.body, 'open');
  } finally {
    await app.close();
  }
});
