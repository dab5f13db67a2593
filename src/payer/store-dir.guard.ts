/**
 * The token store's directory rule: tokens are bearer credentials, so they live in a directory only their
 * owner can enter — the same rule as satgate's DATA_DIR (common/private-dir.ts): a directory the store
 * creates is made 0700, one that already exists is checked, never chmodded, and refused with the fix.
 */
import { ensurePrivateDir as ensure, PrivateDirRules, UnsafeDirectoryError } from '../core/files/private-dir';

export { shellQuote } from '../core/files/private-dir';

const STORE_RULES: PrivateDirRules = {
  what: 'token store directory',
  why: 'tokens are bearer credentials',
  instead: 'choose another with --store DIR or SATGATE_STORE',
};

/** The store directory exists but others can reach it (or it is not a directory, or not ours). */
export class UnsafeStoreDirError extends UnsafeDirectoryError {}

/**
 * Make sure `dir` is a private directory. Returns false when it does not exist and `create` is false
 * (reading an absent store is not an error); creates it — and any missing parents — 0700 otherwise.
 */
export function ensurePrivateDir(dir: string, create: boolean): Promise<boolean> {
  return ensure(dir, create, STORE_RULES, UnsafeStoreDirError);
}
