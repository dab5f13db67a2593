/**
 * The one rule for directories that hold secrets — satgate's DATA_DIR (embedded database with the L402 root
 * keys, generated secrets, regtest node keys) and the paying client's token store: only their owner may
 * enter them, and everything satgate writes inside is 0600 (directories 0700), whatever the umask.
 *
 * A directory created here is made 0700 (and any missing parents with it). A directory that already exists
 * is *checked*, never chmodded: `--store /tmp` must not strip /tmp's 1777, and silently narrowing a directory
 * the user chose could break whatever else lives there. An unsafe one is refused with the command that
 * fixes it. Inside a directory that passed, `tightenTree` removes group and other bits from what an earlier
 * version (or a library writing with the default umask) left behind.
 */
import type { Stats } from 'node:fs';
import * as fs from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** How a refusal names the directory and what to do instead, e.g. for the token store or DATA_DIR. */
export interface PrivateDirRules {
  /** The directory's role, starting the message: `token store directory`, `DATA_DIR`. */
  what: string;
  /** Why it must be private: `tokens are bearer credentials`. */
  why: string;
  /** The other way out: `choose another with --store DIR or SATGATE_STORE`. */
  instead: string;
}

/** The directory exists but others can reach it (or it is not a directory, or not ours). */
export class UnsafeDirectoryError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

type ErrorClass = new (dir: string, message: string) => UnsafeDirectoryError;

/** Why `st` (the stat of `dir`) is not a private directory of this user, or undefined when it is. */
function unsafeBecause(dir: string, st: Stats, rules: PrivateDirRules): string | undefined {
  if (!st.isDirectory()) return `exists but is not a directory; ${rules.instead}`;
  if (process.platform === 'win32') return undefined; // POSIX modes do not describe Windows ACLs
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `belongs to another user (uid ${st.uid}); ${rules.instead.replace(/^choose another/, 'choose a directory of your own')}`;
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    return (
      `is accessible to group or others (mode ${mode}) and ${rules.why}; ` +
      `run "chmod 700 ${shellQuote(dir)}" if that directory holds nothing else, or ${rules.instead}`
    );
  }
  return undefined;
}

function refuse(dir: string, st: Stats, rules: PrivateDirRules, error: ErrorClass): void {
  const reason = unsafeBecause(dir, st, rules);
  if (reason !== undefined) throw new error(dir, `${rules.what} ${dir} ${reason}`);
}

/**
 * Makes sure `dir` is a private directory (async, for the client). Returns false when it does not exist and
 * `create` is false (reading an absent store is not an error); creates it — and any missing parents — 0700.
 */
export async function ensurePrivateDir(dir: string, create: boolean, rules: PrivateDirRules, error: ErrorClass = UnsafeDirectoryError): Promise<boolean> {
  const existing = await stat(dir).catch(ifMissing);
  if (existing) {
    refuse(dir, existing, rules, error);
    return true;
  }
  if (!create) return false;
  const first = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) {
    // Someone created it between our stat and mkdir: it is not ours to chmod, so check it instead.
    refuse(dir, await stat(dir), rules, error);
    return true;
  }
  // The umask may have removed bits from the mode we asked for; set it exactly, on what we created only.
  for (const p of createdChain(dir, first)) await chmod(p, PRIVATE_DIR_MODE);
  return true;
}

/** The same rule, synchronously (server start); always creates a missing directory. */
export function ensurePrivateDirSync(dir: string, rules: PrivateDirRules, error: ErrorClass = UnsafeDirectoryError): void {
  const existing = statIfExistsSync(dir);
  if (existing) {
    refuse(dir, existing, rules, error);
    return;
  }
  const first = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) {
    refuse(dir, fs.statSync(dir), rules, error);
    return;
  }
  for (const p of createdChain(dir, first)) fs.chmodSync(p, PRIVATE_DIR_MODE);
}

/**
 * Creates `dir` 0700 if missing (and missing parents exactly 0700, whatever the umask); an existing one is
 * left as it is (DATA_DIR itself was checked by `ensurePrivateDirSync`, and `tightenTree` narrowed what is inside).
 */
export function makePrivateSubdirSync(dir: string): void {
  const first = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first !== undefined) for (const p of createdChain(dir, first)) fs.chmodSync(p, PRIVATE_DIR_MODE);
}

/** Writes a whole file 0600, also when it already existed with a wider mode (which `writeFileSync`'s mode would keep). */
export function writePrivateFileSync(path: string, data: string | Uint8Array, flag: 'w' | 'wx' = 'w'): void {
  const fd = fs.openSync(path, flag, PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Removes group and other permission bits from every entry under `root` (and `root` itself) that this user
 * owns; symbolic links are not followed. Returns how many entries were changed. Used at start on DATA_DIR,
 * after it passed `ensurePrivateDirSync`, so files an earlier version wrote 0644 become 0600.
 */
export function tightenTree(root: string): number {
  const uid = process.getuid?.();
  if (process.platform === 'win32') return 0;
  let changed = 0;
  const visit = (path: string): void => {
    let st: Stats;
    try {
      st = fs.lstatSync(path);
    } catch {
      return; // removed meanwhile
    }
    if (st.isSymbolicLink()) return;
    if ((uid === undefined || st.uid === uid) && (st.mode & 0o077) !== 0) {
      fs.chmodSync(path, st.mode & 0o7700);
      changed++;
    }
    if (st.isDirectory()) for (const name of fs.readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return changed;
}

/** Quote a path for a POSIX shell, so a printed command can be pasted as is. */
export function shellQuote(text: string): string {
  return /^[A-Za-z0-9_/.:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `dir` and each parent up to `first`, the top directory mkdir created. */
function createdChain(dir: string, first: string): string[] {
  const top = resolve(first);
  const out: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    out.push(p);
    if (p === top || dirname(p) === p) break;
  }
  return out;
}

function ifMissing(err: unknown): undefined {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw err;
}

function statIfExistsSync(dir: string): Stats | undefined {
  try {
    return fs.statSync(dir);
  } catch (err) {
    return ifMissing(err);
  }
}
