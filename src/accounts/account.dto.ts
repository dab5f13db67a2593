import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LocalAccount } from './account.entity';
import { localUserId, normalizeUsername, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from './account.identity';

/** `POST /admin/accounts`. The password may be left out: satgate then generates one and returns it once. */
export class AccountCreateDto {
  @ApiProperty({ example: 'alice', description: '2–64 of a-z 0-9 . _ - (trimmed and lowercased; sign-in is case-insensitive)' })
  @Transform(({ value }) => (typeof value === 'string' ? normalizeUsername(value) : value))
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 2-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit' })
  username!: string;

  @ApiPropertyOptional({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `password must be at most ${PASSWORD_MAX_LENGTH} characters` })
  password?: string;
}

/** `POST /admin/accounts/:id/password`. Without a password satgate generates one and returns it once. */
export class AccountPasswordResetDto extends PickType(AccountCreateDto, ['password'] as const) {}

/** What the admin API shows of an account; never the hash. `password` appears only when satgate generated it. */
export interface AccountView {
  id: string;
  /** The id OAuth grants and origins see for this account (`local:<id>`). */
  userId: string;
  username: string;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  passwordChangedAt: string;
  password?: string;
}

/** The admin view of a row. */
export function toAccountView(account: LocalAccount, generatedPassword?: string): AccountView {
  const view: AccountView = {
    id: account.id,
    userId: localUserId(account.id),
    username: account.username,
    disabled: account.disabledAt !== null,
    disabledAt: account.disabledAt?.toISOString() ?? null,
    createdAt: account.createdAt.toISOString(),
    passwordChangedAt: account.passwordChangedAt.toISOString(),
  };
  if (generatedPassword !== undefined) view.password = generatedPassword;
  return view;
}
