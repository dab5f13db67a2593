import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Atomic JSON writers for many files (one per invoice/payment), serialised per path so an older value can
 * never overwrite a newer one; writers are dropped once idle so memory does not grow with the file count.
 */
export class JsonDirectoryWriter {
  private readonly writers = new Map<string, AtomicJsonFile<unknown>>();

  /** Atomically writes `value` to `path`; resolves when it (or a newer value) is on disk. */
  async write(path: string, value: unknown): Promise<void> {
    let writer = this.writers.get(path);
    if (!writer) {
      writer = new AtomicJsonFile<unknown>(path);
      this.writers.set(path, writer);
    }
    try {
      await writer.write(value);
    } finally {
      if (writer.idle && this.writers.get(path) === writer) this.writers.delete(path);
    }
  }

  /** Resolves once every pending write has finished. */
  async flush(): Promise<void> {
    await Promise.all([...this.writers.values()].map((w) => w.flush()));
  }
}

/**
 * Writes a JSON file atomically (temp file + rename), so a crash or a concurrent reader never sees half a
 * file. Writes to one path are serialised and coalesced: while a write is in flight only the newest pending
 * value is kept, and every caller's promise resolves once a value at least as new as its own is on disk.
 */
export class AtomicJsonFile<T> {
  private inFlight: Promise<void> | null = null;
  private pending: { value: T; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | null =
    null;

  /** @param path target file; @param mode file mode (0o600 for files holding secrets). */
  constructor(
    readonly path: string,
    private readonly mode = 0o600,
  ) {}

  /** Reads and parses the file; `undefined` when it does not exist (first start). */
  read(): T | undefined {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Synchronous atomic write, for first-start initialisation before anything is served. */
  writeSync(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(value), { mode: this.mode });
    renameSync(tmp, this.path);
  }

  /** Schedules an atomic write of `value`; resolves when it (or a newer value) is on disk. */
  write(value: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending) {
        this.pending.value = value;
        this.pending.waiters.push({ resolve, reject });
      } else {
        this.pending = { value, waiters: [{ resolve, reject }] };
      }
      if (!this.inFlight) this.inFlight = this.drain();
    });
  }

  /** True when nothing is being written or waiting to be written. */
  get idle(): boolean {
    return !this.inFlight && !this.pending;
  }

  /** Resolves once every scheduled write has finished. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const { value, waiters } = this.pending;
      this.pending = null;
      try {
        await writeAtomic(this.path, JSON.stringify(value), this.mode);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err);
      }
    }
    this.inFlight = null;
  }
}

async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { mode });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
