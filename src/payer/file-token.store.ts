/**
 * Token store on disk: a private directory (created 0700, refused when an existing one is open to others;
 * see store-dir.guard.ts), one JSON file 0600 per origin, every write atomic (temp file + fsync + rename),
 * because the file holds a bearer credential (macaroon + preimage) and because a half-written pending record
 * would defeat the never-pay-twice guarantee.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensurePrivateDir, shellQuote } from './store-dir.guard';
import { originOf, type TokenRecord, type TokenStore } from './token.store';

const FILE_MODE = 0o600;

/** `SATGATE_STORE`, else `~/.satgate/tokens`: where tokens live unless told otherwise. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SATGATE_STORE ? resolve(env.SATGATE_STORE) : join(homedir(), '.satgate', 'tokens');
}

/** A `*.json` file in the store that is not a usable token record, and how to get rid of it. */
export interface UnreadableTokenFile {
  path: string;
  /** What is wrong with it (`not valid JSON`, `not a satgate token record`, a read error). */
  problem: string;
  /** A command that removes it, ready to paste into a shell. */
  removeCommand: string;
}

/** `FileTokenStore` keeps each origin's token in `<dir>/<scheme>_<host>_<port>.json`. */
export class FileTokenStore implements TokenStore {
  /** Set once the directory was found (or made) private; it is not re-checked on every call. */
  private checked = false;

  constructor(readonly dir: string) {}

  /** The file an origin's token lives in; readable (`http_localhost_8080.json`) and collision free. */
  fileFor(origin: string): string {
    const canonical = originOf(origin); // `<scheme>://<host>:<port>`, port always present
    const scheme = canonical.slice(0, canonical.indexOf(':'));
    const port = canonical.slice(canonical.lastIndexOf(':') + 1);
    const hostname = canonical.slice(scheme.length + 3, canonical.lastIndexOf(':'));
    const host = hostname.replace(/[^A-Za-z0-9.-]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
    return join(this.dir, `${scheme}_${host}_${port}.json`);
  }

  async get(origin: string): Promise<TokenRecord | undefined> {
    if (!(await this.checkDir(false))) return undefined;
    const path = this.fileFor(origin);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = parseRecord(text);
    if (typeof parsed === 'string') {
      throw new Error(`token file ${path} is ${parsed}; remove it with: ${this.removeCommand(originOf(origin))}`);
    }
    return parsed;
  }

  async put(record: TokenRecord): Promise<void> {
    await this.checkDir(true);
    const target = this.fileFor(record.origin);
    const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', FILE_MODE);
    try {
      await handle.chmod(FILE_MODE); // the umask may only remove bits, but be explicit
      await handle.writeFile(JSON.stringify(record, null, 2) + '\n', 'utf8');
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    await rename(temp, target);
    await syncDir(this.dir);
  }

  async delete(origin: string): Promise<boolean> {
    if (!(await this.checkDir(false))) return false;
    try {
      await unlink(this.fileFor(origin));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await syncDir(this.dir);
    return true;
  }

  /** The readable records; files that are not token records are skipped (`scan` reports them). */
  async list(): Promise<TokenRecord[]> {
    return (await this.scan()).records;
  }

  /**
   * Every record, plus the `*.json` files that could not be read as one: a single damaged file must not hide
   * the other tokens, and the user needs its path to deal with it.
   */
  async scan(): Promise<{ records: TokenRecord[]; unreadable: UnreadableTokenFile[] }> {
    const records: TokenRecord[] = [];
    const unreadable: UnreadableTokenFile[] = [];
    if (!(await this.checkDir(false))) return { records, unreadable };
    for (const name of (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort()) {
      const path = join(this.dir, name);
      let parsed: TokenRecord | string;
      try {
        parsed = parseRecord(await readFile(path, 'utf8'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed while we listed
        parsed = `unreadable (${(err as Error).message})`;
      }
      if (typeof parsed !== 'string') {
        records.push(parsed);
        continue;
      }
      const origin = this.originOfFile(name);
      unreadable.push({ path, problem: parsed, removeCommand: origin ? this.removeCommand(origin) : `rm ${shellQuote(path)}` });
    }
    return { records, unreadable };
  }

  /** `satgate tokens rm` spelled out for this store, so the printed command acts on the right directory. */
  private removeCommand(origin: string): string {
    return `satgate tokens rm ${origin} --store ${shellQuote(resolve(this.dir))}`;
  }

  /** The origin a file name stands for, when it is one `fileFor` produces (`http_host_80.json`). */
  private originOfFile(name: string): string | undefined {
    const m = /^(https?)_(.+)_(\d{1,5})\.json$/.exec(name);
    if (!m) return undefined;
    try {
      const host = m[2].replace(/%([0-9a-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      const origin = originOf(`${m[1]}://${host}:${m[3]}`);
      return this.fileFor(origin) === join(this.dir, name) ? origin : undefined;
    } catch {
      return undefined;
    }
  }

  /** Check the directory once (see store-dir.guard.ts), creating it when `create`; false = absent. */
  private async checkDir(create: boolean): Promise<boolean> {
    if (this.checked) return true;
    const exists = await ensurePrivateDir(this.dir, create);
    if (exists) this.checked = true;
    return exists;
  }
}

/** The record, or what is wrong with the text. */
function parseRecord(text: string): TokenRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const r = value as Partial<TokenRecord>;
  if (
    !r ||
    typeof r.origin !== 'string' ||
    (r.state !== 'pending' && r.state !== 'paid') ||
    typeof r.macaroon !== 'string' ||
    typeof r.paymentHash !== 'string' ||
    (r.state === 'paid' && typeof r.preimage !== 'string')
  ) {
    return 'not a satgate token record';
  }
  return r as TokenRecord;
}

/** Persist the rename itself; best effort (some filesystems refuse fsync on directories). */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* not supported here; the rename is still atomic */
  }
}
