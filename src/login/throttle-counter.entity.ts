import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed sign-ins counted for one key (`account:<username>` or `ip:<address>`); see throttle.policy.ts. */
@Entity({ name: 'login_throttle' })
export class ThrottleCounterRow {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ type: 'integer' })
  failures!: number;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt!: Date;
}
