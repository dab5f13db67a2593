import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireL402 } from '../access/access.decorators';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import type { Principal } from '../access/principal';

/** What the demo route's price and token lifetime are; the banner quotes them. */
export const DEMO_PAID_REQUIREMENT = { price: 10, lifetime: 3600, service: 'demo' } as const;

/** A paid resource to try the paywall with (the banner's curl steps): 10 sats for an hour of access. */
@ApiTags('demo')
@Controller('demo')
export class DemoPaidController {
  @Get('paid')
  @RequireL402({ ...DEMO_PAID_REQUIREMENT })
  paid(@CurrentPrincipal() principal: Principal): { message: string; service: string; token_id: string } {
    return { message: 'paid content: your L402 works', service: principal.l402!.service, token_id: principal.l402!.tokenId };
  }
}
