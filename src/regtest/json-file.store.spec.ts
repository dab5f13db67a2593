import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AtomicJsonFile, JsonDirectoryWriter } from './json-file.store';

describe('atomic JSON files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'satgate-json-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads undefined before the first write and the value after it', { timeout: 20000 }, async () => {
    const file = new AtomicJsonFile<{ n: number }>(join(dir, 'a', 'state.json'));
    assert.equal(file.read(), undefined);
    await file.write({ n: 1 });
    assert.deepEqual(file.read(), { n: 1 });
  });

  it('keeps the newest of concurrent writes and leaves no temp files', { timeout: 20000 }, async () => {
    const file = new AtomicJsonFile<{ n: number }>(join(dir, 'b.json'));
    await Promise.all(Array.from({ length: 50 }, (_, n) => file.write({ n })));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')), { n: 49 });
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  it('never lets an older record overwrite a newer one written to the same path', { timeout: 20000 }, async () => {
    const writer = new JsonDirectoryWriter();
    const path = join(dir, 'records', 'x.json');
    await Promise.all([writer.write(path, { state: 'OPEN' }), writer.write(path, { state: 'SETTLED' })]);
    await writer.flush();
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { state: 'SETTLED' });
  });
});
