import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './invoice.entity';

/**
 * The last LND settle_index whose settlement was applied to `l402_invoices`. Persisted with each settlement
 * so a restart asks LND for exactly the settlements after it: nothing replayed, nothing missed.
 */
@Entity({ name: 'l402_settlement_cursor' })
export class SettlementCursor {
  /** Which stream the cursor belongs to (one per node; satgate has one: `invoices`). */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: string;

  @Column({ name: 'settle_index', type: 'bigint', transformer: bigintAsNumber })
  settleIndex!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
