/**
 * `.env.example` and the README's configuration table must list exactly the variables the configuration
 * loader reads, each with its meaning, so neither drifts when a variable is added or removed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from './config.loader';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/** Every variable loadConfig looks at, recorded through a proxy over an empty environment. */
function variablesTheLoaderReads(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  loadConfig(env, '/tmp');
  return [...read].sort();
}

describe('.env.example', () => {
  const root = repoRoot();
  const lines = fs.readFileSync(path.join(root, '.env.example'), 'utf8').split('\n');

  it('lists every variable the configuration reads, and nothing else', () => {
    const listed = lines.map((l) => /^#?([A-Z][A-Z0-9_]*)=/.exec(l)?.[1]).filter((v): v is string => v !== undefined);
    assert.deepEqual([...new Set(listed)].sort(), variablesTheLoaderReads());
    assert.equal(new Set(listed).size, listed.length, 'each variable once');
  });

  it('says what each variable means in a comment right above it', () => {
    lines.forEach((line, i) => {
      if (/^#?[A-Z][A-Z0-9_]*=/.test(line)) {
        assert.match(lines[i - 1] ?? '', /^# \S/, `no explanation above line ${i + 1}: ${line}`);
      }
    });
  });

  it('is all comments: copied to .env unchanged it configures nothing', () => {
    assert.deepEqual(lines.filter((l) => l.trim() && !l.startsWith('#')), []);
  });
});

describe("the README's configuration table", () => {
  it('has one row per variable the configuration reads', () => {
    const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 3));
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(rows, variablesTheLoaderReads());
  });
});
