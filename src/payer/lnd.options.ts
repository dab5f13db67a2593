/**
 * Turns the CLI's LND flags into an `LndConnection`. Two directory layouts are understood: the regtest
 * network's node directories (`tls.cert`, `admin.macaroon`, `socket` side by side) and a real LND data
 * directory (`tls.cert` + `data/chain/bitcoin/<network>/admin.macaroon`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './cli.support';
import type { LndConnection } from './lnd.wallet';

/** LND's own default gRPC listener. */
export const DEFAULT_LND_SOCKET = 'localhost:10009';

/** The LND-related flags as parsed from the command line. */
export interface LndFlags {
  lndDir?: string;
  lndSocket?: string;
  lndCert?: string;
  lndMacaroon?: string;
}

/**
 * Resolve the flags; `undefined` when none was given (fine as long as nothing needs paying). Explicit
 * `--lnd-socket/--lnd-cert/--lnd-macaroon` override what a directory would provide.
 */
export function resolveLndConnection(flags: LndFlags): LndConnection | undefined {
  const { lndDir, lndSocket, lndCert, lndMacaroon } = flags;
  if (!lndDir && !lndSocket && !lndCert && !lndMacaroon) return undefined;
  if (!lndDir) {
    if (!lndCert || !lndMacaroon) {
      throw new UsageError('--lnd-socket needs --lnd-cert and --lnd-macaroon (or use --lnd-dir)');
    }
    return { socket: lndSocket ?? DEFAULT_LND_SOCKET, certPath: resolve(lndCert), macaroonPath: resolve(lndMacaroon) };
  }
  const dir = resolve(lndDir);
  if (!existsSync(dir)) throw new UsageError(`--lnd-dir ${dir} does not exist`);
  const certPath = lndCert ? resolve(lndCert) : join(dir, 'tls.cert');
  if (existsSync(join(dir, 'admin.macaroon'))) {
    return {
      socket: lndSocket ?? socketFromFile(join(dir, 'socket')) ?? DEFAULT_LND_SOCKET,
      certPath,
      macaroonPath: lndMacaroon ? resolve(lndMacaroon) : join(dir, 'admin.macaroon'),
    };
  }
  return {
    socket: lndSocket ?? DEFAULT_LND_SOCKET,
    certPath,
    macaroonPath: lndMacaroon ? resolve(lndMacaroon) : dataDirMacaroon(dir),
  };
}

function socketFromFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text || undefined;
}

/** `data/chain/bitcoin/<network>/admin.macaroon`; ambiguous when the node ran on several networks. */
function dataDirMacaroon(dir: string): string {
  const chainDir = join(dir, 'data', 'chain', 'bitcoin');
  const networks = existsSync(chainDir)
    ? readdirSync(chainDir).filter((n) => existsSync(join(chainDir, n, 'admin.macaroon')))
    : [];
  if (networks.length === 1) return join(chainDir, networks[0], 'admin.macaroon');
  if (networks.length === 0) {
    throw new UsageError(
      `--lnd-dir ${dir} holds neither admin.macaroon nor data/chain/bitcoin/<network>/admin.macaroon`,
    );
  }
  throw new UsageError(
    `--lnd-dir ${dir} has macaroons for several networks (${networks.sort().join(', ')}); pick one with --lnd-macaroon`,
  );
}
