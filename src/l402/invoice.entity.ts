import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** Invoice states satgate records; LND's `accepted` (held) never happens for L402 invoices. */
export type L402InvoiceState = 'open' | 'settled' | 'canceled';

/** pg returns bigint as a string; amounts and settle indexes fit a JS number with room to spare. */
export const bigintAsNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/**
 * The invoice of one L402 challenge, kept current from LND's settlement stream: what the admin lists as
 * transactions, and what strict mode checks before accepting a token.
 */
@Entity({ name: 'l402_invoices' })
export class L402Invoice {
  @PrimaryColumn({ name: 'payment_hash', type: 'char', length: 64 })
  paymentHash!: string;

  /** The BOLT11 request (public: it was sent to the client in the 402). */
  @Column({ name: 'payment_request', type: 'text' })
  paymentRequest!: string;

  @Column({ name: 'amount_sats', type: 'bigint', transformer: bigintAsNumber })
  amountSats!: number;

  @Column({ type: 'varchar', length: 64 })
  service!: string;

  /** `METHOD /route/pattern` that issued the challenge (the route template, not the raw URL). */
  @Column({ type: 'varchar', length: 300, default: '' })
  resource!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  state!: L402InvoiceState;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  /** LND's settle_index of this invoice, once settled. */
  @Column({ name: 'settle_index', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  settleIndex!: number | null;
}
