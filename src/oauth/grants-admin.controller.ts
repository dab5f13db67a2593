import { Body, Controller, Delete, Get, NotFoundException, Param, ParseUUIDPipe, Patch, Query, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../access/access.decorators';
import { BudgetUpdateDto } from '../budgets/budget.dto';
import { BudgetsService, SPENDING_SCOPE } from '../budgets/budgets.service';
import type { ReservationRecord } from '../budgets/budgets.repository';
import type { BudgetView } from '../core/budget';
import { AdminPageDto, type AdminPage } from '../l402/l402-admin.dto';
import type { OAuthGrant } from './grant.entity';
import { GrantsRepository } from './grants.repository';
import { GrantsService } from './grants.service';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** A grant as the operator sees it: who, which app, what it may do, its budget and usage. Never a token. */
export interface AdminGrantView {
  id: string;
  client_id: string;
  user_id: string | null;
  username: string | null;
  grant_type: string;
  scopes: string[];
  status: 'active' | 'revoked' | 'expired';
  created_at: string;
  expires_at: string;
  ends_at: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
  /** Present for grants that have a budget (a payments:send grant from before budgets gets the default at its first payment). */
  budget?: BudgetView;
}

/** One payment reserved against a budget. */
export interface AdminReservationView {
  id: string;
  route: string;
  payment_hash: string | null;
  amount_sat: number;
  fee_reserve_sat: number;
  fee_sat: number | null;
  state: ReservationRecord['state'];
  outcome_unknown: boolean;
  note: string | null;
  created_at: string;
  resolved_at: string | null;
}

/**
 * `/admin/grants`: every authorization with its client, user, scopes, budget and usage; an operator sets,
 * lowers, raises or removes a budget (the next payment on every instance sees it: budgets are read from
 * Postgres on each payment, never cached) and revokes a grant.
 */
@ApiTags('admin')
@AdminOnly()
@Controller('admin/grants')
export class GrantsAdminController {
  constructor(
    private readonly grants: GrantsRepository,
    private readonly grantsService: GrantsService,
    private readonly budgets: BudgetsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Query() query: AdminPageDto): Promise<AdminPage<AdminGrantView>> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const page = await this.grants.page(limit, offset);
    const views = await this.budgets.views(page.grants.map((g) => g.id));
    return { items: page.grants.map((g) => this.view(g, views.get(g.id))), total: page.total, limit, offset };
  }

  /** One grant with its latest 50 reservations. */
  @Get(':id')
  async show(@Param('id', new ParseUUIDPipe()) id: string): Promise<AdminGrantView & { reservations: AdminReservationView[] }> {
    const grant = await this.found(id);
    const reservations = await this.budgets.reservationsOf(id);
    return { ...this.view(grant, await this.budgets.view(id)), reservations: reservations.map(reservationView) };
  }

  @Patch(':id/budget')
  async setBudget(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: BudgetUpdateDto): Promise<AdminGrantView> {
    const grant = await this.found(id);
    if (!grant.scopes.includes(SPENDING_SCOPE)) throw new NotFoundException('this grant cannot send payments (no payments:send scope)');
    const current = await this.budgets.view(id);
    const renewal = body.budget_renewal ?? current?.budget_renewal ?? this.budgets.policy.defaultLimit.renewal;
    const view = await this.budgets.setLimit(id, { maxAmountSat: body.max_amount_sat, renewal });
    return this.view(grant, view);
  }

  /** Revokes the grant and every token of it, on every instance. */
  @Delete(':id')
  async revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<AdminGrantView> {
    await this.found(id);
    await this.grantsService.revoke([id], 'admin');
    const grant = (await this.grants.findById(id))!;
    return this.view(grant, await this.budgets.view(id));
  }

  private async found(id: string): Promise<OAuthGrant> {
    const grant = await this.grants.findById(id);
    if (!grant) throw new NotFoundException('no grant with this id');
    return grant;
  }

  private view(g: OAuthGrant, budget: BudgetView | undefined): AdminGrantView {
    const now = this.clock.now().getTime();
    const ended = g.expiresAt.getTime() <= now || (g.endsAt !== null && g.endsAt.getTime() <= now);
    const out: AdminGrantView = {
      id: g.id,
      client_id: g.clientId,
      user_id: g.userId,
      username: g.userIdentifier,
      grant_type: g.grantType,
      scopes: g.scopes,
      status: g.revokedAt ? 'revoked' : ended ? 'expired' : 'active',
      created_at: g.createdAt.toISOString(),
      expires_at: g.expiresAt.toISOString(),
      ends_at: g.endsAt ? g.endsAt.toISOString() : null,
      revoked_at: g.revokedAt ? g.revokedAt.toISOString() : null,
      revoked_reason: g.revokedReason,
    };
    if (budget) out.budget = budget;
    return out;
  }
}

function reservationView(r: ReservationRecord): AdminReservationView {
  return {
    id: r.id,
    route: r.route,
    payment_hash: r.paymentHash,
    amount_sat: r.amountSat,
    fee_reserve_sat: r.feeReserveSat,
    fee_sat: r.feeSat,
    state: r.state,
    outcome_unknown: r.outcomeUnknown,
    note: r.note,
    created_at: r.createdAt.toISOString(),
    resolved_at: r.resolvedAt ? r.resolvedAt.toISOString() : null,
  };
}
