/**
 * The one policy vocabulary (docs/architecture.md, "The policy vocabulary"), shared by controller decorators and
 * gateway routes stored as data, so one evaluator serves both.
 */

/** What a paid L402 must cover for this resource. */
export interface L402Requirement {
  /** Price in satoshis of a fresh token. */
  price: number;
  /** Token lifetime in seconds; minted as `<service>_valid_until`. Unset: valid until revoked. */
  lifetime?: number;
  /** Service name in the `services` caveat; defaults to the app's default service. */
  service?: string;
  /** Service tier in the `services` caveat. */
  tier?: number;
  /** Capabilities minted as `<service>_capabilities`; the resource requires `capability` among them. */
  capabilities?: string[];
  /** The capability this resource needs (checked against the token's capabilities caveat). */
  capability?: string;
  /** Optional hook computing the price from the request (e.g. by payload size). */
  pricing?: string;
}

/** `none` lets everyone through; `admin` needs the admin token; the rest follow docs/architecture.md "What each mode answers". */
export type PolicyMode = 'none' | 'admin' | 'oauth' | 'l402' | 'both' | 'either';

export interface AccessPolicy {
  mode: PolicyMode;
  /** OAuth scopes required (every one) for `oauth`, `both` and `either`. */
  scopes?: string[];
  /** The L402 requirement for `l402`, `both` and `either`. */
  l402?: L402Requirement;
}
