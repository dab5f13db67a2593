import * as path from 'node:path';
import type { LndCredentials } from '../config/config.types';
import { resolveCredential } from '../lightning/lnd-credentials';
import { startRegtestNetwork } from '../regtest/network';

/** The regtest network as the runtime uses it: merchant credentials through LND's normal config path. */
export interface EmbeddedLightning {
  /** `<dataDir>/regtest`: the nodes' directories (the payer's is what `satgate fetch --lnd-dir` takes). */
  dir: string;
  merchant: LndCredentials;
  stop(): Promise<void>;
}

/**
 * Starts the built-in regtest network (embedded mode without LND_*) and connects satgate to the merchant
 * node exactly as to a real LND: socket, `tls.cert` and a macaroon file read through the LND_CERT /
 * LND_MACAROON value parser. The admin macaroon is used because health reads GetInfo (info:read), which
 * LND's stock invoice.macaroon lacks; in production bake one with invoices:read/write and info:read.
 */
export async function startEmbeddedLightning(dataDir: string): Promise<EmbeddedLightning> {
  const network = await startRegtestNetwork({ dataDir });
  return {
    dir: path.dirname(network.merchant.dir),
    merchant: {
      socket: network.merchant.socket,
      cert: resolveCredential(network.merchant.certPath),
      macaroon: resolveCredential(network.merchant.adminMacaroonPath),
    },
    stop: () => network.stop(),
  };
}
