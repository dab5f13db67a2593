import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestHeadersForOrigin, responseHeadersForClient, upgradeHeadersForOrigin } from './forward-headers';

const forwarded = { chain: ['203.0.113.7', '10.0.0.2'], proto: 'https', host: 'pay.example.com', requestId: 'req-1' };

test('toward the origin: hop-by-hop, Connection-listed, credentials and X-Satgate-* are dropped; end-to-end kept', () => {
  const out = requestHeadersForOrigin(
    {
      host: 'pay.example.com',
      connection: 'keep-alive, X-Trace-Hop',
      'keep-alive': 'timeout=5',
      'x-trace-hop': 'drop me',
      te: 'trailers',
      'transfer-encoding': 'chunked',
      upgrade: 'h2c',
      'proxy-authorization': 'Basic eA==',
      authorization: 'Bearer caller-token',
      macaroon: 'abcd',
      'grpc-metadata-macaroon': 'abcd',
      'x-satgate-l402-token-id': 'forged',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=6.6.6.6',
      expect: '100-continue',
      'content-type': 'application/json',
      'content-length': '12',
      accept: 'text/event-stream',
      cookie: 'a=1',
      'x-custom': 'kept',
      'x-request-id': 'callers-own-id',
    },
    forwarded,
    { authorization: 'Bearer identity.jwt', 'x-satgate-l402-tier': '0' },
  );
  assert.deepEqual(out, {
    'content-type': 'application/json',
    'content-length': '12',
    accept: 'text/event-stream',
    cookie: 'a=1',
    'x-custom': 'kept',
    'x-forwarded-for': '203.0.113.7, 10.0.0.2',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'pay.example.com',
    'x-request-id': 'req-1',
    authorization: 'Bearer identity.jwt',
    'x-satgate-l402-tier': '0',
  });
});

test('toward the client: hop-by-hop response headers are dropped, repeated ones kept as a list', () => {
  const out = responseHeadersForClient({
    connection: 'close, x-internal',
    'x-internal': 'secret-hop',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'set-cookie': ['a=1', 'b=2'],
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  });
  assert.deepEqual(out, { 'set-cookie': ['a=1', 'b=2'], 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
});

test('a WebSocket upgrade to the origin leaves the handshake headers to the ws client', () => {
  const out = upgradeHeadersForOrigin(
    {
      host: 'h', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k', 'sec-websocket-version': '13',
      'sec-websocket-protocol': 'chat', authorization: 'Bearer caller', origin: 'https://app.example',
    },
    forwarded,
    {},
  );
  assert.deepEqual(out, {
    origin: 'https://app.example',
    'x-forwarded-for': '203.0.113.7, 10.0.0.2',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'pay.example.com',
    'x-request-id': 'req-1',
  });
});

test('toward the origin: path, method and client-address overrides and every caller X-Forwarded-* are dropped', () => {
  const overrides = {
    'x-original-url': '/admin',
    'x-original-uri': '/admin',
    'x-rewrite-url': '/admin',
    'x-envoy-original-path': '/admin',
    'x-http-method-override': 'DELETE',
    'x-http-method': 'DELETE',
    'x-method-override': 'DELETE',
    'x-host': 'evil.example',
    'x-original-host': 'evil.example',
    'x-real-ip': '6.6.6.6',
    'true-client-ip': '6.6.6.6',
    'x-client-ip': '6.6.6.6',
    'x-cluster-client-ip': '6.6.6.6',
    'cf-connecting-ip': '6.6.6.6',
    'fastly-client-ip': '6.6.6.6',
    'x-forwarded-prefix': '/admin',
    'x-forwarded-uri': '/admin',
    'x-forwarded-path': '/admin',
    'x-forwarded-port': '1',
    'x-forwarded-server': 'evil',
    'x-forwarded-scheme': 'http',
    'x-forwarded-ssl': 'off',
  };
  const out = requestHeadersForOrigin({ ...overrides, 'x-kept': '1' }, forwarded, {});
  assert.deepEqual(out, {
    'x-kept': '1',
    'x-forwarded-for': '203.0.113.7, 10.0.0.2',
    'x-forwarded-proto': 'https',
    'x-forwarded-host': 'pay.example.com',
    'x-request-id': 'req-1',
  });
  const ws = upgradeHeadersForOrigin({ ...overrides }, forwarded, {});
  for (const name of Object.keys(overrides)) assert.equal(name in ws, false, name);
});
