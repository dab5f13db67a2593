import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './config.loader';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems.map((p) => p.variable);
  }
  assert.fail('expected a ConfigError');
}

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env, '/srv');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail('expected a ConfigError');
}

test('defaults describe the embedded demo mode', () => {
  const c = loadConfig({}, '/srv');
  assert.equal(c.port, 8081);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.publicUrl, 'http://127.0.0.1:8081');
  assert.equal(c.publicUrlExplicit, false);
  assert.equal(c.dataDir, path.resolve('/srv', '.satgate'));
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.demo, true);
  assert.equal(c.accessExpirySeconds, 7200);
  assert.equal(c.refreshExpirySeconds, 2592000);
  assert.equal(c.trustProxy, false);
  assert.equal(c.lnd, undefined);
});

test('PORT=abc is refused and named', () => {
  assert.deepEqual(problemsOf({ PORT: 'abc' }), ['PORT']);
});

test('every bad variable is named at once, not just the first', () => {
  const vars = problemsOf({ PORT: '70000', DEMO: 'maybe', LOG_LEVEL: 'loud', PUBLIC_URL: 'ftp://x', ACCESS_EXPIRY_SECONDS: '-5' });
  assert.deepEqual(vars.sort(), ['ACCESS_EXPIRY_SECONDS', 'DEMO', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL']);
});

test('DATABASE_URL switches demo off by default and requires the secrets', () => {
  assert.deepEqual(problemsOf({ DATABASE_URL: 'postgres://u@h/db' }).sort(), ['ADMIN_TOKEN', 'JWT_SECRET']);
  const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(32) }, '/srv');
  assert.equal(c.demo, false);
  assert.equal(c.jwtSecret, 'x'.repeat(32));
  const d = loadConfig({ DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'y'.repeat(32), DEMO: 'true' }, '/srv');
  assert.equal(d.demo, true);
});

test('a short secret is refused without echoing it', () => {
  try {
    loadConfig({ ADMIN_TOKEN: 'hunter2' }, '/srv');
    assert.fail('expected a ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems.map((p) => p.variable), ['ADMIN_TOKEN']);
    assert.ok(!err.message.includes('hunter2'));
  }
});

test('LND_* must come together, and accept hex or base64 contents', () => {
  assert.deepEqual(problemsOf({ LND_SOCKET: 'localhost:10009' }).sort(), ['LND_CERT', 'LND_MACAROON']);
  const c = loadConfig({ LND_SOCKET: 'localhost:10009', LND_CERT: 'AAEC+w==', LND_MACAROON: '0201036c6e64' }, '/srv');
  assert.deepEqual(c.lnd, { socket: 'localhost:10009', cert: 'AAEC+w==', macaroon: Buffer.from('0201036c6e64', 'hex').toString('base64') });
  assert.deepEqual(problemsOf({ LND_SOCKET: 'nope', LND_CERT: '/no/such/tls.cert', LND_MACAROON: 'AAEC+w==' }).sort(), ['LND_CERT', 'LND_SOCKET']);
});

test('TRUST_PROXY accepts a hop count, addresses, or the explicit all; plain true is refused', () => {
  assert.deepEqual(problemsOf({ TRUST_PROXY: 'true' }), ['TRUST_PROXY']);
  assert.match(configError({ TRUST_PROXY: 'true' }), /give the number of proxies in front \(1 for one reverse proxy\) or their addresses\/CIDRs/);
  assert.equal(loadConfig({ TRUST_PROXY: 'all' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
  assert.deepEqual(problemsOf({ TRUST_PROXY: '1000' }), ['TRUST_PROXY']);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' }).trustProxy, ['10.0.0.1', '10.0.1.0/24']);
  assert.deepEqual(problemsOf({ TRUST_PROXY: 'sometimes' }), ['TRUST_PROXY']);
});

test('PUBLIC_URL loses its trailing slash and is marked explicit', () => {
  const c = loadConfig({ PUBLIC_URL: 'https://pay.example.com/' });
  assert.equal(c.publicUrl, 'https://pay.example.com');
  assert.equal(c.publicUrlExplicit, true);
});

test('BUDGET_* default to 10,000 sats a month in UTC, a max(1 %, 10) fee reserve, no unlimited grants', () => {
  assert.deepEqual(loadConfig({}, '/srv').budget, {
    timeZone: 'UTC',
    defaultLimit: { maxAmountSat: 10_000, renewal: 'monthly' },
    allowUnlimited: false,
    feeReserve: { percentBasisPoints: 100, minSats: 10 },
    reconcileAfterSeconds: 60,
  });
  const c = loadConfig({
    BUDGET_TIME_ZONE: 'Europe/Berlin',
    BUDGET_DEFAULT_MAX_SATS: '5000',
    BUDGET_DEFAULT_RENEWAL: 'weekly',
    BUDGET_ALLOW_UNLIMITED: 'true',
    BUDGET_FEE_RESERVE: '0.5%,2',
    BUDGET_RECONCILE_AFTER_SECONDS: '5',
  }, '/srv');
  assert.deepEqual(c.budget, {
    timeZone: 'Europe/Berlin',
    defaultLimit: { maxAmountSat: 5000, renewal: 'weekly' },
    allowUnlimited: true,
    feeReserve: { percentBasisPoints: 50, minSats: 2 },
    reconcileAfterSeconds: 5,
  });
});

test('bad BUDGET_* values are all named', () => {
  assert.deepEqual(
    problemsOf({
      BUDGET_TIME_ZONE: 'Mars/Olympus',
      BUDGET_DEFAULT_MAX_SATS: '0',
      BUDGET_DEFAULT_RENEWAL: 'hourly',
      BUDGET_ALLOW_UNLIMITED: 'perhaps',
      BUDGET_FEE_RESERVE: 'lots',
      BUDGET_RECONCILE_AFTER_SECONDS: '0',
    }).sort(),
    ['BUDGET_ALLOW_UNLIMITED', 'BUDGET_DEFAULT_MAX_SATS', 'BUDGET_DEFAULT_RENEWAL', 'BUDGET_FEE_RESERVE', 'BUDGET_RECONCILE_AFTER_SECONDS', 'BUDGET_TIME_ZONE'],
  );
});
