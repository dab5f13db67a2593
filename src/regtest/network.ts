import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensurePrivateDirSync, writePrivateFileSync, type PrivateDirRules } from '../core/files/private-dir';
import { serveNode, type NodeServer } from './grpc.server';
import { AtomicJsonFile } from './json-file.store';
import { MacaroonVerifier, mintMacaroon, type MacaroonRole } from './lnd.macaroon';
import { NodeStore } from './node.store';
import { PaymentRouter, type PaymentHold } from './payment.router';
import { RegtestNode, type ChainState } from './regtest.node';
import type { RpcContext } from './rpc.types';
import { ensureTlsIdentity, type TlsIdentity } from './tls.cert';

export type { PaymentHold } from './payment.router';

/** Where one node of a running network is reached and which files hold its credentials (LND's layout). */
export interface RegtestNodeInfo {
  name: 'merchant' | 'payer';
  /** `<dataDir>/regtest/<name>`: tls.cert, tls.key, *.macaroon, socket and the node's state. */
  dir: string;
  /** `localhost:port` — the TLS certificate is valid for `localhost`. */
  socket: string;
  certPath: string;
  adminMacaroonPath: string;
  invoiceMacaroonPath: string;
  readonlyMacaroonPath: string;
  /** The node's identity public key (hex), the destination of its invoices. */
  pubkey: string;
}

/** A running simulated Lightning network: the merchant node satgate uses and a payer node that pays it. */
export interface RegtestNetwork {
  merchant: RegtestNodeInfo;
  payer: RegtestNodeInfo;
  /**
   * Test hook: the next payment to `paymentHash` stays in flight — the payer's TrackPaymentV2 shows it
   * IN_FLIGHT with one IN_FLIGHT HTLC, SendPaymentV2 does not finish, the merchant's invoice stays OPEN —
   * until `release('settle' | 'fail')`, so tests can see what a client does with a payment that has no
   * outcome yet (real networks have them: stuck HTLCs, hold invoices). `stop()` fails held payments back.
   */
  holdPayment(paymentHash: string): PaymentHold;
  /** Closes both gRPC listeners and waits until all state is on disk. */
  stop(): Promise<void>;
}

/** Options of startRegtestNetwork. */
export interface RegtestNetworkOptions {
  /** satgate's data dir; the network lives in `<dataDir>/regtest/`. */
  dataDir: string;
  /**
   * Loopback address to listen on (default 127.0.0.1). Each node listens on the port it had last time (kept
   * in `network.json`) when that port is free, so LND_SOCKET values printed earlier keep working across
   * restarts; on first start, or when the old port is taken, it gets an ephemeral one.
   */
  host?: string;
}

/** The payer's opening balance: it funded the payer->merchant channel with this many sats. */
export const PAYER_INITIAL_SATS = 10_000_000n;

interface NetworkFile {
  version: 1;
  blockHeight: number;
  blockHash: string;
  chanId: string;
  capacityMsat: string;
  /** The gRPC port each node listened on last time, reused on the next start when free. */
  ports?: Partial<Record<RegtestNodeInfo['name'], number>>;
}

const NODE_LOOKS = { merchant: { alias: 'satgate-merchant', color: '#f7931a' }, payer: { alias: 'satgate-payer', color: '#3399ff' } };
const MACAROON_FILES: Record<MacaroonRole, string> = {
  admin: 'admin.macaroon',
  invoice: 'invoice.macaroon',
  readonly: 'readonly.macaroon',
};

/** The network's directory holds node keys and admin macaroons: private, like DATA_DIR around it. */
const REGTEST_DIR_RULES: PrivateDirRules = {
  what: 'regtest network directory',
  why: 'it holds the nodes\' keys and admin macaroons',
  instead: 'set DATA_DIR to another directory',
};

/**
 * Starts (or resumes) the regtest network stored under `<dataDir>/regtest/`: two LND-compatible nodes, each
 * serving LND's gRPC API on a loopback port (its previous one when free) with its own TLS certificate and
 * macaroons, joined by one channel the payer funded. Everything (keys, invoices, payments, balances, indexes)
 * survives a restart on the same dataDir; credential files keep working across restarts.
 */
