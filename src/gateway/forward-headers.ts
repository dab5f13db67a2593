import type { IncomingHttpHeaders } from 'node:http';

/**
 * Header rules of the proxy, as plain functions (unit-tested without a server).
 *
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded, in either direction,
 * nor is any header the `Connection` header names. Toward the origin satgate also drops the caller's
 * credentials (`Authorization`, aperture's macaroon headers) and every `X-Satgate-*` header — the origin trusts
 * those as satgate's statement of who calls, so a caller must not be able to send them — every caller-sent
 * `X-Forwarded-*`, which it replaces with its own, and the path/method/address override headers below.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Dropped toward the origin besides hop-by-hop ones (set anew by satgate, or the caller's credentials). */
const NOT_FORWARDED = new Set([
  'host',
  'authorization',
  'macaroon',
  'grpc-metadata-macaroon',
  'forwarded',
  // Overrides an origin (or a framework in front of it) may honour to serve another path or method than the
  // one the route's policy checked, or to believe another client address: never the caller's to set.
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'x-envoy-original-path',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-host',
  'x-original-host',
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  // undici refuses `expect` (it does not implement 100-continue); the body is streamed regardless.
  'expect',
]);

/** What satgate tells the origin about the hop it received: client chain, scheme, host and its request id. */
export interface ForwardedFor {
  /** satgate's id of this request (X-Request-Id), so origin logs join satgate's. */
  requestId: string;
  /** Client addresses, client first, ending with the address satgate's socket saw. */
  chain: readonly string[];
  proto: string;
  host: string;
}

/** Header names listed in `Connection` (connection-specific per RFC 9110 §7.6.1); usually none. */
function connectionListed(headers: IncomingHttpHeaders | Record<string, unknown>): Set<string> | undefined {
  const value = headers.connection;
  if (typeof value !== 'string') return undefined;
  let listed: Set<string> | undefined;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (!name || name === 'close' || HOP_BY_HOP.has(name)) continue;
    (listed ??= new Set()).add(name);
  }
  return listed;
}

/**
 * The headers of the request to the origin: the caller's end-to-end headers, satgate's `X-Forwarded-*`, and the
 * identity headers (which win over anything of the same name).
 */
export function requestHeadersForOrigin(
  incoming: IncomingHttpHeaders,
  forwarded: ForwardedFor,
  identity: Record<string, string>,
): Record<string, string | string[]> {
  const listed = connectionListed(incoming);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    if (HOP_BY_HOP.has(name) || NOT_FORWARDED.has(name) || listed?.has(name)) continue;
    // Every caller-sent X-Forwarded-* (-Prefix, -Uri, -Path, -Port, ...): satgate sets its own For/Proto/Host.
    if (name.startsWith('x-satgate-') || name.startsWith('x-forwarded-')) continue;
    out[name] = value;
  }
  out['x-forwarded-for'] = forwarded.chain.join(', ');
  out['x-forwarded-proto'] = forwarded.proto;
  out['x-forwarded-host'] = forwarded.host;
  out['x-request-id'] = forwarded.requestId;
  for (const name in identity) out[name] = identity[name];
  return out;
}

/** The origin's response headers minus hop-by-hop ones (Fastify sets its own framing). */
export function responseHeadersForClient(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const listed = connectionListed(headers);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Headers of a WebSocket upgrade toward the origin: as for HTTP, minus the handshake's own `Sec-WebSocket-*`. */
export function upgradeHeadersForOrigin(
  incoming: IncomingHttpHeaders,
  forwarded: ForwardedFor,
  identity: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(requestHeadersForOrigin(incoming, forwarded, identity))) {
    if (name.startsWith('sec-websocket-') || name === 'content-length') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
