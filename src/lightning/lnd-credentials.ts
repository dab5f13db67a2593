import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `authenticatedLndGrpc` needs to reach one LND node. */
export interface LndCredentials {
  /** `host:port` of LND's gRPC listener. */
  socket: string;
  /** base64 of the whole tls.cert file (PEM text). */
  cert: string;
  /** base64 of the macaroon file. */
  macaroon: string;
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Interprets an LND_CERT / LND_MACAROON value and returns base64 of the credential's bytes, the form the
 * `lightning` package takes. Operators paste these in three ways, all accepted:
 * - a path to the file LND wrote (tls.cert PEM, binary *.macaroon; `~/` expanded);
 * - the file's bytes in hex (`lncli`/`xxd -p` style, what LND's REST docs use for macaroons);
 * - the file's bytes in base64 (standard or URL-safe, padded or not), or a pasted PEM block.
 * Throws (without echoing the value, which is a secret) when it is none of these.
 */
export function resolveCredential(value: string): string {
  const v = value.trim();
  if (!v) throw new Error('LND credential is empty');
  const path = v.startsWith('~/') ? join(homedir(), v.slice(2)) : v;
  if (existsSync(path) && statSync(path).isFile()) return fileAsBase64(readFileSync(path));
  if (/^(\/|\.\.?\/|~\/)/.test(v)) throw new Error(`LND credential file not found: ${v}`);
  if (v.startsWith('-----BEGIN')) return Buffer.from(`${v}\n`).toString('base64');
  if (HEX.test(v)) return Buffer.from(v, 'hex').toString('base64');
  const compact = v.replace(/\s+/g, '');
  if (BASE64.test(compact)) {
    const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length > 0) return bytes.toString('base64');
  }
  throw new Error('LND credential is neither an existing file path nor hex nor base64');
}

/** A credential file's content: binary as is; a file holding hex text (some tools export that) decoded. */
function fileAsBase64(bytes: Buffer): string {
  const text = bytes.toString('latin1').trim();
  if (text.length >= 2 && HEX.test(text)) return Buffer.from(text, 'hex').toString('base64');
  return bytes.toString('base64');
}

/** Which of the node's macaroons to use. */
export type MacaroonFile = 'admin' | 'invoice' | 'readonly';

/**
 * Reads a regtest node directory (`<dataDir>/regtest/<merchant|payer>`): its `socket`, `tls.cert` and
 * `<role>.macaroon`. The socket file exists only while the network runs, so a missing one says so.
 */
export function readNodeDir(dir: string, macaroon: MacaroonFile = 'admin'): LndCredentials {
  const socketPath = join(dir, 'socket');
  if (!existsSync(socketPath)) {
    throw new Error(`no socket file in ${dir}: is the regtest network running? (npm run regtest)`);
  }
  return {
    socket: readFileSync(socketPath, 'utf8').trim(),
    cert: readFileSync(join(dir, 'tls.cert')).toString('base64'),
    macaroon: readFileSync(join(dir, `${macaroon}.macaroon`)).toString('base64'),
  };
}
