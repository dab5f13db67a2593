/**
 * `npm run bench`: starts satgate (embedded defaults, or DATABASE_URL), then measures on loopback, in one run:
 * the demo origin directly, and satgate's proxy in front of it with policy none, oauth, l402 and both. Prints
 * req/s, p50 and p99 per scenario and each one's throughput ratio to `none`, and writes
 * bench/results/<timestamp>.json. Target: every guarded scenario >= 0.8x `none`.
 *
 * Credentials come through the public APIs (bench/flows.ts). A scenario whose credential cannot be obtained
 * (e.g. no Lightning node) is reported as skipped with the reason instead of failing the whole run.
 *
 * Knobs: BENCH_DURATION_S (default 6, per scenario), BENCH_WARMUP_S (2), BENCH_ROUNDS (6), BENCH_CONNECTIONS (32),
 * BENCH_ONLY (e.g. `none,oauth`),
 * BENCH_NODE_ARGS (extra node flags for satgate, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lndClient } from '../src/regtest/regtest.clients';
import type { RegtestNodeInfo } from '../src/regtest/network';
import { accessToken, buyL402, registerClient, userJwt } from './flows';
import { LoadGenerator, LoadResult, Samples } from './load';
import { BenchStack, cpuSeconds, ROOT, startStack } from './stack';

const TARGET_RATIO = 0.8;

/** A scenario: where to send load and with which credential. */
interface Scenario {
  name: 'direct' | 'none' | 'oauth' | 'l402' | 'both';
  describe: string;
  url: string;
  headers?: Record<string, string>;
  skipped?: string;
}

interface ScenarioResult extends Partial<LoadResult> {
  name: string;
  describe: string;
  /** req/s relative to `none` (the issue's target metric). */
  ratioToNone?: number;
  /** none's CPU per request / this scenario's: the throughput ratio satgate would reach on a core of its own. */
  cpuRatioToNone?: number;
  skipped?: string;
}

const BENCH_ROUTES = [
  { name: 'bench-none', path: '/bench/none', mode: 'none' },
  { name: 'bench-oauth', path: '/bench/oauth', mode: 'oauth', scopes: ['data:read'] },
  { name: 'bench-l402', path: '/bench/l402', mode: 'l402', price: 1 },
  { name: 'bench-both', path: '/bench/both', mode: 'both', scopes: ['data:read'], price: 1 },
];

