import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signed-in browser. The cookie carries a random 256-bit session id; only its SHA-256 is stored, so
 * reading the table does not let anyone sign in as the account.
 */
@Entity({ name: 'login_sessions' })
export class LoginSession {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
