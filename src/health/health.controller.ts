import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.decorators';
import { HealthService } from './health.service';

/** 200 when the database and Lightning node answer; 503 naming what is down. */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  async check(@Res() reply: FastifyReply): Promise<void> {
    const result = await this.health.check();
    void reply.status(result.down.length ? 503 : 200).header('Cache-Control', 'no-store').send(result);
  }
}