/** (Re)creates the bench routes, all in front of the demo origin's `GET /v1/data`; a previous run's are replaced. */
async function createRoutes(stack: BenchStack): Promise<void> {
  await deleteRoutes(stack);
  for (const r of BENCH_ROUTES) {
    const res = await fetch(`${stack.url}/admin/routes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...r, methods: ['GET'], origin: 'demo:', rewrite: '/v1/data' }),
    });
    if (res.status !== 201) throw new Error(`could not create route ${r.name}: ${res.status} ${await res.text()}`);
  }
}

/** Leaves a shared database (DATABASE_URL) as it was found. */
async function deleteRoutes(stack: BenchStack): Promise<void> {
  for (const r of BENCH_ROUTES) {
    await fetch(`${stack.url}/admin/routes/${r.name}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.adminToken}` } });
  }
}

/** Obtains each credential; a failure marks the scenarios that need it as skipped, with the reason. */
async function scenarios(stack: BenchStack): Promise<Scenario[]> {
  const list: Scenario[] = [
    { name: 'direct', describe: 'demo origin, no satgate', url: `${stack.demoOriginUrl}/v1/data` },
    { name: 'none', describe: 'satgate proxy, policy none', url: `${stack.url}/bench/none` },
    { name: 'oauth', describe: 'satgate proxy, OAuth scope data:read', url: `${stack.url}/bench/oauth` },
    { name: 'l402', describe: 'satgate proxy, paid L402', url: `${stack.url}/bench/l402` },
    { name: 'both', describe: 'satgate proxy, OAuth scope + L402 bound to the grant', url: `${stack.url}/bench/both` },
  ];
  const byName = (n: Scenario['name']): Scenario => list.find((s) => s.name === n)!;
  let bearer: string | undefined;
  try {
    const client = await registerClient(stack.url, stack.adminToken, 'bench', ['data:read']);
    const user = await userJwt(stack.jwtSecret, 21, 'bench-user');
    bearer = (await accessToken(stack.url, client, user, ['data:read'])).access_token;
    byName('oauth').headers = { authorization: `Bearer ${bearer}` };
  } catch (err) {
    byName('oauth').skipped = `no OAuth token: ${(err as Error).message}`;
    byName('both').skipped = byName('oauth').skipped;
  }
  if (!stack.payer) {
    byName('l402').skipped = 'no Lightning payer: satgate started no regtest network';
    byName('both').skipped ??= byName('l402').skipped;
    return list;
  }
  const payer = lndClient(stack.payer as RegtestNodeInfo, 'admin');
  try {
    try {
      const l402 = await buyL402(`${stack.url}/bench/l402`, {}, payer.lnd);
      byName('l402').headers = { authorization: l402.authorization };
    } catch (err) {
      byName('l402').skipped = `no L402: ${(err as Error).message}`;
    }
    if (bearer && !byName('both').skipped) {
      try {
        const bound = await buyL402(`${stack.url}/bench/both`, { headers: { authorization: `Bearer ${bearer}` } }, payer.lnd);
        byName('both').headers = { authorization: bound.authorization };
      } catch (err) {
        byName('both').skipped = `no bound L402: ${(err as Error).message}`;
      }
    }
  } finally {
    payer.close();
  }
  return list;
}

function printTable(results: ScenarioResult[]): void {
  const lines = [
    `${'scenario'.padEnd(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'vs none'.padStart(8)} ` +
      `${'cpu us/req'.padStart(10)} ${'cpu vs none'.padStart(11)} ${'errors'.padStart(7)}  description`,
  ];
  for (const r of results) {
    if (r.skipped) {
      lines.push(`${r.name.padEnd(9)} ${'skipped'.padStart(8)}  ${r.skipped}`);
      continue;
    }
    lines.push(
      `${r.name.padEnd(9)} ${String(r.reqPerSec).padStart(8)} ${r.p50Ms!.toFixed(2).padStart(8)} ${r.p99Ms!.toFixed(2).padStart(8)} ` +
        `${(r.ratioToNone === undefined ? '-' : `${r.ratioToNone.toFixed(2)}x`).padStart(8)} ` +
        `${(r.serverCpuUsPerRequest === undefined ? '-' : r.serverCpuUsPerRequest.toFixed(1)).padStart(10)} ` +
        `${(r.cpuRatioToNone === undefined ? '-' : `${r.cpuRatioToNone.toFixed(2)}x`).padStart(11)} ${String(r.errors).padStart(7)}  ${r.describe}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const durationMs = Number(process.env.BENCH_DURATION_S ?? 6) * 1000;
  const warmupMs = Number(process.env.BENCH_WARMUP_S ?? 2) * 1000;
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
  process.stdout.write(`satgate bench: starting the stack (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded defaults'})...\n`);
  const stack = await startStack();
  const results: ScenarioResult[] = [];
  try {
    await createRoutes(stack);
    const list = await scenarios(stack);
    process.stdout.write(
      `measuring: ${connections} connections; ${warmupMs / 1000} s warm-up, then ${durationMs / 1000} s per scenario in ${rounds} interleaved rounds\n`,
    );
    const only = process.env.BENCH_ONLY?.split(',');
    for (const s of list) if (only && !only.includes(s.name)) s.skipped ??= 'not selected (BENCH_ONLY)';
    const active = list.filter((s) => !s.skipped);
    const samples = new Map(active.map((s) => [s.name, new Samples()]));
    const load = new LoadGenerator(connections, () => cpuSeconds(stack.pid));
    try {
      // Warm every path first (JIT, pools, caches), then measure in rounds, rotating the order, so drift and
      // warm-up favour no scenario.
      for (const s of active) await load.window(s, warmupMs);
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < active.length; i++) {
          const s = active[(i + round) % active.length];
          await load.window(s, durationMs / rounds, samples.get(s.name));
        }
      }
    } finally {
      await load.close();
    }
    for (const s of list) {
      results.push(s.skipped ? { name: s.name, describe: s.describe, skipped: s.skipped } : { name: s.name, describe: s.describe, ...samples.get(s.name)!.result() });
    }
  } finally {
    await deleteRoutes(stack).catch(() => undefined);
    await stack.stop();
  }
  const none = results.find((r) => r.name === 'none' && !r.skipped);
  for (const r of results) {
    if (r.name === 'direct' || r.skipped || !none) continue;
    if (none.reqPerSec) r.ratioToNone = Math.round((r.reqPerSec! / none.reqPerSec) * 100) / 100;
    if (none.serverCpuUsPerRequest && r.serverCpuUsPerRequest) {
      r.cpuRatioToNone = Math.round((none.serverCpuUsPerRequest / r.serverCpuUsPerRequest) * 100) / 100;
    }
  }
  printTable(results);
  const guarded = results.filter((r) => ['oauth', 'l402', 'both'].includes(r.name));
  const measured = guarded.filter((r) => !r.skipped);
  const meetsTarget = measured.length === guarded.length && measured.every((r) => (r.ratioToNone ?? 0) >= TARGET_RATIO && r.errors === 0);
  const report = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings: {
      database: stack.database,
      connections,
      durationSeconds: durationMs / 1000,
      warmupSeconds: warmupMs / 1000,
      rounds,
      origin: 'demo origin GET /v1/data (runs inside the satgate process, so its CPU is in every cpu figure)',
    },
    loadAverageAtEnd: os.loadavg(),
    target: { guardedRatioToNone: TARGET_RATIO, met: meetsTarget },
    scenarios: results,
  };
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${report.at.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\ntarget: every guarded scenario >= ${TARGET_RATIO}x none -> ${meetsTarget ? 'met' : 'NOT met'}\nwrote ${path.relative(ROOT, file)}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
