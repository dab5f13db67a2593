/**
 * Starts satgate for the benchmark the way an operator does (`node dist/src/main.js`), in its own process:
 * embedded defaults (embedded Postgres, built-in regtest network, demo origin) on a temp data dir, or
 * `DATABASE_URL` when set — then a regtest network is started here and handed over as LND_*, since satgate only
 * starts its own in embedded mode.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startRegtestNetwork, type RegtestNodeInfo } from '../src/regtest/network';

/** A running satgate under benchmark. */
export interface BenchStack {
  url: string;
  demoOriginUrl: string;
  adminToken: string;
  jwtSecret: string;
  database: 'embedded' | 'external';
  /** satgate's process id (its CPU time is read from /proc to cost each request). */
  pid: number;
  /** The payer node's credentials, when a regtest network runs (satgate's own or ours). */
  payer?: Pick<RegtestNodeInfo, 'socket' | 'certPath' | 'adminMacaroonPath'>;
  stop(): Promise<void>;
}

/** The repository root (where package.json is), above whichever compiled tree runs the bench. */
export const ROOT = findUp(__dirname, 'package.json');
/** satgate's entry point in the same compiled tree as this file (`dist/` for `npm run bench`). */
const MAIN_JS = path.join(__dirname, '..', 'src', 'main.js');

function findUp(dir: string, file: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, file))) return d;
    if (path.dirname(d) === d) throw new Error(`${file} not found above ${dir}`);
  }
}

export async function startStack(): Promise<BenchStack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'satgate-bench-'));
  const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
  const jwtSecret = `bench-jwt-${randomBytes(16).toString('hex')}`;
  const external = Boolean(process.env.DATABASE_URL);
  const stops: Array<() => Promise<void> | void> = [() => fs.rmSync(dataDir, { recursive: true, force: true })];
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN: adminToken,
    JWT_SECRET: jwtSecret,
  };
  delete env.PUBLIC_URL;
  let payer: BenchStack['payer'];
  if (external) {
    const network = await startRegtestNetwork({ dataDir: path.join(dataDir, 'bench-lightning') });
    stops.unshift(() => network.stop());
    Object.assign(env, { LND_SOCKET: network.merchant.socket, LND_CERT: network.merchant.certPath, LND_MACAROON: network.merchant.adminMacaroonPath });
    payer = network.payer;
  }
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, MAIN_JS], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  stops.unshift(() => stopChild(child));
  const stop = async (): Promise<void> => {
    for (const s of stops) await s();
  };
  try {
    const output = await waitFor(child, /Demo origin\s+(http:\/\/\S+)/, 120_000);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const demoOriginUrl = /Demo origin\s+(http:\/\/\S+)/.exec(output)?.[1];
    if (!url || !demoOriginUrl) throw new Error(`could not read satgate's URL from its banner:\n${output}`);
    if (!payer) payer = embeddedPayer(dataDir);
    return { url, demoOriginUrl, adminToken, jwtSecret, database: external ? 'external' : 'embedded', pid: child.pid!, payer, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. Throughput
 * on a shared 2-core machine drifts with whatever else runs; CPU per request does much less.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", utime and stime are fields 14 and 15 of the full line: indexes 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The payer node satgate's own regtest network keeps under `<dataDir>/regtest/payer` (LND's file layout). */
function embeddedPayer(dataDir: string): BenchStack['payer'] {
  const dir = path.join(dataDir, 'regtest', 'payer');
  const socketFile = path.join(dir, 'socket');
  if (!fs.existsSync(socketFile)) return undefined;
  return {
    socket: fs.readFileSync(socketFile, 'utf8').trim(),
    certPath: path.join(dir, 'tls.cert'),
    adminMacaroonPath: path.join(dir, 'admin.macaroon'),
  };
}

function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`satgate did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        // Give the banner's remaining lines a moment to arrive in the same read.
        setTimeout(() => resolve(out), 50);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`satgate exited during start (code ${code}):\n${out}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGINT');
  });
}
