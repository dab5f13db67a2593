/**
 * A small L402 server for the client's integration tests: invoices come from the regtest MERCHANT node
 * (`lightning` createInvoice), tokens are V2 macaroons minted with the npm `macaroon` package around the
 * 66-byte identifier, and the challenge form is configurable (the 2026 `version="0", token=` form,
 * aperture's LSAT+L402 pair, LSAT only). Token lifetime runs on a clock the test advances, so expiry needs
 * no sleeping.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticatedLndGrpc, createInvoice } from 'lightning';
import type { AuthenticatedLnd } from 'lightning';
import { l402Identifier, macaroonLib } from './l402.spec-support';

/** Which `WWW-Authenticate` values the server sends. */
export type ChallengeForm = 'aperture' | 'l402-token' | 'lsat-only';

/** The merchant node's connection files, as the regtest network describes them. */
export interface MerchantNode {
  socket: string;
  certPath: string;
  invoiceMacaroonPath: string;
}

/** One request as the server judged it, for assertions. */
export interface SeenRequest {
  path: string;
  authScheme?: string;
  outcome: 'ok' | 'challenged';
  reason: string;
}

const SERVICE = 'test';

/** Test-only L402 server. */
export class TestL402Server {
  priceSats: number;
  form: ChallengeForm;
  lifetimeSeconds: number;
  /** Seconds added to the real clock; `advanceClock` moves it. */
  private clockOffset = 0;
  invoicesIssued = 0;
  readonly requests: SeenRequest[] = [];
  url = '';
  private readonly rootKeys = new Map<string, Buffer>();
  private readonly lnd: AuthenticatedLnd;
  private readonly server: Server;

  constructor(merchant: MerchantNode, opts: { priceSats?: number; form?: ChallengeForm; lifetimeSeconds?: number } = {}) {
    this.priceSats = opts.priceSats ?? 10;
    this.form = opts.form ?? 'aperture';
    this.lifetimeSeconds = opts.lifetimeSeconds ?? 3600;
    this.lnd = authenticatedLndGrpc({
      cert: readFileSync(merchant.certPath).toString('base64'),
      macaroon: readFileSync(merchant.invoiceMacaroonPath).toString('hex'),
      socket: merchant.socket,
    }).lnd;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        res.statusCode = 500;
        res.end(`test server error: ${err.message}`);
      });
    });
  }

  /** Listen on an ephemeral loopback port. */
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Close the listener, its connections and the gRPC clients. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
    for (const client of Object.values(this.lnd as Record<string, { close?: () => void }>)) client?.close?.();
  }

  /** Move the server's clock forward, e.g. past a token's lifetime. */
  advanceClock(seconds: number): void {
    this.clockOffset += seconds;
  }

  /** Forget every root key: all issued tokens become unknown (revocation). */
  revokeAll(): void {
    this.rootKeys.clear();
  }

  private nowSeconds(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    const path = req.url ?? '/';
    if (auth) {
      const verdict = this.verify(auth);
      if (verdict.ok) {
        this.requests.push({ path, authScheme: verdict.scheme, outcome: 'ok', reason: 'ok' });
        res.setHeader('content-type', 'application/json');
        const status = /^\/status\/(\d{3})$/.exec(path); // lets tests get an error after a paid flow
        if (status) res.statusCode = Number(status[1]);
        res.end(JSON.stringify({ ok: true, path, method: req.method }));
        return;
      }
      await this.challenge(res, path, verdict.reason, verdict.scheme);
      return;
    }
    await this.challenge(res, path, 'missing');
  }

  private async challenge(res: ServerResponse, path: string, reason: string, authScheme?: string): Promise<void> {
    this.requests.push({ path, authScheme, outcome: 'challenged', reason });
    const invoice = await createInvoice({ lnd: this.lnd, tokens: this.priceSats, description: `satgate test ${path}` });
    this.invoicesIssued++;
    const identifier = l402Identifier(invoice.id, randomBytes(32));
    const rootKey = randomBytes(32);
    this.rootKeys.set(sha256(identifier), rootKey);
    const mac = macaroonLib.newMacaroon({ identifier, location: 'lsat', rootKey, version: 2 });
    mac.addFirstPartyCaveat(`services=${SERVICE}:0`);
    mac.addFirstPartyCaveat(`${SERVICE}_valid_until=${this.nowSeconds() + this.lifetimeSeconds}`);
    const macaroon = Buffer.from(mac.exportBinary()).toString('base64');
    const values =
      this.form === 'l402-token'
        ? [`L402 version="0", token="${macaroon}", invoice="${invoice.request}"`]
        : this.form === 'lsat-only'
          ? [`LSAT macaroon="${macaroon}", invoice="${invoice.request}"`]
          : [`LSAT macaroon="${macaroon}", invoice="${invoice.request}"`, `L402 macaroon="${macaroon}", invoice="${invoice.request}"`];
    res.statusCode = 402;
    res.setHeader('cache-control', 'no-store');
    res.setHeader('www-authenticate', values);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'payment_required', reason, amount_sats: this.priceSats, invoice: invoice.request, macaroon }));
  }

  /** Verification in docs/protocol.md's order: preimage, root key, signature + caveats. */
  private verify(header: string): { ok: true; scheme: string } | { ok: false; reason: string; scheme?: string } {
    const m = /^(L402|LSAT)\s+([A-Za-z0-9+/_=-]+):([0-9a-fA-F]{64})$/i.exec(header.trim());
    if (!m) return { ok: false, reason: 'malformed' };
    const [, scheme, macText, preimage] = m;
    let mac;
    try {
      mac = macaroonLib.importMacaroon(Buffer.from(macText.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    } catch {
      return { ok: false, reason: 'malformed', scheme };
    }
    const identifier = Buffer.from(mac.identifier);
    const paymentHash = identifier.subarray(2, 34).toString('hex');
    if (sha256(Buffer.from(preimage, 'hex')) !== paymentHash) return { ok: false, reason: 'bad_preimage', scheme };
    const rootKey = this.rootKeys.get(sha256(identifier));
    if (!rootKey) return { ok: false, reason: 'unknown_token', scheme };
    let expired = false;
    try {
      mac.verify(rootKey, (caveat) => {
        const [cond, value] = [caveat.slice(0, caveat.indexOf('=')), caveat.slice(caveat.indexOf('=') + 1)];
        if (cond === 'services') return value.split(',').some((s) => s.startsWith(`${SERVICE}:`)) ? null : 'wrong service';
        if (cond === `${SERVICE}_valid_until`) {
          if (Number(value) >= this.nowSeconds()) return null;
          expired = true;
          return 'expired';
        }
        return 'unknown caveat';
      });
    } catch {
      return { ok: false, reason: expired ? 'expired' : 'bad_signature', scheme };
    }
    return { ok: true, scheme };
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
