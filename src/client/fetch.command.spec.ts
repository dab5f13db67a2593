/**
 * `satgate fetch` without a Lightning node: argument handling, output formats and the exit codes of paths
 * that never pay. Paying paths are in fetch.integration.spec.ts (regtest).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFetch } from './fetch.command';
import { captureIo, l402Identifier, makeInvoice, mintMacaroon, newPreimage } from './l402.spec-support';

const root = mkdtempSync(join(tmpdir(), 'satgate-fetchcmd-'));
const { paymentHash } = newPreimage();
const invoice2000 = makeInvoice({ paymentHash, sats: 2000 });
const { macaroon } = mintMacaroon(l402Identifier(paymentHash));

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/echo') {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-reply', 'r1');
      res.end(JSON.stringify({ method: req.method, a: req.headers['x-a'], b: req.headers['x-b'], ct: req.headers['content-type'], body }));
    } else if (req.url === '/expensive') {
      res.statusCode = 402;
      res.setHeader('www-authenticate', `L402 macaroon="${macaroon}", invoice="${invoice2000}"`);
      res.end('pay me');
    } else {
      res.statusCode = 404;
      res.end('not here');
    }
  });
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(root, { recursive: true, force: true });
});
const store = () => ['--store', join(root, 'store')];

describe('satgate fetch', () => {
  it('prints the body on stdout and sends method, headers and data like curl', async () => {
    const c = captureIo();
    const code = await runFetch([`${base}/echo`, '-H', 'X-A: 1', '-H', 'x-b:two words', '-d', 'k=v', ...store()], c.io);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(c.stdout()), {
      method: 'POST',
      a: '1',
      b: 'two words',
      ct: 'application/x-www-form-urlencoded',
      body: 'k=v',
    });
    assert.equal(c.stderr(), '');
  });

  it('prints {status, headers, body} with --json and no paid field when nothing was paid', async () => {
    const c = captureIo();
    assert.equal(await runFetch([`${base}/echo`, '-X', 'delete', '--json', ...store()], c.io), 0);
    const out = JSON.parse(c.stdout());
    assert.equal(out.status, 200);
    assert.equal(out.headers['x-reply'], 'r1');
    assert.equal(JSON.parse(out.body).method, 'DELETE');
    assert.equal('paid' in out, false);
  });

  it('exits 5 on an HTTP error, still printing the body', async () => {
    const c = captureIo();
    assert.equal(await runFetch([`${base}/missing`, ...store()], c.io), 5);
    assert.equal(c.stdout(), 'not here');
    assert.match(c.stderr(), /^HTTP 404 Not Found from http:\/\/127\.0\.0\.1:\d+\/missing\n$/);
  });

  it('exits 3 over the limit with a message naming price and limit, paying and storing nothing', async () => {
    const c = captureIo();
    const dir = join(root, 'over');
    assert.equal(await runFetch([`${base}/expensive`, '--max-cost', '1500', '--store', dir], c.io), 3);
    assert.match(c.stderr(), /price 2000 sats for http:\/\/127\.0\.0\.1:\d+ is over the limit of 1500 sats; nothing was paid/);
    assert.equal(c.stdout(), '');
    assert.equal(existsSync(dir), false);
  });

  it('exits 2 when a payment is due but no Lightning node is configured', async () => {
    const c = captureIo();
    assert.equal(await runFetch([`${base}/expensive`, '--max-cost', '5000', ...store()], c.io), 2);
    assert.match(c.stderr(), /no Lightning node is configured/);
  });

  it('exits 2 on usage errors', async () => {
    const bad = [
      [],
      ['a', 'b'],
      ['not a url'],
      ['ftp://x/'],
      [`${base}/`, '--max-cost', '-1'],
      [`${base}/`, '--max-cost=-1'],
      [`${base}/`, '--max-fee', '1.5'],
      [`${base}/`, '--frobnicate'],
      [`${base}/`, '-H', 'no-colon'],
      [`${base}/`, '--lnd-socket', 'localhost:1'],
    ];
    for (const argv of bad) {
      const c = captureIo();
      assert.equal(await runFetch(argv, c.io), 2, `argv ${JSON.stringify(argv)}`);
      assert.match(c.stderr(), /^satgate fetch: [\s\S]*\nusage: satgate fetch/);
    }
  });
});
