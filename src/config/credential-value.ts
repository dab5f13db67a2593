import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * LND_CERT / LND_MACAROON accept a file path, base64 or hex of the file's contents (as lncli users have
 * them). Returns base64, which is what the `lightning` package takes. A value that names no readable
 * file and is neither hex nor base64 is an error naming why.
 */
export function resolveCredential(value: string, cwd = process.cwd()): string {
  const trimmed = value.trim();
  const candidate = path.resolve(cwd, trimmed);
  if (looksLikePath(trimmed)) {
    if (!fs.existsSync(candidate)) throw new Error(`file not found: ${trimmed}`);
    return fs.readFileSync(candidate).toString('base64');
  }
  if (/^[0-9a-fA-F]+$/.test(trimmed) && trimmed.length % 2 === 0) {
    return Buffer.from(trimmed, 'hex').toString('base64');
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    return Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('base64');
  }
  throw new Error('expected a file path, or the file contents as hex or base64');
}

function looksLikePath(value: string): boolean {
  return value.startsWith('/') || value.startsWith('./') || value.startsWith('../') || value.startsWith('~') ||
    /\.(cert|crt|pem|macaroon)$/i.test(value);
}
