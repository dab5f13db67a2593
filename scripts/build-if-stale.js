#!/usr/bin/env node
/**
 * `npm start` (and `npm run regtest`, `npm run migration:run`) build only when a build input changed since
 * the last successful build, so a second start — or one that only reports a configuration error — takes
 * seconds instead of a full TypeScript build. The fingerprint is every input file's path, size and mtime
 * (a checkout, an edit or a deleted file changes it), kept in dist/.build-fingerprint; the build itself is
 * whatever `npm run build` is. SATGATE_FORCE_BUILD=1 builds regardless.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stampFile = path.join(root, 'dist', '.build-fingerprint');
const INPUT_DIRS = ['src'];
const INPUT_FILES = ['ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json', 'package-lock.json'];

function walk(dir, out) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

function fingerprint() {
  const files = [...INPUT_DIRS.flatMap((d) => walk(path.join(root, d), [])), ...INPUT_FILES.map((f) => path.join(root, f))]
    .filter((f) => fs.existsSync(f))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) {
    const st = fs.statSync(f);
    hash.update(`${path.relative(root, f)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const current = fingerprint();
const previous = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8').trim() : '';
const entry = path.join(root, 'dist', 'src', 'main.js');
if (current === previous && fs.existsSync(entry) && !process.env.SATGATE_FORCE_BUILD) process.exit(0);

process.stderr.write(previous ? 'satgate: sources changed, building...\n' : 'satgate: building (first start)...\n');
const npm = process.env.npm_execpath;
const build = npm
  ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);
fs.mkdirSync(path.dirname(stampFile), { recursive: true });
fs.writeFileSync(stampFile, `${current}\n`);
