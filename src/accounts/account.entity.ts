import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A local account: a resource owner who signs in on satgate's own page (for providers without another
 * identity system). Its identity towards OAuth grants and origins is `local:<id>` (see account.identity.ts).
 * Only a salted scrypt hash of the password is stored.
 */
@Entity({ name: 'local_accounts' })
export class LocalAccount {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Lowercase, unique; what the user types on the sign-in page. */
  @Column({ type: 'varchar', length: 64, unique: true })
  username!: string;

  /** PHC string `$scrypt$ln=..,r=..,p=..$salt$hash` (password.hasher.ts). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  /** Set when an administrator disabled the account; a disabled account cannot sign in. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz' })
  passwordChangedAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
