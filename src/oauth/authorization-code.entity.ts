import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BudgetLimit } from '../core/budget';

/**
 * An issued authorization code (RFC 6749 §4.1.2), stored by hash. Single use: `consumed_at` is set in the same
 * transaction that creates the grant, and `grant_id` lets a second use find and revoke what the first minted.
 */
@Entity({ name: 'oauth_authorization_codes' })
export class OAuthAuthorizationCode {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'code_hash', type: 'char', length: 64 })
  codeHash!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 200 })
  userId!: string;

  @Column({ name: 'user_identifier', type: 'varchar', length: 200, nullable: true })
  userIdentifier!: string | null;

  @Column({ name: 'redirect_uri', type: 'text' })
  redirectUri!: string;

  /** The authorization request named the redirect URI, so the token request must repeat it (RFC 6749 §4.1.3). */
  @Column({ name: 'redirect_uri_explicit', type: 'boolean' })
  redirectUriExplicit!: boolean;

  @Column({ type: 'jsonb' })
  scopes!: string[];

  @Column({ name: 'code_challenge', type: 'varchar', length: 128, nullable: true })
  codeChallenge!: string | null;

  @Column({ name: 'code_challenge_method', type: 'varchar', length: 8, nullable: true })
  codeChallengeMethod!: string | null;

  @Column({ name: 'access_ttl_seconds', type: 'integer' })
  accessTtlSeconds!: number;

  /** The spending budget the user approved (grants holding `payments:send`), carried to the grant. */
  @Column({ type: 'jsonb', nullable: true })
  budget!: BudgetLimit | null;

  /** The grant's own end, when the app asked for one (`expires_at`). */
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @Column({ name: 'grant_id', type: 'uuid', nullable: true })
  grantId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
