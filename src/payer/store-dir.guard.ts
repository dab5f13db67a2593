/**
 * The token store's directory rule: tokens are bearer credentials, so they live in a directory only their
 * owner can enter. A directory the store creates is made 0700; a directory that already exists is *checked*,
 * never chmodded — `--store /tmp` must not strip /tmp's 1777, and silently narrowing a directory the user
 * chose could break whatever else lives there. An unsafe one is refused with the command that fixes it.
 */
import type { Stats } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const DIR_MODE = 0o700;

/** The store directory exists but others can reach it (or it is not a directory, or not ours). */
export class UnsafeStoreDirError extends Error {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`token store directory ${dir} ${detail}`);
    this.name = 'UnsafeStoreDirError';
  }
}

/**
 * Make sure `dir` is a private directory. Returns false when it does not exist and `create` is false
 * (reading an absent store is not an error); creates it — and any missing parents — 0700 otherwise.
 */
export async function ensurePrivateDir(dir: string, create: boolean): Promise<boolean> {
  const existing = await statIfExists(dir);
  if (existing) {
    assertPrivate(dir, existing);
    return true;
  }
  if (!create) return false;
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (first === undefined) {
    // Someone created it between our stat and mkdir: it is not ours to chmod, so check it instead.
    assertPrivate(dir, await stat(dir));
    return true;
  }
  // The umask may have removed bits from the mode we asked for; set it exactly, on what we created only.
  const top = resolve(first);
  for (let p = resolve(dir); ; p = dirname(p)) {
    await chmod(p, DIR_MODE);
    if (p === top || dirname(p) === p) break;
  }
  return true;
}

/** Quote a path for a POSIX shell, so a printed command can be pasted as is. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/.:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

async function statIfExists(dir: string): Promise<Stats | undefined> {
  try {
    return await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function assertPrivate(dir: string, st: Stats): void {
  if (!st.isDirectory()) throw new UnsafeStoreDirError(dir, 'exists but is not a directory; choose another with --store DIR or SATGATE_STORE');
  if (process.platform === 'win32') return; // POSIX modes do not describe Windows ACLs
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) {
    throw new UnsafeStoreDirError(
      dir,
      `belongs to another user (uid ${st.uid}); choose a directory of your own with --store DIR or SATGATE_STORE`,
    );
  }
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    throw new UnsafeStoreDirError(
      dir,
      `is accessible to group or others (mode ${mode}) and tokens are bearer credentials; ` +
        `run "chmod 700 ${shellQuote(dir)}" if that directory holds nothing else, ` +
        `or choose another with --store DIR or SATGATE_STORE`,
    );
  }
}
