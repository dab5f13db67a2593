import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { BUDGET_RENEWALS, MAX_BUDGET_SATS, type BudgetRenewal } from '../core/budget';

/**
 * Body of `PATCH /clients/:clientId/budget` (the user) and `PATCH /admin/grants/:id/budget` (the operator):
 * the new maximum in sats, or `null` for no limit (only where BUDGET_ALLOW_UNLIMITED), and optionally a new
 * renewal (the current one is kept otherwise).
 */
export class BudgetUpdateDto {
  @ApiProperty({ example: 5000, nullable: true, description: 'sats per period; null removes the limit (if the operator allows)' })
  @ValidateIf((_o, v) => v !== null)
  @IsInt({ message: `max_amount_sat must be a whole number of sats from 1 to ${MAX_BUDGET_SATS}, or null` })
  @Min(1, { message: `max_amount_sat must be a whole number of sats from 1 to ${MAX_BUDGET_SATS}, or null` })
  @Max(MAX_BUDGET_SATS, { message: `max_amount_sat must be a whole number of sats from 1 to ${MAX_BUDGET_SATS}, or null` })
  max_amount_sat!: number | null;

  @ApiPropertyOptional({ enum: BUDGET_RENEWALS })
  @IsOptional()
  @IsIn(BUDGET_RENEWALS as unknown as string[], { message: `budget_renewal must be one of ${BUDGET_RENEWALS.join(', ')}` })
  budget_renewal?: BudgetRenewal;
}
