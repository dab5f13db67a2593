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
