import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Access tokens authenticate API calls; refresh tokens only mint new pairs at /oauth/token. */
export type TokenKind = 'access' | 'refresh';

/**
 * One opaque token (>= 256 random bits), stored by SHA-256 hash with its grant (family), client, user,
 * scopes and expiry. A refresh token is rotated on use (`used_at`); presenting a used one again revokes the
 * whole grant (RFC 9700 §4.14.2).
 */
@Entity({ name: 'oauth_tokens' })
export class OAuthToken {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: TokenKind;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'grant_id', type: 'uuid' })
  grantId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200, nullable: true })
  userId!: string | null;

  @Column({ name: 'user_identifier', type: 'varchar', length: 200, nullable: true })
  userIdentifier!: string | null;

  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
