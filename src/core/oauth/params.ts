/**
 * Reading OAuth request parameters from a parsed query string or form body, with the two rules
 * every endpoint shares, so no handler re-implements (or forgets) them.
 */
import { InvalidRequest } from './errors';

/** A parsed query/form object as HTTP frameworks produce it: repeated keys become arrays. */
export type RawParams = Readonly<Record<string, unknown>>;

/**
 * The single value of `name`, or undefined when absent.
 * - RFC 6749 §3.1/§3.2: "Parameters sent without a value MUST be treated as if they were omitted" —
 *   an empty string reads as undefined.
 * - RFC 6749 §3.1/§3.2: parameters "MUST NOT be included more than once" — a repeated parameter
 *   (an array with more than one element) is an `invalid_request`, as is a non-string value.
 */
export function readParam(params: RawParams | undefined, name: string): string | undefined {
  const raw = params?.[name];
  if (raw === undefined || raw === null) return undefined;
  let value: unknown = raw;
  if (Array.isArray(raw)) {
    if (raw.length > 1) throw new InvalidRequest(`parameter ${name} must not be repeated`);
    value = raw[0];
  }
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new InvalidRequest(`parameter ${name} must be a string`);
  return value;
}

/** Like {@link readParam} but a missing value is an `invalid_request` naming the parameter. */
export function requireParam(params: RawParams | undefined, name: string): string {
  const value = readParam(params, name);
  if (value === undefined) throw new InvalidRequest(`missing required parameter: ${name}`);
  return value;
}

/** Parameters that must never travel in a URL, where logs, proxies and browser history keep them. */
const BODY_ONLY_PARAMS = new Set(['client_secret']);

/**
 * The token request's parameters from the query string and the form body together, as Alby's service reads
 * them (Go's `r.FormValue` merges both) and as its SDK sends them: every parameter in the query, an empty
 * form body.
 * - `client_secret` is a credential: RFC 6749 §2.3.1 allows it in the Basic header or the body only ("MUST
 *   NOT be included in the request URI"), so one in the query is an `invalid_request`, never ignored.
 * - A parameter given in both places must carry the same value (it is then read once); different values are
 *   an `invalid_request`, since either choice would let one part of the request silently override the other.
 *   An empty value counts as omitted (RFC 6749 §3.2), so it never conflicts.
 * - A parameter repeated within one part stays repeated, and {@link readParam} refuses it.
 * Error descriptions name parameters, never their values: a code or refresh token must not reach an error body.
 */
export function mergeQueryAndBody(query: RawParams | undefined, body: RawParams | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(body ?? {}) };
  for (const [name, value] of Object.entries(query ?? {})) {
    if (BODY_ONLY_PARAMS.has(name)) throw new InvalidRequest(`${name} must not be sent in the query string (RFC 6749 §2.3.1)`);
    if (isOmitted(value)) continue;
    const inBody = merged[name];
    if (isOmitted(inBody)) {
      merged[name] = value;
      continue;
    }
    if (!sameValue(value, inBody)) throw new InvalidRequest(`parameter ${name} is given in the query and the body with different values`);
  }
  return merged;
}

function isOmitted(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.every((v) => v === undefined || v === ''));
}

function sameValue(a: unknown, b: unknown): boolean {
  const single = (v: unknown): unknown => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  const x = single(a);
  const y = single(b);
  return typeof x === 'string' && x === y;
}
