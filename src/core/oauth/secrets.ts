/**
 * Generation, storage hashing and comparison of the opaque secrets satgate issues: access and
 * refresh tokens, authorization codes, client secrets (docs/architecture.md "Data": returned once, stored as hashes).
 *
 * Why plain SHA-256 and not scrypt/argon2: slow, salted hashes exist to make guessing *low-entropy*
 * human passwords expensive. Every secret hashed here is >= 256 bits from a CSPRNG, so neither a
 * dictionary nor brute force applies: recovering one from a leaked hash means a SHA-256 preimage
 * search over 2^256 candidates. A deterministic unsalted hash also lets the database index and look
 * up a token by its hash in one query, whereas a salted slow hash would need a separate lookup key
 * and would put a deliberately expensive KDF on every API request (a CPU denial-of-service lever).
 * Never pass a human-chosen password to these functions.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Minimum entropy, in bytes, of any secret minted here (256 bits; RFC 6749 §10.10, RFC 6750 §5.2). */
export const MIN_SECRET_BYTES = 32;

/**
 * A fresh opaque token: `bytes` CSPRNG bytes, base64url without padding (43 chars for 32 bytes),
 * safe in URLs, form bodies and headers without escaping. Throws when asked for under 256 bits.
 */
export function generateOpaqueToken(bytes: number = MIN_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES) {
    throw new RangeError(`opaque tokens need at least ${MIN_SECRET_BYTES} random bytes, got ${bytes}`);
  }
  return randomBytes(bytes).toString('base64url');
}

/**
 * A new client secret. Same form as a token (256-bit, base64url): no `:`, `%` or `+`, so it reads
 * the same whether or not a client form-urlencodes it before HTTP Basic (RFC 6749 §2.3.1).
 */
export function generateClientSecret(): string {
  return generateOpaqueToken(MIN_SECRET_BYTES);
}

/**
 * A new public client identifier: 128 random bits, base64url. Not a secret (RFC 6749 §2.2), just
 * unguessable enough that ids cannot be enumerated.
 */
export function generateClientId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The storage form of a high-entropy secret: lowercase hex SHA-256 of its UTF-8 bytes (64 chars).
 * See the file comment for why a fast hash is the right tool here.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compares two strings without a data-dependent early exit (oidc-provider `constant_equals`).
 * Both sides are first reduced to SHA-256 digests, so neither their content nor the length of the
 * secret side leaks through timing, and `timingSafeEqual` never throws on a length mismatch.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

/** True when `secret` hashes to `storedHash` (as produced by {@link hashSecret}); constant time. */
export function verifySecretHash(secret: string, storedHash: string): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash.toLowerCase());
}
