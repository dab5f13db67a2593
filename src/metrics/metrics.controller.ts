import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccessDenied } from '../access/access-denied';
import { Public } from '../access/access.decorators';
import { readCredential } from '../access/credentials';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { constantTimeEqual } from '../core/oauth/secrets';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint. Public like most exporters unless METRICS_TOKEN is set; then a scraper sends it
 * as a bearer token (Prometheus' `authorization: {credentials: ...}`), and anything else is a 401 (RFC 6750).
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  @Public()
  @Get()
  async render(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const required = this.config.metricsToken;
    if (required) {
      const credential = readCredential(req);
      if (credential.kind !== 'bearer' || !constantTimeEqual(credential.token, required)) {
        throw new AccessDenied(
          401,
          { error: 'unauthorized', error_description: 'the metrics token is required' },
          [['WWW-Authenticate', `Bearer realm="satgate-metrics"${credential.kind === 'none' ? '' : ', error="invalid_token"'}`]],
        );
      }
    }
    const text = await this.metrics.render();
    // Set only on success: a refusal is JSON like every other one.
    void reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return text;
  }
}
