/**
 * Shared fixture of the L402 end-to-end tests: a regtest network in a temp dir (satgate's merchant node,
 * and a payer), satgate started on the test database through the production start path with LND_* pointing
 * at the merchant, and small HTTP helpers that keep repeated header values apart (fetch would join them).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { authenticatedLndGrpc, getInvoice, getInvoices, type AuthenticatedLnd } from 'lightning';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { readNodeDir } from '../src/lightning/lnd-credentials';
import { LightningService } from '../src/lightning/lightning.service';
import { startRegtestNetwork, type RegtestNetwork } from '../src/regtest/network';
import { startTestApp, tempDir } from './support/app';
import { query } from './support/database';

/** A regtest network plus clients for both of its nodes. */
export interface L402Fixture {
  network: RegtestNetwork;
  /** satgate's data dir as `satgate regtest pay --data-dir` takes it (the network lives in `<it>/regtest`). */
  dataDir: string;
  /** LND_* for satgate: the merchant node, given as file paths (the way operators usually do). */
  lndEnv: Record<string, string>;
  /** The payer node through satgate's own Lightning client. */
  payer: LightningService;
  /** The merchant node, straight through the `lightning` package (to count invoices, read preimages). */
  merchant: AuthenticatedLnd;
  /** Starts satgate against the merchant node (extra env overrides). */
  startApp(env?: Record<string, string>): Promise<RunningSatgate>;
  /** Pays an invoice from the payer node; resolves to the preimage (hex). */
  pay(invoice: string): Promise<string>;
  /** How many invoices the merchant node holds. */
  nodeInvoiceCount(): Promise<number>;
  /** The preimage the merchant node generated for an invoice (what a leak would expose). */
  nodePreimage(paymentHash: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startL402Fixture(): Promise<L402Fixture> {
  const tmp = tempDir('satgate-l402-');
  const dataDir = path.join(tmp, 'data');
  const network = await startRegtestNetwork({ dataDir });
  const payer = new LightningService(readNodeDir(network.payer.dir));
  const merchantCreds = readNodeDir(network.merchant.dir);
  const merchant = authenticatedLndGrpc(merchantCreds).lnd;
  const apps: RunningSatgate[] = [];
  const lndEnv = {
    LND_SOCKET: network.merchant.socket,
    LND_CERT: network.merchant.certPath,
    LND_MACAROON: network.merchant.adminMacaroonPath,
  };
  return {
    network,
    dataDir,
    lndEnv,
    payer,
    merchant,
    async startApp(env = {}) {
      const app = await startTestApp({ ...lndEnv, DATA_DIR: path.join(tmp, `app-${apps.length}`), ...env });
      apps.push(app);
      return app;
    },
    async pay(invoice) {
      return (await payer.pay({ request: invoice, maxFeeSats: 10, timeoutSeconds: 30 })).preimage;
    },
    async nodeInvoiceCount() {
      return (await getInvoices({ lnd: merchant, limit: 10_000 })).invoices.length;
    },
    async nodePreimage(paymentHash) {
      return (await getInvoice({ lnd: merchant, id: paymentHash })).secret;
    },
    async stop() {
      for (const app of apps) await app.close().catch(() => undefined);
      payer.close();
      for (const client of Object.values(merchant as Record<string, { close?: () => void }>)) client?.close?.();
      await network.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A response with every header value kept separate. */
export interface RawResponse {
  status: number;
  /** Lower-case name -> values in order. */
  headers: Map<string, string[]>;
  body: any;
}

/** GET (or another method) with node:http, so repeated `WWW-Authenticate` values stay distinct. */
export function request(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const map = new Map<string, string[]>();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          map.set(name, [...(map.get(name) ?? []), res.rawHeaders[i + 1]]);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: map, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** `L402 <mac>:<preimage>` (or LSAT). */
export function l402Header(macaroonBase64: string, preimage: string, scheme = 'L402'): Record<string, string> {
  return { authorization: `${scheme} ${macaroonBase64}:${preimage}` };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function randomPreimage(): { preimage: Buffer; paymentHash: Buffer } {
  const preimage = randomBytes(32);
  return { preimage, paymentHash: createHash('sha256').update(preimage).digest() };
}

/** Inserts a root key as satgate's table stores it (for tokens minted outside satgate's issuer). */
export async function insertRootKey(row: {
  idHash: Buffer;
  rootKey: Buffer;
  paymentHash: Buffer;
  tokenId: Buffer;
  service: string;
}): Promise<void> {
  await query(
    'INSERT INTO l402_root_keys (id_hash, root_key, payment_hash, token_id, service) VALUES ($1, $2, $3, $4, $5)',
    [row.idHash.toString('hex'), row.rootKey, row.paymentHash.toString('hex'), row.tokenId.toString('hex'), row.service],
  );
}

/** Polls `check` (every 25 ms) until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
