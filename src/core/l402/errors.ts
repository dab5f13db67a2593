/**
 * Why an L402 was refused. The set is fixed by docs/protocol.md ("The 402 body"): it is sent to
 * clients as the `reason` of the 402 body, so a client can tell "pay again" from "fix your client".
 */
export const L402_REASONS = [
  'missing',
  'malformed',
  'bad_preimage',
  'unknown_token',
  'revoked',
  'bad_signature',
  'wrong_service',
  'expired',
  'unknown_caveat',
  'caveat_failed',
  'unpaid',
] as const;

/** One of {@link L402_REASONS}; the wire value of the 402 body's `reason`. */
export type L402Reason = (typeof L402_REASONS)[number];

/**
 * Every refusal in the L402 core is an `L402Error` carrying a `reason`, never a bare boolean, so the
 * Nest side renders exactly one 402 body per failure without re-deriving why. Messages never contain
 * secrets (preimages, root keys, macaroons, caveat values): they may end up in logs.
 */
export class L402Error extends Error {
  /** Wire reason (docs/protocol.md); what the 402 body reports. */
  readonly reason: L402Reason;
  /** The caveat condition that caused the refusal, when one did; handy in logs and admin views. */
  readonly condition?: string;

  constructor(reason: L402Reason, message: string, condition?: string) {
    super(message);
    this.name = new.target.name;
    this.reason = reason;
    if (condition !== undefined) this.condition = condition;
  }
}

/** The credential could not be parsed: bad header syntax, base64/hex, macaroon bytes or identifier. */
export class MalformedCredential extends L402Error {
  constructor(message: string) {
    super('malformed', message);
  }
}

/** sha256(preimage) is not the identifier's payment hash: the client did not pay this invoice. */
export class BadPreimage extends L402Error {
  constructor(message = 'preimage does not match the payment hash') {
    super('bad_preimage', message);
  }
}

/** No root key is stored for sha256(identifier): not minted here, or purged. */
export class UnknownToken extends L402Error {
  constructor(message = 'no root key for this token') {
    super('unknown_token', message);
  }
}

/** The root key exists but was revoked by an operator. */
export class RevokedToken extends L402Error {
  constructor(message = 'token has been revoked') {
    super('revoked', message);
  }
}

/** The HMAC chain does not end in the macaroon's signature: forged or tampered caveats. */
export class BadSignature extends L402Error {
  constructor(message = 'macaroon signature mismatch') {
    super('bad_signature', message);
  }
}

/** The token's `services` caveat does not name the service being accessed. */
export class WrongService extends L402Error {
  constructor(message: string, condition = 'services') {
    super('wrong_service', message, condition);
  }
}

/** The target service's `<service>_valid_until` has passed. Paying again fixes it. */
export class ExpiredToken extends L402Error {
  constructor(message: string, condition?: string) {
    super('expired', message, condition);
  }
}

/**
 * A caveat no satisfier understands. aperture ignores these; satgate refuses them, because a restriction
 * a client added that we cannot check must not leave the token wider than the client intended.
 */
export class UnknownCaveat extends L402Error {
  constructor(message: string, condition?: string) {
    super('unknown_caveat', message, condition);
  }
}

/** A known caveat is not met or is malformed, or a later caveat tries to widen an earlier one. */
export class CaveatFailed extends L402Error {
  constructor(message: string, condition?: string) {
    super('caveat_failed', message, condition);
  }
}

/** Strict mode: the invoice behind the payment hash is not settled according to the Lightning node. */
export class Unpaid extends L402Error {
  constructor(message = 'invoice not settled') {
    super('unpaid', message);
  }
}

/** Narrows `unknown` caught values without relying on `instanceof` across duplicated module copies. */
export function isL402Error(err: unknown): err is L402Error {
  if (err instanceof L402Error) return true;
  const reason = err instanceof Error ? (err as Error & { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && (L402_REASONS as readonly string[]).includes(reason);
}
