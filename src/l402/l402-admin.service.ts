import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Clock } from '../core/l402';
import type { L402Invoice } from './invoice.entity';
import { InvoiceRepository } from './invoice.repository';
import type {
  AdminPage,
  L402InvoiceListDto,
  L402InvoiceView,
  L402RevocationView,
  L402TokenListDto,
  L402TokenView,
} from './l402-admin.dto';
import type { L402RootKey } from './root-key.entity';
import { RootKeyRepository } from './root-key.repository';
import { CachedRootKeyStore } from './root-key.store';
import { CLOCK } from '../common/clock.module';

const DEFAULT_LIMIT = 50;
const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** The operator's view of the paywall: list tokens and invoices, revoke a token. */
@Injectable()
export class L402AdminService {
  constructor(
    private readonly rootKeys: RootKeyRepository,
    private readonly invoices: InvoiceRepository,
    private readonly store: CachedRootKeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Erases the token's root key and records revoked-at, then drops it from every instance's cache, so its
   * next use anywhere answers 402 `revoked`. Repeating a revocation keeps the first time. 404 if unknown.
   */
  async revoke(tokenId: string): Promise<L402RevocationView> {
    const id = tokenId.toLowerCase();
    const revoked = await this.rootKeys.revoke(id, this.clock.now());
    if (!revoked) throw new NotFoundException({ error: 'not_found', error_description: 'no L402 token with this id' });
    await this.store.invalidate(revoked.idHash);
    return { token_id: id, revoked_at: revoked.revokedAt.toISOString() };
  }

  async listTokens(query: L402TokenListDto): Promise<AdminPage<L402TokenView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const revoked = query.status === undefined ? undefined : query.status === 'revoked';
    const { rows, total } = await this.rootKeys.list({ limit, offset, service: query.service, revoked });
    const invoices = new Map((await this.invoices.findByPaymentHashes(rows.map((r) => r.paymentHash))).map((i) => [i.paymentHash, i]));
    const now = this.clock.now();
    return { items: rows.map((r) => tokenView(r, invoices.get(r.paymentHash), now)), total, limit, offset };
  }

  async listInvoices(query: L402InvoiceListDto): Promise<AdminPage<L402InvoiceView>> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { rows, total } = await this.invoices.list({ limit, offset, service: query.service, state: query.state });
    return { items: rows.map(invoiceView), total, limit, offset };
  }
}

function tokenView(r: L402RootKey, invoice: L402Invoice | undefined, now: Date): L402TokenView {
  const expired = r.validUntil !== null && new Date(r.validUntil).getTime() <= now.getTime();
  return {
    token_id: r.tokenId,
    payment_hash: r.paymentHash,
    service: r.service,
    tier: r.tier,
    caveats: r.caveats,
    status: r.revokedAt ? 'revoked' : expired ? 'expired' : 'active',
    valid_until: iso(r.validUntil),
    oauth_grant: r.oauthGrant,
    created_at: iso(r.createdAt)!,
    revoked_at: iso(r.revokedAt),
    invoice: invoice ? { amount_sats: invoice.amountSats, state: invoice.state, settled_at: iso(invoice.settledAt) } : null,
  };
}

function invoiceView(i: L402Invoice): L402InvoiceView {
  return {
    payment_hash: i.paymentHash,
    amount_sats: i.amountSats,
    service: i.service,
    resource: i.resource,
    state: i.state,
    payment_request: i.paymentRequest,
    created_at: iso(i.createdAt)!,
    expires_at: iso(i.expiresAt)!,
    settled_at: iso(i.settledAt),
  };
}
