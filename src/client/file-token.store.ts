/**
 * Token store on disk: directory 0700, one JSON file 0600 per origin, every write atomic (temp file +
 * fsync + rename), because the file holds a bearer credential (macaroon + preimage) and because a
 * half-written pending record would defeat the never-pay-twice guarantee.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { originOf, type TokenRecord, type TokenStore } from './token.store';

const FILE_MODE = 0o600;

/** `SATGATE_STORE`, else `~/.satgate/tokens`: where tokens live unless told otherwise. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SATGATE_STORE ? resolve(env.SATGATE_STORE) : join(homedir(), '.satgate', 'tokens');
}

const DIR_MODE = 0o700;

/** `FileTokenStore` keeps each origin's token in `<dir>/<scheme>_<host>_<port>.json`. */
export class FileTokenStore implements TokenStore {
  private ready?: Promise<void>;

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
    const path = this.fileFor(origin);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return parseRecord(text, path);
  }

  async put(record: TokenRecord): Promise<void> {
    await this.ensureDir();
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
    try {
      await unlink(this.fileFor(origin));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await syncDir(this.dir);
    return true;
  }

  async list(): Promise<TokenRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records: TokenRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const path = join(this.dir, name);
      records.push(parseRecord(await readFile(path, 'utf8'), path));
    }
    return records;
  }

  /** Create the directory (and parents) 0700 and tighten it if it already existed wider. */
  private ensureDir(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: DIR_MODE });
      await chmod(this.dir, DIR_MODE);
    })().catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }
}

function parseRecord(text: string, path: string): TokenRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`token file ${path} is not valid JSON; delete it with "satgate tokens rm"`);
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
    throw new Error(`token file ${path} is not a satgate token record`);
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
