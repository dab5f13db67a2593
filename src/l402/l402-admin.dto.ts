import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { L402InvoiceState } from './invoice.entity';

/** Highest `offset` of the admin listings: far beyond any real table, and well inside Postgres' bigint. */
export const MAX_PAGE_OFFSET = 1_000_000_000;

/**
 * Paging of the admin listings: newest first, `limit` (1..200, default 50) from `offset` (0..1e9, default 0).
 * Both bounded so a typo (or `offset=1e30`) is a 400 naming the field, never a query Postgres refuses.
 */
export class AdminPageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(200, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `offset must be a whole number from 0 to ${MAX_PAGE_OFFSET}` })
  @Min(0, { message: `offset must be a whole number from 0 to ${MAX_PAGE_OFFSET}` })
  @Max(MAX_PAGE_OFFSET, { message: `offset must be a whole number from 0 to ${MAX_PAGE_OFFSET}` })
  offset?: number;
}

/** `GET /admin/l402` filters. */
export class L402TokenListDto extends AdminPageDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  service?: string;

  /** `active` = not revoked (it may still have expired); `revoked` = revoked by an operator. */
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: 'active' | 'revoked';
}

/** `GET /admin/invoices` filters. */
export class L402InvoiceListDto extends AdminPageDto {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  service?: string;

  @IsOptional()
  @IsIn(['open', 'settled', 'canceled'])
  state?: L402InvoiceState;
}

/** `DELETE /admin/l402/:tokenId` path parameter: the identifier's token id, 64 hex digits. */
export class L402TokenIdParam {
  @Matches(/^[0-9a-fA-F]{64}$/, { message: 'tokenId must be 64 hex characters' })
  tokenId!: string;
}

/** One page of an admin listing. */
export interface AdminPage<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** An L402 as the admin API shows it: facts only, never the root key or the macaroon. */
export interface L402TokenView {
  token_id: string;
  payment_hash: string;
  service: string;
  tier: number;
  caveats: string[];
  status: 'active' | 'expired' | 'revoked';
  valid_until: string | null;
  oauth_grant: string | null;
  created_at: string;
  revoked_at: string | null;
  /** The challenge's invoice; null for a token whose invoice satgate did not issue (imported root key). */
  invoice: { amount_sats: number; state: L402InvoiceState; settled_at: string | null } | null;
}

/** An invoice as the admin API shows it (its transactions view). */
export interface L402InvoiceView {
  payment_hash: string;
  amount_sats: number;
  service: string;
  resource: string;
  state: L402InvoiceState;
  payment_request: string;
  created_at: string;
  expires_at: string;
  settled_at: string | null;
}

/** Answer of a revocation. */
export interface L402RevocationView {
  token_id: string;
  revoked_at: string;
}
