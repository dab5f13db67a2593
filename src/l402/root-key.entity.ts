import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One minted L402: its root key, keyed like aperture's secret store by sha256(identifier) (hex), plus the
 * non-secret facts the admin API lists. `rootKey` is null once revoked: revocation erases the key.
 */
@Entity({ name: 'l402_root_keys' })
export class L402RootKey {
  /** sha256 of the 66-byte identifier, lower-case hex. */
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64 })
  idHash!: string;

  /** 32 random bytes; never logged or returned by any endpoint. Null after revocation. */
  @Column({ name: 'root_key', type: 'bytea', nullable: true })
  rootKey!: Buffer | null;

  /** The invoice's payment hash (hex): paying it yields the preimage that unlocks the token. */
  @Column({ name: 'payment_hash', type: 'char', length: 64 })
  paymentHash!: string;

  /** The identifier's random token id (hex): the name operators use (DELETE /admin/l402/:tokenId). */
  @Column({ name: 'token_id', type: 'char', length: 64, unique: true })
  tokenId!: string;

  @Column({ type: 'varchar', length: 64 })
  service!: string;

  @Column({ type: 'smallint', default: 0 })
  tier!: number;

  /** The minted caveat texts (no secrets), for admin views. */
  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  caveats!: string[];

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  /** The OAuth grant the token is bound to (`both` routes). */
  @Column({ name: 'oauth_grant', type: 'varchar', length: 128, nullable: true })
  oauthGrant!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
