import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/**
 * An optional field that may be left out but not sent as `null`. class-validator's `@IsOptional()` skips every
 * check for null too, which let `{"name": null}` through to the service (a 500 on `.trim()`); only `scopes`
 * gives null a meaning (restore the default), so every other field answers 400 naming itself.
 */
function OptionalNotNull(): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    IsDefined({ message: '$property must not be null (leave it out instead)' }),
  );
}

/** Trims text before validation, so `"   "` is empty to `@IsNotEmpty()` and stored names carry no stray spaces. */
const Trimmed = (): PropertyDecorator => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * `POST /admin/clients` — Alby's create-client body (`name, url, domain, imageUrl, public`) plus satgate's
 * optional extra `redirectUris` and allowed `scopes`. Types are checked here; URI and scope rules (which need
 * the scope registry and the redirect-URI policy) are checked by ClientsService, both answering 400 naming the field.
 */
export class ClientCreateDto {
  @ApiProperty({ example: 'Example app' })
  @Trimmed()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ description: "The app's landing page", example: 'https://app.example.com' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiProperty({ description: "The app's callback: its first redirect URI", example: 'https://app.example.com/callback' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  domain!: string;

  @ApiPropertyOptional({ example: 'https://app.example.com/logo.png' })
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  imageUrl?: string;

  @ApiPropertyOptional({ description: 'A public client (SPA, native app) gets no secret and must use PKCE' })
  @OptionalNotNull()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'Further redirect URIs, matched exactly' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Allowed scopes; default: every registered scope' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];
}

/**
 * `PUT /admin/clients/:clientId` — any subset of the create fields; `public` may be repeated but not changed.
 * A field left out keeps its value; `url` and `imageUrl` are cleared with `""`; only `scopes` accepts `null`.
 */
export class ClientUpdateDto {
  @ApiPropertyOptional()
  @Trimmed()
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  domain?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MaxLength(2000)
  imageUrl?: string;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @OptionalNotNull()
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
