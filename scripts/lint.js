#!/usr/bin/env node
/**
 * Project rules that neither the type checker nor ESLint expresses (`npm run lint:project`; ESLint enforces the
 * framework-free src/core through no-restricted-imports):
 *  - the schema comes from migrations: no `synchronize: true` in src/;
 *  - no console.log in server code (the structured logger is the only log; the CLI writes via process.stdout);
 *  - no focused or skipped tests left behind (`test.only`, `{ only: true }`);
 *  - the repository explains itself: no comment or document points at a design file outside the repository
 *    or names a ticket number, and every `docs/<name>.md` it cites exists;
 *  - module boundaries (docs/architecture.md, "Modules"): see BOUNDARIES below.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');

function files(dir, pattern, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) files(full, pattern, out);
    else if (pattern.test(e.name)) out.push(full);
  }
  return out;
}

const code = [
  ...files(path.join(root, 'src'), /\.ts$/),
  ...files(path.join(root, 'test'), /\.ts$/),
  ...files(path.join(root, 'bench'), /\.ts$/),
  ...files(path.join(root, 'scripts'), /\.js$/),
  ...files(path.join(root, 'bin'), /\.js$/),
];
const prose = [
  ...['README.md', 'CONTRIBUTING.md'].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f)),
  ...files(path.join(root, 'docs'), /\.md$/),
];

// Design notes that live outside the repository, and ticket numbers ("issue 4", "#12"; not "&#39;" or "#3399ff").
const OUTSIDE = /\b(STYLE|DESIGN|PROTOCOL)\.md\b|\.\.\/shared\//;
const TICKET = /\bissues? #?\d|(?<![&\w])#\d+(?![\w])/i;
const DOC_REF = /\bdocs\/([\w.-]+\.md)/g;

/**
 * Which src/ folders may not import which (by relative import, type imports included). dpdm already refuses
 * file-level cycles; these keep the folder-level direction that makes the modules readable on their own.
 */
const BOUNDARIES = [
  { from: /^src\/(?!bootstrap\/|main\.ts$|cli\/)/, to: /^src\/bootstrap\//, why: 'features do not depend on the start-up code' },
  { from: /^src\/oauth\//, to: /^src\/login\//, why: 'login/ builds on oauth/ (through its port), never the other way' },
  { from: /^src\/core\/(?!.*\.spec(-support)?\.ts$)/, to: /^src\/(?!core\/)/, why: 'the protocol core depends on nothing else in src/' },
  { from: /^src\/payer\/(?!.*\.spec(-support)?\.ts$)/, to: /^src\/(?!payer\/|core\/|lightning\/chain\.networks)/, why: 'the paying client stays free of the server' },
];
const IMPORT = /(?:\bfrom\s+|\bimport\s+|\brequire\(|\bimport\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

const problems = [];
for (const file of [...code, ...prose]) {
  const rel = path.relative(root, file);
  const isCode = !rel.endsWith('.md');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const at = `${rel}:${i + 1}`;
    if (rel === 'scripts/lint.js') return; // this file names the patterns it refuses
    if (isCode && rel.startsWith('src/') && /synchronize:\s*true/.test(line)) problems.push(`${at}: synchronize: true (use migrations)`);
    if (isCode && rel.startsWith('src/') && !rel.includes('.spec.') && !rel.includes('.bench.') && /\bconsole\.log\(/.test(line)) problems.push(`${at}: console.log in server code (use the logger or process.stdout in CLI code)`);
    if (isCode && /\b(test|it|describe)\.only\(|\{\s*only:\s*true/.test(line)) problems.push(`${at}: focused test`);
    if (isCode && rel.startsWith('src/')) {
      for (const m of line.matchAll(IMPORT)) {
        const target = path.relative(root, path.resolve(path.dirname(file), m[1]));
        for (const b of BOUNDARIES) {
          if (b.from.test(rel) && b.to.test(target)) problems.push(`${at}: imports ${m[1]}: ${b.why}`);
        }
      }
    }
    if (OUTSIDE.test(line)) problems.push(`${at}: points at a file outside the repository (cite docs/ or an RFC)`);
    if (TICKET.test(line)) problems.push(`${at}: names a ticket number (say why instead)`);
    for (const m of line.matchAll(DOC_REF)) {
      if (!fs.existsSync(path.join(root, 'docs', m[1]))) problems.push(`${at}: cites docs/${m[1]}, which does not exist`);
    }
  });
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('lint: ok');
