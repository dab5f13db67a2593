import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

import * as fs from 'node:fs';

/** The compiled tree this test runs from (dist/ for npm test, or a contributor's own outDir). */
export const BUILD_ROOT = path.resolve(__dirname, '..', '..');
/** The repository root (where package.json is). */
export const ROOT = findUp(BUILD_ROOT, 'package.json');
export const MAIN_JS = path.join(BUILD_ROOT, 'src', 'main.js');
/** Runs the CLI from the same compiled tree: `node CLI_JS <command> ...`. */
export const CLI_JS = path.join(BUILD_ROOT, 'src', 'cli', 'bin.js');

function findUp(dir: string, file: string): string {
  let d = dir;
  while (!fs.existsSync(path.join(d, file))) {
    const parent = path.dirname(d);
    if (parent === d) throw new Error(`${file} not found above ${dir}`);
    d = parent;
  }
  return d;
}

/** A child process with its output collected, for tests of the two commands and the CLI. */
export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves when the output matches, rejects after the timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnNode(args: string[], env: Record<string, string | undefined>, cwd = ROOT): Spawned {
  const cleanEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) cleanEnv[k] = v;
  const child = spawn(process.execPath, args, { cwd, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer): void => {
    out += d.toString();
    waiters.forEach((w) => w());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => out,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = out.match(pattern);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          }
          return Boolean(m);
        };
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${out}`)), timeoutMs);
        if (!check()) waiters.push(check);
        void exited.then(() => setTimeout(() => { if (!check()) { clearTimeout(timer); reject(new Error(`exited before ${pattern}; output:\n${out}`)); } }, 50));
      });
    },
  };
}
