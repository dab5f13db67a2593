import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore } from './file-token.store';
import { UnsafeStoreDirError } from './store-dir.guard';
import { normaliseOriginArg, originOf, type TokenRecord } from './token.store';

const root = mkdtempSync(join(tmpdir(), 'satgate-store-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `case-${++n}`, 'nested', 'tokens');

function record(origin: string, extra: Partial<TokenRecord> = {}): TokenRecord {
  return {
    origin,
    state: 'paid',
    scheme: 'L402',
    macaroon: 'AgEEbHNhdA==',
    invoice: 'lnbcrt1...',
    paymentHash: 'ab'.repeat(32),
    amountSats: 21,
    preimage: 'cd'.repeat(32),
    feeSats: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    paidAt: '2026-01-01T00:00:01.000Z',
    ...extra,
  };
}

describe('originOf', () => {
  it('always spells the port and lower-cases the host', () => {
    assert.equal(originOf('http://Example.COM/a?b'), 'http://example.com:80');
    assert.equal(originOf('https://example.com'), 'https://example.com:443');
    assert.equal(originOf('http://127.0.0.1:8080/x'), 'http://127.0.0.1:8080');
    assert.equal(normaliseOriginArg('localhost:3000'), 'http://localhost:3000');
    assert.throws(() => originOf('ftp://x'), /not an http/);
  });
});

describe('FileTokenStore', () => {
  it('creates the directory 0700 and token files 0600', async () => {
    const dir = freshDir();
    const store = new FileTokenStore(dir);
    await store.put(record('http://127.0.0.1:8080'));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir);
    assert.deepEqual(files, ['http_127.0.0.1_8080.json']);
    assert.equal(statSync(join(dir, files[0])).mode & 0o777, 0o600);
  });

  it('creates missing parents 0700 too, whatever the umask, without touching directories that existed', async () => {
    const dir = freshDir(); // <root>/case-N/nested/tokens: three new directories under the existing root
    const rootMode = statSync(root).mode & 0o7777;
    const old = process.umask(0);
    try {
      await new FileTokenStore(dir).put(record('https://a.example:443'));
    } finally {
      process.umask(old);
    }
    for (const d of [dir, join(dir, '..'), join(dir, '..', '..')]) assert.equal(statSync(d).mode & 0o7777, 0o700, d);
    assert.equal(statSync(root).mode & 0o7777, rootMode);
    assert.equal(statSync(join(dir, 'https_a.example_443.json')).mode & 0o777, 0o600);
  });

  it('refuses an existing directory others can access, naming it and the fix, and never chmods it', async () => {
    for (const mode of [0o755, 0o1777, 0o710, 0o701]) {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      chmodSync(dir, mode);
      const store = new FileTokenStore(dir);
      const expected = (err: unknown) => {
        assert.ok(err instanceof UnsafeStoreDirError, String(err));
        assert.equal(
          err.message,
          `token store directory ${dir} is accessible to group or others (mode ${mode.toString(8).padStart(4, '0')}) ` +
            `and tokens are bearer credentials; run "chmod 700 ${dir}" if that directory holds nothing else, ` +
            `or choose another with --store DIR or SATGATE_STORE`,
        );
        return true;
      };
      await assert.rejects(store.put(record('http://t:1')), expected);
      await assert.rejects(store.get('http://t:1'), expected);
      await assert.rejects(store.list(), expected);
      await assert.rejects(store.delete('http://t:1'), expected);
      assert.equal(statSync(dir).mode & 0o7777, mode, 'left exactly as it was');
      assert.deepEqual(readdirSync(dir), [], 'nothing written');
    }
  });

  it('uses an existing private directory as it is, and refuses a path that is not a directory', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    await new FileTokenStore(dir).put(record('http://p:1'));
    assert.equal((await new FileTokenStore(dir).get('http://p:1'))?.origin, 'http://p:1');

    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await assert.rejects(new FileTokenStore(file).put(record('http://p:1')), {
      name: 'UnsafeStoreDirError',
      message: `token store directory ${file} exists but is not a directory; choose another with --store DIR or SATGATE_STORE`,
    });
  });

  it('keeps one token per origin: default and explicit ports are the same origin', async () => {
    const store = new FileTokenStore(freshDir());
    await store.put(record('http://h.example:80', { amountSats: 1 }));
    await store.put(record(originOf('http://h.example/path'), { amountSats: 2 }));
    const all = await store.list();
    assert.equal(all.length, 1);
    assert.equal(all[0].amountSats, 2);
    assert.equal((await store.get('http://h.example'))?.amountSats, 2);
  });

  it('replaces files by rename (a new inode), leaving no temporary file behind', async () => {
    const dir = freshDir();
    const store = new FileTokenStore(dir);
    await store.put(record('http://x:1', { state: 'pending', preimage: undefined }));
    const file = join(dir, 'http_x_1.json');
    const before = statSync(file).ino;
    await store.put(record('http://x:1'));
    assert.notEqual(statSync(file).ino, before);
    assert.deepEqual(readdirSync(dir), ['http_x_1.json']);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), record('http://x:1'));
  });

  it('never lets a reader see a half-written record', async () => {
    const store = new FileTokenStore(freshDir());
    const big = (i: number) => record('http://big:1', { invoice: String(i).repeat(200_000) });
    await store.put(big(0));
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const r = await store.get('http://big:1'); // throws on a partial file
        assert.ok(r && r.invoice.length > 0 && r.invoice.length % 200_000 === 0); // a whole record
        reads++;
      }
    })();
    for (let i = 1; i <= 20; i++) await store.put(big(i));
    writing = false;
    await reader;
    assert.ok(reads > 0);
    assert.equal((await store.get('http://big:1'))?.invoice, String(20).repeat(200_000));
  });

  it('ignores a temporary file left by a crash mid-write', async () => {
    const dir = freshDir();
    const store = new FileTokenStore(dir);
    await store.put(record('http://y:2'));
    writeFileSync(join(dir, 'http_y_2.json.123.abc.tmp'), '{"origin":');
    assert.equal((await store.list()).length, 1);
    assert.equal((await store.get('http://y:2'))?.state, 'paid');
  });

  it('encodes unusual hosts so distinct origins never share a file', async () => {
    const store = new FileTokenStore(freshDir());
    await store.put(record(originOf('http://[::1]:8080/')));
    await store.put(record(originOf('https://under_score.example/')));
    assert.deepEqual(
      (await store.list()).map((r) => r.origin),
      ['http://[::1]:8080', 'https://under_score.example:443'],
    );
    assert.match(store.fileFor('http://[::1]:8080'), /http_%5b%3a%3a1%5d_8080\.json$/);
  });

  it('deletes, reporting whether there was anything to delete', async () => {
    const store = new FileTokenStore(freshDir());
    assert.equal(await store.delete('http://z:3'), false);
    await store.put(record('http://z:3'));
    assert.equal(await store.delete('http://z:3'), true);
    assert.equal(await store.get('http://z:3'), undefined);
    assert.deepEqual(await new FileTokenStore(join(root, 'missing')).list(), []);
  });

  it('refuses a corrupt file with the exact command that removes it', async () => {
    const dir = freshDir();
    const store = new FileTokenStore(dir);
    await store.put(record('http://c:4'));
    writeFileSync(join(dir, 'http_c_4.json'), 'nope');
    await assert.rejects(store.get('http://c:4'), {
      message: `token file ${join(dir, 'http_c_4.json')} is not valid JSON; remove it with: satgate tokens rm http://c:4 --store ${dir}`,
    });
  });

  it('lists the good records past damaged files, reporting each damaged one with a command removing it', async () => {
    const dir = freshDir();
    const store = new FileTokenStore(dir);
    await store.put(record('http://good:1'));
    await store.put(record(originOf('http://[::1]:8080/')));
    await store.put(record('https://z.example:443'));
    writeFileSync(join(dir, 'http_%5b%3a%3a1%5d_8080.json'), '{"origin":'); // truncated
    writeFileSync(join(dir, "it's notes.json"), '{"hello":"world"}'); // not one of ours
    assert.deepEqual((await store.list()).map((r) => r.origin), ['http://good:1', 'https://z.example:443']);
    const { records, unreadable } = await store.scan();
    assert.equal(records.length, 2);
    assert.deepEqual(unreadable, [
      {
        path: join(dir, 'http_%5b%3a%3a1%5d_8080.json'),
        problem: 'not valid JSON',
        removeCommand: `satgate tokens rm http://[::1]:8080 --store ${dir}`,
      },
      {
        path: join(dir, "it's notes.json"),
        problem: 'not a satgate token record',
        removeCommand: `rm '${dir}/it'\\''s notes.json'`,
      },
    ]);
  });
});
