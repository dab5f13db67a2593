/**
 * Pieces shared by `satgate fetch` and `satgate tokens`: output streams, the store location rule and the
 * exit codes the issue fixes (scripts branch on them, so they are constants, not literals).
 */
import { resolve } from 'node:path';
import { defaultStoreDir } from './file-token.store';

/** Where commands write; tests pass collectors, the binary passes process.stdout/stderr. */
export interface CommandIo {
  stdout: { write(chunk: string | Uint8Array): unknown };
  stderr: { write(chunk: string | Uint8Array): unknown };
}

/** Exit codes of `satgate fetch` / `satgate tokens`. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  overLimit: 3,
  paymentFailed: 4,
  httpError: 5,
} as const;

/** A bad command line; the command prints the message and its usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--store`, else `SATGATE_STORE`, else `~/.satgate/tokens`. */
export function storeDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ? resolve(flag) : defaultStoreDir(env);
}

/** Default streams: the process's own. */
export function defaultIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr };
}
