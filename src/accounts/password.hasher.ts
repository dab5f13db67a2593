import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost parameters. N=2^15, r=8, p=1 is the OWASP Password Storage Cheat Sheet's scrypt baseline
 * (~32 MiB, tens of milliseconds): slow enough to make guessing a leaked hash expensive, cheap enough for
 * an interactive sign-in. They are stored inside every hash so they can be raised later without breaking
 * existing accounts ({@link PasswordHasher.needsRehash}).
 */
export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

/** The parameters new hashes use. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bounds on stored parameters, so a tampered row cannot make one sign-in burn gigabytes. */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

/** Why a stored hash could not be used (a broken row, not a wrong password). */
export class MalformedPasswordHash extends Error {
  constructor(readonly reason: 'format' | 'params') {
    super(`stored password hash is malformed (${reason})`);
    this.name = 'MalformedPasswordHash';
  }
}

/**
 * Passwords are NFKC-normalised before hashing (NIST SP 800-63B §5.1.1.2), so the same password typed on
 * two keyboards that produce different Unicode forms still matches.
 */
function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFKC'), 'utf8');
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  // Node refuses scrypt above `maxmem` (default 32 MiB); 128*N*r bytes is what it needs, plus headroom.
  const maxmem = 256 * N * params.r + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(passwordBytes(password), salt, KEY_BYTES, { N, r: params.r, p: params.p, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `$scrypt$ln=15,r=8,p=1$<salt b64>$<hash b64>` — PHC string format, so the row says how it was made. */
function format(params: ScryptParams, salt: Buffer, key: Buffer): string {
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/.exec(stored);
  if (!m) throw new MalformedPasswordHash('format');
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (params.ln < 1 || params.ln > MAX_LN || params.r < 1 || params.r > MAX_R || params.p < 1 || params.p > MAX_P) {
    throw new MalformedPasswordHash('params');
  }
  const salt = Buffer.from(m[4], 'base64');
  const key = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || key.length < 16) throw new MalformedPasswordHash('format');
  return { params, salt, key };
}

/**
 * Hashes and verifies human-chosen passwords with scrypt from node:crypto (no native add-on). Unlike the
 * SHA-256 used for random tokens (src/core/oauth/secrets.ts), passwords are low-entropy, so they get a
 * per-password random salt and a deliberately slow, memory-hard function. Comparison is constant time.
 */
export class PasswordHasher {
  private dummy?: Promise<string>;

  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS) {}

  /** A fresh salted hash of `password` in PHC string form. */
  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    return format(this.params, salt, await derive(password, salt, this.params));
  }

  /** True when `password` produces `stored`; the final comparison is constant time. */
  async verify(password: string, stored: string): Promise<boolean> {
    const { params, salt, key } = parse(stored);
    const candidate = await derive(password, salt, params);
    return candidate.length === key.length && timingSafeEqual(candidate, key);
  }

  /**
   * Spends the same work as a real verification and returns false. Called for unknown usernames so the
   * response time does not reveal which usernames exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= this.hash('satgate-dummy-password');
    await this.verify(password, await this.dummy);
    return false;
  }

  /** True when `stored` was made with other parameters than today's (re-hash after a successful sign-in). */
  needsRehash(stored: string): boolean {
    const { params } = parse(stored);
    return params.ln !== this.params.ln || params.r !== this.params.r || params.p !== this.params.p;
  }
}
