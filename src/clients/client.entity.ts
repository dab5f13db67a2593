import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A registered OAuth client (a third-party app). The secret is stored only as its SHA-256 (docs/architecture.md "Data": raw
 * secrets are returned once); a public client (SPA, native app) has none and must use PKCE.
 */
@Entity({ name: 'oauth_clients' })
export class OAuthClient {
  @PrimaryColumn({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  /** Lowercase hex SHA-256 of the secret; null for public clients. */
  @Column({ name: 'secret_hash', type: 'char', length: 64, nullable: true })
  secretHash!: string | null;

  @Column({ type: 'boolean', default: false })
  public!: boolean;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The app's landing page, shown to users. */
  @Column({ type: 'text', default: '' })
  url!: string;

  /** The app's callback: its first redirect URI (Alby's `domain`). */
  @Column({ type: 'text' })
  domain!: string;

  /** Further redirect URIs besides `domain`, each matched exactly. */
  @Column({ name: 'redirect_uris', type: 'jsonb', default: () => "'[]'::jsonb" })
  redirectUris!: string[];

  @Column({ name: 'image_url', type: 'text', default: '' })
  imageUrl!: string;

  /** Scopes the client may ask for; null means every scope the deployment knows (including ones added later). */
  @Column({ type: 'jsonb', nullable: true })
  scopes!: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
