import { isIP } from 'node:net';
import * as path from 'node:path';
import { BUDGET_RENEWALS, isTimeZone, parseFeeReserve, type BudgetRenewal } from '../core/budget';
import { AppConfig, BudgetConfig, TrustProxySetting } from './config.types';
import { resolveCredential } from '../lightning/lnd-credentials';

/** One bad environment variable and why. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown when the environment does not describe a runnable satgate; lists every problem, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Validates the environment into the typed config. Every variable is checked before failing so an operator
 * fixes all of them in one go (docs/style.md, "Configuration and secrets").
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const problems: ConfigProblem[] = [];
  const reader = new EnvReader(env, problems);

  const port = reader.integer('PORT', 8081, 0, 65535);
  const host = reader.string('HOST', '127.0.0.1');
  const databaseUrl = reader.optionalUrl('DATABASE_URL', ['postgres:', 'postgresql:']);
  const publicUrl = (reader.optionalUrl('PUBLIC_URL', ['http:', 'https:']) ?? `http://${hostForUrl(host)}:${port}`).replace(/\/+$/, '');
  const dataDir = path.resolve(cwd, reader.string('DATA_DIR', './.satgate'));
  const demo = reader.boolean('DEMO', !databaseUrl);
  const jwtSecret = reader.optionalSecret('JWT_SECRET', 16);
  const adminToken = reader.optionalSecret('ADMIN_TOKEN', 16);
  const originJwtSecret = reader.optionalSecret('ORIGIN_JWT_SECRET', 16);

  if (databaseUrl && !jwtSecret && !env.JWT_SECRET) {
    problems.push({ variable: 'JWT_SECRET', message: 'required with DATABASE_URL (secrets are only generated in embedded mode)' });
  }
  if (databaseUrl && !adminToken && !env.ADMIN_TOKEN) {
    problems.push({ variable: 'ADMIN_TOKEN', message: 'required with DATABASE_URL (secrets are only generated in embedded mode)' });
  }

  const lnd = readLnd(env, problems, cwd);
  const logLevel = reader.oneOf('LOG_LEVEL', 'info', LOG_LEVELS);

  const config: AppConfig = {
    port,
    host,
    publicUrl,
    publicUrlExplicit: Boolean(env.PUBLIC_URL?.trim()),
    trustProxy: readTrustProxy(env, problems),
    dataDir,
    databaseUrl,
    databasePoolSize: env.DATABASE_POOL_SIZE?.trim() ? reader.integer('DATABASE_POOL_SIZE', 10, 1, 1000) : undefined,
    databaseConnectTimeoutSeconds: reader.integer('DATABASE_CONNECT_TIMEOUT', 60, 0, 3600),
    jwtSecret,
    adminToken,
    originJwtSecret,
    lnd,
    accessExpirySeconds: reader.integer('ACCESS_EXPIRY_SECONDS', 7200, 60, 31_536_000),
    refreshExpirySeconds: reader.integer('REFRESH_EXPIRY_SECONDS', 2_592_000, 60, 315_360_000),
    maxAuthorizeExpirySeconds: reader.integer('MAX_AUTHORIZE_EXPIRY_SECONDS', 7200, 60, 31_536_000),
    l402Strict: reader.boolean('L402_STRICT', false),
    demo,
    logLevel,
    metricsToken: reader.optionalSecret('METRICS_TOKEN', 16),
    logFile: env.LOG_FILE?.trim() ? path.resolve(cwd, env.LOG_FILE.trim()) : undefined,
    extraScopes: readExtraScopes(env, problems, demo),
    budget: readBudget(env, reader, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function readLnd(env: NodeJS.ProcessEnv, problems: ConfigProblem[], cwd: string): AppConfig['lnd'] {
  const names = ['LND_SOCKET', 'LND_CERT', 'LND_MACAROON'] as const;
  const given = names.filter((n) => env[n] !== undefined && env[n] !== '');
  if (given.length === 0) return undefined;
  for (const n of names) {
    if (!given.includes(n)) problems.push({ variable: n, message: `required when ${given.join(', ')} is set` });
  }
  if (given.length !== names.length) return undefined;
  const socket = env.LND_SOCKET!;
  if (!/^[^\s:]+:\d{1,5}$/.test(socket) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(socket)) {
    problems.push({ variable: 'LND_SOCKET', message: 'expected host:port' });
  }
  const cert = tryCredential('LND_CERT', env.LND_CERT!, problems, cwd);
  const macaroon = tryCredential('LND_MACAROON', env.LND_MACAROON!, problems, cwd);
  return { socket, cert: cert ?? '', macaroon: macaroon ?? '' };
}

function tryCredential(variable: string, value: string, problems: ConfigProblem[], cwd: string): string | undefined {
  try {
    const v = value.trim();
    return resolveCredential(/^\.\.?\//.test(v) ? path.resolve(cwd, v) : v);
  } catch (err) {
    problems.push({ variable, message: (err as Error).message });
    return undefined;
  }
}

/**
 * Which proxies' `X-Forwarded-*` to believe. A hop count or the proxies' addresses make Fastify take the
 * client address the last trusted proxy appended; `true` in Fastify believes the left-most entry, which the
 * client writes itself (one client could rotate it past every per-IP limit). So the plain `true` is refused as
 * ambiguous, and Fastify's meaning needs the explicit `all` (logged as a warning at start).
 */
