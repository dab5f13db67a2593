/**
 * Integration-test fixture: a regtest network in a temp dir, the payer as an `LndWallet` (real payments
 * through the `lightning` package; LND is never stubbed) and payment counters read from the payer node.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticatedLndGrpc, getFailedPayments, getPayments } from 'lightning';
import type { AuthenticatedLnd } from 'lightning';
import { startRegtestNetwork } from '../regtest/network';
import { LndWallet } from './lnd.wallet';

/** What an integration spec needs from the network. */
export interface RegtestFixture {
  network: Awaited<ReturnType<typeof startRegtestNetwork>>;
  /** The payer node as the client's wallet. */
  wallet: LndWallet;
  /** Temp dir for stores etc., removed by `stop`. */
  tmp: string;
  /** Settled payments made by the payer so far. */
  paidCount(): Promise<number>;
  /** Failed payment attempts recorded by the payer so far. */
  failedCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Start a fresh network; call `stop()` in `after()`. */
export async function startRegtestFixture(): Promise<RegtestFixture> {
  const tmp = mkdtempSync(join(tmpdir(), 'satgate-client-it-'));
  const network = await startRegtestNetwork({ dataDir: join(tmp, 'data') });
  const { payer } = network;
  const wallet = new LndWallet({ socket: payer.socket, certPath: payer.certPath, macaroonPath: payer.adminMacaroonPath });
  const lnd: AuthenticatedLnd = authenticatedLndGrpc({
    cert: readFileSync(payer.certPath).toString('base64'),
    macaroon: readFileSync(payer.adminMacaroonPath).toString('hex'),
    socket: payer.socket,
  }).lnd;
  return {
    network,
    wallet,
    tmp,
    paidCount: async () => (await getPayments({ lnd })).payments.length,
    failedCount: async () => (await getFailedPayments({ lnd })).payments.length,
    async stop() {
      await wallet.close();
      for (const client of Object.values(lnd as Record<string, { close?: () => void }>)) client?.close?.();
      await network.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
