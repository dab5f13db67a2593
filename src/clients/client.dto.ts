import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * `POST /admin/clients` — Alby's create-client body (`name, url, domain, imageUrl, public`) plus satgate's
 * optional extra `redirectUris` and allowed `scopes`. Types are checked here; URI and scope rules (which need
 * the scope registry and the redirect-URI policy) are checked by ClientsService, both answering 400 naming the field.
 */
export class ClientCreateDto {
  @ApiProperty({ example: 'Example app' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ description: "The app's landing page", example: 'https://app.example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiProperty({ description: "The app's callback: its first redirect URI", example: 'https://app.example.com/callback' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  domain!: string;

  @ApiPropertyOptional({ example: 'https://app.example.com/logo.png' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  imageUrl?: string;

  @ApiPropertyOptional({ description: 'A public client (SPA, native app) gets no secret and must use PKCE' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Further redirect URIs, matched exactly' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Allowed scopes; default: every registered scope' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];
}

/** `PUT /admin/clients/:clientId` — any subset of the create fields; `public` may be repeated but not changed. */
export class ClientUpdateDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  domain?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  imageUrl?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null restores the default (every scope)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[] | null;
}

/** What the admin API shows of a client. `clientSecret` appears only when one was just created or rotated. */
export interface ClientView {
  clientId: string;
  clientSecret?: string;
  name: string;
  imageUrl: string;
  url: string;
  domain: string;
  /** Every redirect URI the client may use, `domain` first. */
  redirectUris: string[];
  /** Effective allowed scopes. */
  scopes: string[];
  public: boolean;
  createdAt: string;
}