function readTrustProxy(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): TrustProxySetting {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'all') return true;
  if (raw === 'true') {
    problems.push({
      variable: 'TRUST_PROXY',
      message:
        'true would believe the client-written left-most X-Forwarded-For entry: give the number of proxies in front ' +
        '(1 for one reverse proxy) or their addresses/CIDRs; "all" keeps that meaning if you must',
    });
    return false;
  }
  if (/^\d+$/.test(raw)) {
    if (Number(raw) <= 32) return Number(raw);
    problems.push({ variable: 'TRUST_PROXY', message: `a hop count is at most 32, got "${raw}"` });
    return false;
  }
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length && parts.every(isAddressOrCidr)) return parts;
  problems.push({ variable: 'TRUST_PROXY', message: 'expected false, a hop count, a comma-separated list of proxy addresses/CIDRs, or all' });
  return false;
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** `EXTRA_SCOPES="reports:write=Write reports;data:read=Read data"`; demo mode adds the demo routes' scopes. */
function readExtraScopes(env: NodeJS.ProcessEnv, problems: ConfigProblem[], demo: boolean): Record<string, string> {
  const scopes: Record<string, string> = demo
    ? { 'reports:write': 'Submit paid reports', 'data:read': 'Read the data feed' }
    : {};
  const raw = env.EXTRA_SCOPES?.trim();
  if (!raw) return scopes;
  for (const entry of raw.split(';').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(name)) {
      problems.push({ variable: 'EXTRA_SCOPES', message: `"${name}" is not a valid scope token` });
      continue;
    }
    scopes[name] = eq < 0 ? name : entry.slice(eq + 1).trim();
  }
  return scopes;
}

/**
 * BUDGET_*: the time zone of budget periods, the default budget of a `payments:send` grant whose app named
 * none (10,000 sats per month), whether unlimited grants exist at all, and the fee reserve (Alby's max(1 %, 10)).
 */
function readBudget(env: NodeJS.ProcessEnv, reader: EnvReader, problems: ConfigProblem[]): BudgetConfig {
  const timeZone = reader.string('BUDGET_TIME_ZONE', 'UTC');
  if (!isTimeZone(timeZone)) problems.push({ variable: 'BUDGET_TIME_ZONE', message: `"${timeZone}" is not an IANA time zone (e.g. UTC, Europe/Berlin)` });
  const maxAmountSat = reader.integer('BUDGET_DEFAULT_MAX_SATS', 10_000, 1, 2_100_000_000_000_000);
  const renewal = reader.oneOf<BudgetRenewal>('BUDGET_DEFAULT_RENEWAL', 'monthly', BUDGET_RENEWALS);
  const allowUnlimited = reader.boolean('BUDGET_ALLOW_UNLIMITED', false);
  const rawReserve = env.BUDGET_FEE_RESERVE?.trim() || '1%,10';
  const feeReserve = parseFeeReserve(rawReserve);
  if (typeof feeReserve === 'string') problems.push({ variable: 'BUDGET_FEE_RESERVE', message: feeReserve });
  return {
    timeZone,
    defaultLimit: { maxAmountSat, renewal },
    allowUnlimited,
    feeReserve: typeof feeReserve === 'string' ? { percentBasisPoints: 100, minSats: 10 } : feeReserve,
    reconcileAfterSeconds: reader.integer('BUDGET_RECONCILE_AFTER_SECONDS', 60, 1, 86_400),
  };
}

/** Typed accessors that record a problem instead of throwing, so all variables get checked. */
class EnvReader {
  constructor(private readonly env: NodeJS.ProcessEnv, private readonly problems: ConfigProblem[]) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.problems.push({ variable: name, message: `expected an integer from ${min} to ${max}, got "${v}"` });
      return fallback;
    }
    return Number(v);
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    this.problems.push({ variable: name, message: `expected true or false, got "${v}"` });
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!allowed.includes(v as T)) {
      this.problems.push({ variable: name, message: `expected one of ${allowed.join(', ')}, got "${v}"` });
      return fallback;
    }
    return v as T;
  }

  optionalUrl(name: string, protocols: string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    try {
      const url = new URL(v);
      if (!protocols.includes(url.protocol)) throw new Error();
      return v;
    } catch {
      this.problems.push({ variable: name, message: `expected a ${protocols.join(' or ')} URL` });
      return undefined;
    }
  }

  /** Secrets are raw strings; a too-short one is refused rather than silently weak. The value is never echoed. */
  optionalSecret(name: string, minLength: number): string | undefined {
    const v = this.env[name];
    if (v === undefined || v === '') return undefined;
    if (v.length < minLength) {
      this.problems.push({ variable: name, message: `must be at least ${minLength} characters` });
      return undefined;
    }
    return v;
  }
}
