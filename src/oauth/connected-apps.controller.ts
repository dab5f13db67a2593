import { Body, Controller, Delete, Get, Param, Patch, Req } from '@nestjs/common';
import { BudgetUpdateDto } from '../budgets/budget.dto';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { ResourceOwnerResolver } from '../users/resource-owner.resolver';
import { type ConnectedApp, GrantsService } from './grants.service';

/**
 * The user's connected apps (Alby's `/clients`). Authenticated by the *user* JWT, which the access guard does
 * not know (it checks OAuth access tokens), hence `@Public()` with the ResourceOwnerResolver as the check:
 * no credential -> 401 Bearer challenge, a bad one -> 401 invalid_token.
 */
@ApiTags('users')
@Public()
@Controller('clients')
export class ConnectedAppsController {
  constructor(
    private readonly owners: ResourceOwnerResolver,
    private readonly grants: GrantsService,
  ) {}

  @Get()
  async list(@Req() req: FastifyRequest): Promise<ConnectedApp[]> {
    return this.grants.connectedApps(await this.owners.require(req));
  }

  /**
   * Changes the spending budget of the user's grants to this app (their own money: raising is allowed too);
   * `null` removes the limit where the operator allows it. 404 when the app cannot send payments for them.
   */
  @Patch(':clientId/budget')
  async setBudget(@Req() req: FastifyRequest, @Param('clientId') clientId: string, @Body() body: BudgetUpdateDto): Promise<ConnectedApp> {
    return this.grants.changeAppBudget(await this.owners.require(req), clientId, body.max_amount_sat, body.budget_renewal);
  }

  /**
   * Revokes every grant the user gave this app (its tokens stop working on every instance) and drops the codes
   * it was issued but has not exchanged; 404 when there was neither.
   */
  @Delete(':clientId')
  async disconnect(@Req() req: FastifyRequest, @Param('clientId') clientId: string): Promise<{ clientId: string; revokedGrants: number }> {
    return this.grants.disconnect(await this.owners.require(req), clientId);
  }
}