export async function startRegtestNetwork(opts: RegtestNetworkOptions): Promise<RegtestNetwork> {
  const host = opts.host ?? '127.0.0.1';
  const root = join(resolve(opts.dataDir), 'regtest');
  ensurePrivateDirSync(root, REGTEST_DIR_RULES);
  const releaseLock = acquireLock(root);
  const servers: NodeServer[] = [];
  const nodes: RegtestNode[] = [];
  try {
    const state = loadNetworkFile(root);
    const chain = chainOf(state.value);
    const ports: Partial<Record<RegtestNodeInfo['name'], number>> = {};
    const router = new PaymentRouter(() => nodes);
    const infos: RegtestNodeInfo[] = [];
    for (const name of ['merchant', 'payer'] as const) {
      const dir = join(root, name);
      const store = new NodeStore(dir);
      const initial = name === 'payer' ? PAYER_INITIAL_SATS * 1000n : 0n;
      const loaded = store.loadOrCreate(NODE_LOOKS[name].alias, NODE_LOOKS[name].color, initial);
      const node = new RegtestNode(name, store, loaded.node, loaded.invoices, loaded.payments, chain);
      nodes.push(node);
      writeMacaroons(dir, Buffer.from(loaded.node.macaroonRootKey, 'hex'));
      const tls = await ensureTlsIdentity(dir, NODE_LOOKS[name].alias, host);
      const server = await serveOnPreviousPort({ node, router }, tls, host, state.value.ports?.[name]);
      servers.push(server);
      ports[name] = server.port;
      const socket = `${isLoopbackName(host) ? 'localhost' : host}:${server.port}`;
      writePrivateFileSync(join(dir, 'socket'), `${socket}\n`);
      infos.push({
        name,
        dir,
        socket,
        certPath: join(dir, 'tls.cert'),
        adminMacaroonPath: join(dir, MACAROON_FILES.admin),
        invoiceMacaroonPath: join(dir, MACAROON_FILES.invoice),
        readonlyMacaroonPath: join(dir, MACAROON_FILES.readonly),
        pubkey: node.pubkey,
      });
    }
    if (state.value.ports?.merchant !== ports.merchant || state.value.ports?.payer !== ports.payer) {
      state.file.writeSync({ ...state.value, ports });
    }
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await router.releaseAll();
        await Promise.all(servers.map((s) => s.close()));
        await Promise.all(nodes.map((n) => n.stop()));
        for (const info of infos) rmSync(join(info.dir, 'socket'), { force: true });
        releaseLock();
      })());
    return { merchant: infos[0], payer: infos[1], holdPayment: (hash) => router.hold(hash.toLowerCase()), stop };
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all(nodes.map((n) => n.stop()));
    releaseLock();
    throw err;
  }
}

/** `network.json`: the chain and channel every node shares, created on first start, plus the last ports. */
function loadNetworkFile(root: string): { file: AtomicJsonFile<NetworkFile>; value: NetworkFile } {
  const file = new AtomicJsonFile<NetworkFile>(join(root, 'network.json'));
  let value = file.read();
  if (!value) {
    // Short channel id of the funding output: block 101, transaction 1, output 0.
    const chanId = ((101n << 40n) | (1n << 16n)).toString();
    value = {
      version: 1,
      blockHeight: 150,
      blockHash: randomBytes(32).toString('hex'),
      chanId,
      capacityMsat: (PAYER_INITIAL_SATS * 1000n).toString(),
    };
    file.writeSync(value);
  }
  return { file, value };
}

function chainOf(net: NetworkFile): ChainState {
  return {
    blockHeight: net.blockHeight,
    blockHash: net.blockHash,
    bestHeaderTimestamp: Math.floor(Date.now() / 1000),
    chanId: net.chanId,
    capacityMsat: net.capacityMsat,
  };
}

/** Listen on `previous` when it is still free (the printed LND_SOCKET stays valid), else on an ephemeral port. */
async function serveOnPreviousPort(ctx: RpcContext, tls: TlsIdentity, host: string, previous?: number): Promise<NodeServer> {
  if (previous && Number.isInteger(previous) && previous > 0 && previous < 65536) {
    try {
      return await serveNode(ctx, tls, host, previous);
    } catch {
      // taken by something else since: fall back to a fresh port
    }
  }
  return serveNode(ctx, tls, host, 0);
}

/**
 * LND bakes its macaroons once; we re-bake only files that are missing or no longer verify against the
 * node's root key, so copies handed out earlier keep working across restarts.
 */
function writeMacaroons(dir: string, rootKey: Buffer): void {
  const verifier = new MacaroonVerifier(rootKey);
  for (const role of Object.keys(MACAROON_FILES) as MacaroonRole[]) {
    const path = join(dir, MACAROON_FILES[role]);
    if (existsSync(path)) {
      try {
        verifier.verify(readFileSync(path).toString('hex'));
        continue;
      } catch {
        // stale (e.g. the node state was reset): bake a new one below
      }
    }
    writePrivateFileSync(path, mintMacaroon(rootKey, role));
  }
}

/** One running network per data dir: a second one would race the first on the same files. */
function acquireLock(root: string): () => void {
  const path = join(root, 'network.pid');
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8'));
    if (pid && isAlive(pid)) {
      throw new Error(`a regtest network is already running on ${root} (pid ${pid}); stop it first`);
    }
  }
  writePrivateFileSync(path, String(process.pid));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
  };
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isLoopbackName(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
