import * as fs from 'node:fs';
import * as path from 'node:path';
import { makePrivateSubdirSync, writePrivateFileSync } from '../core/files/private-dir';

/**
 * One satgate per data dir: the embedded Postgres and regtest state are single-writer. A stale lock left by
 * a killed process (its pid no longer alive) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  makePrivateSubdirSync(dataDir);
  const file = path.join(dataDir, 'satgate.pid');
  // Create exclusively ('wx'), so two starts racing for the same dir cannot both win.
  for (let attempt = 0; ; attempt += 1) {
    try {
      writePrivateFileSync(file, `${process.pid}\n`, 'wx');
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) {
        throw new Error(`DATA_DIR ${dataDir} is in use by another satgate (${file}); stop it or set DATA_DIR`, {
          cause: err,
        });
      }
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(`DATA_DIR ${dataDir} is in use by another satgate (pid ${pid}); stop it or set DATA_DIR`, {
          cause: err,
        });
      }
      fs.unlinkSync(file); // stale: its process is gone
    }
  }
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
