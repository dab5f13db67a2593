import type { AppConfig } from '../config/config.types';
import { ensurePrivateDirSync, PrivateDirRules, tightenTree, UnsafeDirectoryError } from '../core/files/private-dir';

/** DATA_DIR exists but group or others can reach it, or it is not a directory of this user. */
export class UnsafeDataDirError extends UnsafeDirectoryError {}

const DATA_DIR_RULES: PrivateDirRules = {
  what: 'DATA_DIR',
  why: 'it holds the embedded database (with the L402 root keys), the generated secrets and the regtest node keys',
  instead: 'set DATA_DIR to another directory',
};

/**
 * Makes DATA_DIR safe to write before anything is written: created 0700 when missing; refused when it exists
 * open to group or others (whoever created it), with the command that fixes it; then every entry inside that
 * still has group or other bits (files an earlier version, or the embedded Postgres, wrote with the default
 * umask) is narrowed to its owner, so the whole tree is 0600 files in 0700 directories.
 */
export function prepareDataDir(dataDir: string): void {
  ensurePrivateDirSync(dataDir, DATA_DIR_RULES, UnsafeDataDirError);
  tightenTree(dataDir);
}

/** Embedded mode keeps the database and secrets under DATA_DIR; demo mode writes the demo origin's address there. */
export function usesDataDir(config: Pick<AppConfig, 'databaseUrl' | 'demo'>): boolean {
  return !config.databaseUrl || config.demo;
}
