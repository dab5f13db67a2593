/**
 * `satgate fetch` without a Lightning node: argument handling, output formats and the exit codes of paths
 * that never pay. Paying paths are in fetch.integration.spec.ts (regtest).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FETCH_USAGE, runFetch } from './fetch.command';
import { FileTokenStore } from './file-token.store';
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
    } else if (req.url?.startsWith('/refuse')) {
      // A satgate-style refusal of a stored token: 402, the server's reason in the JSON body, a new challenge.
      const reason = new URL(req.url, 'http://x').searchParams.get('reason');
      res.statusCode = 402;
      res.setHeader('www-authenticate', `L402 macaroon="${macaroon}", invoice="${invoice2000}"`);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ error: 'payment_required', reason, service: 'test', amount_sats: 2000 }));
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

  it('says why the server cannot be reached (the cause behind "fetch failed") and exits 1', async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const c = captureIo();
    assert.equal(await runFetch([`http://127.0.0.1:${port}/x`, ...store()], c.io), 1);
    assert.equal(c.stderr(), `satgate fetch: request to http://127.0.0.1:${port} failed: connect ECONNREFUSED 127.0.0.1:${port}\n`);
    assert.equal(c.stdout(), '');
  });

  it("names the server's reason when a stored token is answered by a fresh 402", async () => {
    const dir = join(root, 'refused');
    const origin = base; // already canonical: http://127.0.0.1:<port>
    await new FileTokenStore(dir).put({
      origin,
      state: 'paid',
      scheme: 'L402',
      macaroon: 'AgEEbHNhdA==',
      invoice: 'lnbcrt1old',
      paymentHash: 'ab'.repeat(32), // not the new challenge's hash: the token is simply refused
      amountSats: 21,
      preimage: 'cd'.repeat(32),
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    const cases: Array<[string, string]> = [
      ['/refuse?reason=wrong_service', 'wrong_service'],
      ['/refuse?reason=expired', 'expired'],
      ['/refuse?reason=revoked', 'revoked'],
      ['/refuse', 'no reason given'], // JSON without a reason
      ['/refuse?reason=' + encodeURIComponent('\u001b[31mpay me now'), 'no reason given'], // not an identifier: not echoed
      ['/expensive', 'no reason given'], // not JSON
    ];
    for (const [path, said] of cases) {
      const c = captureIo();
      assert.equal(await runFetch([`${base}${path}`, '--store', dir], c.io), 3, path);
      assert.deepEqual(c.stderr().split('\n').slice(0, 2), [
        `using stored token for ${origin}`,
        `stored token for ${origin} was refused (${said}); answering the new challenge`,
      ], path);
    }
  });

  it('refuses (exit 2) a --store directory others can access, and leaves it as it was', async () => {
    const dir = join(root, 'world-writable');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const c = captureIo();
    assert.equal(await runFetch([`${base}/expensive`, '--max-cost', '5000', '--store', dir], c.io), 2);
    assert.equal(
      c.stderr(),
      `satgate fetch: token store directory ${dir} is accessible to group or others (mode 0777) and tokens are ` +
        `bearer credentials; run "chmod 700 ${dir}" if that directory holds nothing else, or choose another with ` +
        `--store DIR or SATGATE_STORE\n`,
    );
    assert.equal(statSync(dir).mode & 0o7777, 0o777);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('documents every exit code in its usage text', () => {
    for (const [code, words] of [
      ['0', /below 400/],
      ['1', /other errors: server unreachable, LND unreachable/],
      ['2', /usage: bad arguments/],
      ['3', /over --max-cost; nothing was paid/],
      ['4', /payment failed, or is still in flight/],
      ['5', /answered 400 or more/],
    ] as const) {
      const line = FETCH_USAGE.split('\n').find((l) => l.startsWith(`  ${code}  `));
      assert.ok(line, `exit code ${code} documented`);
      assert.match(line, words);
    }
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
      [`${base}/`, '-X', 'BAD METHOD'],
      [`${base}/`, '-X', 'GET\r\nX-Injected: 1'],
      [`${base}/`, '-X', 'CONNECT'],
      [`${base}/`, '-X', ''],
      [`${base}/`, '--pending-timeout', '1.5'],
    ];
    for (const argv of bad) {
      const c = captureIo();
      assert.equal(await runFetch(argv, c.io), 2, `argv ${JSON.stringify(argv)}`);
      assert.match(c.stderr(), /^satgate fetch: [\s\S]*\nusage: satgate fetch/);
    }
  });
});
