import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a grant came to be: a code exchange, a client_credentials call, or the demo seed. */
export type GrantOrigin = 'authorization_code' | 'client_credentials' | 'demo';

/**
 * One authorization a user (or, for client_credentials, the client itself) gave a client — and the token
 * *family*: every access and refresh token minted from it through any number of rotations carries its id,
 * so revoking the grant revokes them all (code reuse, refresh reuse, disconnecting the app, RFC 7009).
 * An L402 for a `both` route is bound to a grant id.
 */
@Entity({ name: 'oauth_grants' })
export class OAuthGrant {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200, nullable: true })
  userId!: string | null;

  @Column({ name: 'user_identifier', type: 'varchar', length: 200, nullable: true })
  userIdentifier!: string | null;

  @Column({ name: 'grant_type', type: 'varchar', length: 32 })
  grantType!: GrantOrigin;

  /** What the user granted; refresh tokens keep exactly these (RFC 6749 §6), access tokens may hold fewer. */
  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ name: 'redirect_uri', type: 'text', nullable: true })
  redirectUri!: string | null;

  /** Lifetime of every access token of this grant (`expires_in` asked at /authorize, capped by config). */
  @Column({ name: 'access_ttl_seconds', type: 'integer' })
  accessTtlSeconds!: number;

  /** When the last token of the family expires; pushed forward by each refresh. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /**
   * The grant's own end (`expires_at` asked at /oauth/authorize, as in Alby Hub's connect links): no token of
   * the family outlives it, and no refresh mints one after it. Null: the grant lasts as long as it is refreshed.
   */
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
