import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../access/access.decorators';
import { PolicyEvaluator } from '../access/policy-evaluator';
import { HealthService } from './health.service';

/**
 * 200 when the database and Lightning node answer; 503 when one does not. Anyone gets the bare
 * `{"status"}`: the node's pubkey and alias, and raw error text (socket paths, host names), tell an attacker
 * which node and which infrastructure sit behind the service. With the admin token the answer names every
 * check and what is down.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly evaluator: PolicyEvaluator,
  ) {}

  @Public()
  @Get()
  async check(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.health.check();
    const body = this.evaluator.isAdmin(req) ? result : { status: result.status };
    void reply
      .status(result.down.length ? 503 : 200)
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Authorization')
      .send(body);
  }
}
