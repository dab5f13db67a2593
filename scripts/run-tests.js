#!/usr/bin/env node
/**
 * `npm test`: runs every compiled spec (unit, beside the code) and test (integration/e2e, under test/) with
 * Node's test runner, against a throwaway database:
 *   - DATABASE_URL set: a fresh database `satgate_test_<time>` on that server, dropped afterwards;
 *   - otherwise: satgate's own embedded Postgres in a temp dir (what a fresh clone has).
 * Test files run one at a time (they share the database); each resets the schema it needs.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

function collect(dir, pattern, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collect(full, pattern, out);
    else if (pattern.test(entry.name)) out.push(full);
  }
  return out;
}

async function withDatabase(fn) {
  const { Client } = require('pg');
  if (process.env.DATABASE_URL) {
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const name = `satgate_test_${Date.now()}_${process.pid}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    console.log(`# database: throwaway ${name} on ${url.host}`);
    try {
      return await fn(url.toString(), 'external');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e) => console.error(`# could not drop ${name}: ${e.message}`));
      await admin.end();
    }
  }
  const { startEmbeddedPostgres } = require(path.join(dist, 'src/database/embedded-postgres.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satgate-test-pg-'));
  const pg = await startEmbeddedPostgres(dir);
  console.log(`# database: embedded Postgres (PGlite) in ${dir}`);
  try {
    return await fn(pg.url, 'embedded');
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const filter = process.argv.slice(2);
  let files = [
    ...collect(path.join(dist, 'src'), /\.spec\.js$/),
    ...collect(path.join(dist, 'test'), /\.test\.js$/),
  ].sort();
  if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
  if (!files.length) {
    console.error('no test files found (did the build run?)');
    process.exit(1);
  }
  const outputDir = path.join(root, 'test-output');
  fs.mkdirSync(outputDir, { recursive: true });
  const code = await withDatabase(
    (url, kind) =>
      new Promise((resolve) => {
        const child = spawn(
          process.execPath,
          ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-timeout=180000', ...files],
          {
            stdio: 'inherit',
            env: {
              ...process.env,
              TEST_DATABASE_URL: url,
              TEST_DATABASE_KIND: kind,
              TEST_OUTPUT_DIR: outputDir,
              NODE_NO_WARNINGS: '1',
            },
          },
        );
        child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
      }),
  );
  process.exit(code);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
