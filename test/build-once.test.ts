/**
 * `npm start` builds only when a build input changed (scripts/build-if-stale.js). Exercised on a copy of
 * the script in a scratch project whose `npm run build` is a stub that records each call, so the test
 * neither touches this checkout's dist/ nor waits for a real build.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './support/app';
import { ROOT } from './support/process';

function scratchProject(): { dir: string; run(env?: Record<string, string>): { code: number | null; stderr: string }; builds(): number } {
  const dir = tempDir('satgate-build-once-');
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'build-if-stale.js'), path.join(dir, 'scripts', 'build-if-stale.js'));
  fs.mkdirSync(path.join(dir, 'src', 'a'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), 'export {};\n');
  fs.writeFileSync(path.join(dir, 'src', 'a', 'b.ts'), 'export {};\n');
  fs.writeFileSync(path.join(dir, 'package.json'), '{}\n');
  // Stands in for npm: `<stub> run build --silent` records the call, writes dist/src/main.js, exits BUILD_EXIT.
  const stub = path.join(dir, 'npm-stub.js');
  fs.writeFileSync(
    stub,
    `const fs = require('fs'), p = require('path');
     fs.appendFileSync(p.join(${JSON.stringify(dir)}, 'builds.log'), process.argv.slice(2).join(' ') + '\\n');
     fs.mkdirSync(p.join(${JSON.stringify(dir)}, 'dist', 'src'), { recursive: true });
     fs.writeFileSync(p.join(${JSON.stringify(dir)}, 'dist', 'src', 'main.js'), '');
     process.exit(Number(process.env.BUILD_EXIT || 0));`,
  );
  return {
    dir,
    run(env = {}) {
      const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'build-if-stale.js')], {
        env: { PATH: process.env.PATH, npm_execpath: stub, ...env },
        encoding: 'utf8',
      });
      return { code: r.status, stderr: r.stderr };
    },
    builds: () => (fs.existsSync(path.join(dir, 'builds.log')) ? fs.readFileSync(path.join(dir, 'builds.log'), 'utf8').trim().split('\n').length : 0),
  };
}

describe('build once (npm start)', () => {
  it('builds on the first start, not on the next, and again when a source changes or disappears', () => {
    const p = scratchProject();
    assert.deepEqual(p.run(), { code: 0, stderr: 'satgate: building (first start)...\n' });
    assert.equal(p.builds(), 1);
    assert.equal(fs.readFileSync(path.join(p.dir, 'builds.log'), 'utf8'), 'run build --silent\n');

    assert.deepEqual(p.run(), { code: 0, stderr: '' }, 'nothing changed: no build');
    assert.equal(p.builds(), 1);

    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(p.dir, 'src', 'a', 'b.ts'), later, later);
    assert.deepEqual(p.run(), { code: 0, stderr: 'satgate: sources changed, building...\n' });
    assert.equal(p.builds(), 2);

    fs.rmSync(path.join(p.dir, 'src', 'a', 'b.ts'));
    assert.equal(p.run().code, 0);
    assert.equal(p.builds(), 3, 'a deleted source rebuilds');

    fs.rmSync(path.join(p.dir, 'dist', 'src', 'main.js'));
    assert.equal(p.run().code, 0);
    assert.equal(p.builds(), 4, 'a missing build output rebuilds');
  });

  it('a failed build exits with its code and is retried on the next start', () => {
    const p = scratchProject();
    assert.equal(p.run({ BUILD_EXIT: '3' }).code, 3);
    assert.equal(p.run().code, 0);
    assert.equal(p.builds(), 2);
    assert.equal(p.run().code, 0);
    assert.equal(p.builds(), 2);
  });
});
