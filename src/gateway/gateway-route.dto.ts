import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { toDef, type GatewayRouteEntity } from './gateway-route.entity';
import { MAX_ROUTE_LIFETIME_SECONDS, MAX_ROUTE_PRICE_SATS, MAX_ROUTE_TIER } from './route-rules';
import { ROUTE_METHODS, ROUTE_MODES, RouteMode, type GatewayRouteDef } from './route-table';

/**
 * Body of `POST /admin/routes`. Types are checked here (400 naming the field); the rules between fields
 * (pattern grammar, satgate's own paths, policy completeness) are checked by `checkRoute`.
 */
export class GatewayRouteCreateDto {
  @ApiProperty({ example: 'v1-quote', description: 'Unique name; also the default L402 service name' })
  @IsString()
  @MaxLength(64)
  name!: string;

  @ApiPropertyOptional({ example: ['GET'], description: 'Empty or absent: every method' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ROUTE_METHODS.length)
  @IsString({ each: true })
  methods?: string[];

  @ApiProperty({ example: '/invoices/:payment_hash' })
  @IsString()
  @MaxLength(512)
  path!: string;

  @ApiPropertyOptional({ example: 'api.example.com', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  host?: string | null;

  @ApiProperty({ example: 'http://127.0.0.1:3000', description: 'http(s) URL, or "demo:" for the built-in demo origin' })
  @IsString()
  @MaxLength(2048)
  origin!: string;

  @ApiPropertyOptional({ example: '/v2/invoices/:payment_hash', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  rewrite?: string | null;

  @ApiProperty({ enum: ROUTE_MODES })
  @IsIn(ROUTE_MODES)
  mode!: RouteMode;

  @ApiPropertyOptional({ example: ['invoices:read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  scopes?: string[];

  @ApiPropertyOptional({ example: 5, description: 'Satoshis per L402 (l402, both, either)', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ROUTE_PRICE_SATS)
  price?: number | null;

  @ApiPropertyOptional({ example: 3600, description: 'L402 lifetime in seconds (at most 10 years)', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ROUTE_LIFETIME_SECONDS)
  lifetime?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  service?: string | null;

  @ApiPropertyOptional({ nullable: true, description: 'L402 service tier, 0..255' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ROUTE_TIER)
  tier?: number | null;

  @ApiPropertyOptional({ example: ['read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsString({ each: true })
  capabilities?: string[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  capability?: string | null;

  @ApiPropertyOptional({ example: 5000, description: 'Origin timeout in ms (default 30000)', nullable: true })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  timeoutMs?: number | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'First match by position (ascending); default: after every route' })
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  position?: number;
}

/** Body of `PATCH /admin/routes/:id`: any subset; `null` clears an optional field. */
export class GatewayRouteUpdateDto extends PartialType(GatewayRouteCreateDto) {}

/** A route as the admin API shows it: its definition plus timestamps. */
export interface GatewayRouteView extends GatewayRouteDef {
  createdAt: string;
  updatedAt: string;
}

export function toView(e: GatewayRouteEntity): GatewayRouteView {
  return { ...toDef(e), createdAt: e.createdAt.toISOString(), updatedAt: e.updatedAt.toISOString() };
}
