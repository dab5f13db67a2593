#!/usr/bin/env node
/**
 * Project rules that neither the type checker nor ESLint expresses (`npm run lint:project`; ESLint enforces the
 * framework-free src/core through no-restricted-imports):
 *  - the schema comes from migrations: no `synchronize: true` in src/;
 *  - no console.log in server code (the structured logger is the only log; the CLI writes via process.stdout);
 *  - no focused or skipped tests left behind (`test.only`, `{ only: true }`).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');

function files(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files(full, out);
    else if (e.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

const problems = [];
for (const file of [...files(path.join(root, 'src')), ...files(path.join(root, 'test'))]) {
  const rel = path.relative(root, file);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = `${rel}:${i + 1}`;
    if (rel.startsWith('src/') && /synchronize:\s*true/.test(line)) problems.push(`${at}: synchronize: true (use migrations)`);
    if (rel.startsWith('src/') && !rel.includes('.spec.') && !rel.includes('.bench.') && /\bconsole\.log\(/.test(line)) problems.push(`${at}: console.log in server code (use the logger or process.stdout in CLI code)`);
    if (/\b(test|it|describe)\.only\(|\{\s*only:\s*true/.test(line)) problems.push(`${at}: focused test`);
  });
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
