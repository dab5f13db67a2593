import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { L402InvoiceState } from './invoice.entity';

/** Paging of the admin listings: newest first, `limit` (1..200, default 50) from `offset` (default 0). */
export class AdminPageDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
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
