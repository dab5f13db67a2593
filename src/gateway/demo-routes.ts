import { Inject, Injectable } from '@nestjs/common';
import { BannerService } from '../common/banner.service';
import { SATGATE_RUNTIME } from '../config/runtime';
import type { SatgateRuntime } from '../config/runtime';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { logger } from '../common/logger';
import { ALBY_ROUTE_SCOPES } from '../core/oauth/scope-registry';
import { GatewayRouteFields, GatewayRoutesRepository } from './gateway-routes.repository';
import { DEMO_ORIGIN } from './route-table';

type DemoRoute = Pick<GatewayRouteFields, 'name' | 'methods' | 'path' | 'mode'> & Partial<GatewayRouteFields>;

/** Alby's production table (docs/protocol.md, "Scopes of Alby's wallet API") as gateway routes: oauth, one scope each. */
function albyRoutes(): DemoRoute[] {
  return ALBY_ROUTE_SCOPES.map((r) => ({
    name: `alby-${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, '$1').replace(/[^a-z0-9]+/gi, '-').replace(/-+$/, '')}`,
    methods: [r.method],
    path: r.path.replace(/\{(\w+)\}/g, ':$1'),
    mode: 'oauth' as const,
    scopes: [r.scope],
  }));
}

/** The demo's own routes: one per policy mode, plus server-sent events and a WebSocket. */
const V1_ROUTES: DemoRoute[] = [
  { name: 'v1-quote', methods: ['GET'], path: '/v1/quote', mode: 'l402', price: 5 },
  { name: 'v1-reports', methods: ['POST'], path: '/v1/reports', mode: 'both', scopes: ['reports:write'], price: 50 },
  { name: 'v1-data', methods: ['GET'], path: '/v1/data', mode: 'either', scopes: ['data:read'], price: 2 },
  { name: 'v1-stream', methods: ['GET'], path: '/v1/stream', mode: 'oauth', scopes: ['invoices:read'] },
  { name: 'v1-ws', methods: ['GET'], path: '/v1/ws', mode: 'oauth', scopes: ['invoices:read'] },
];

/** Every route demo mode seeds, in table order, pointing at the built-in demo origin. */
export function demoRoutes(): GatewayRouteFields[] {
  return [...albyRoutes(), ...V1_ROUTES].map((r, i) => ({
    host: null,
    origin: DEMO_ORIGIN,
    rewrite: null,
    scopes: [],
    price: null,
    lifetime: null,
    service: r.price ? r.name : null,
    tier: null,
    capabilities: [],
    capability: null,
    timeoutMs: null,
    enabled: true,
    position: 100 + i * 10,
    ...r,
  }));
}

/**
 * Demo mode: seeds the demo routes (idempotent — a route whose name exists is left as the operator made it;
 * the origin is the symbolic `demo:` so it follows the demo origin's port across restarts) and adds the
 * banner lines, one curl per policy mode.
 */
@Injectable()
export class DemoRoutesSeeder {
  constructor(
    private readonly repository: GatewayRoutesRepository,
    private readonly banner: BannerService,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @Inject(SATGATE_RUNTIME) private readonly runtime: SatgateRuntime,
  ) {}

  async seedIfDemo(): Promise<void> {
    if (!this.config.demo) return;
    const added = await this.repository.insertMissing(demoRoutes());
    if (added) logger.info({ added }, 'demo gateway routes seeded');
    this.banner.add(60, () => this.bannerSection());
  }

  private bannerSection(): { title: string; lines: string[] } {
    const url = this.config.publicUrl;
    const ws = url.replace(/^http/, 'ws');
    return {
      title: `Gateway: routes in front of the demo origin ${this.runtime.demoOriginUrl ?? '(not running)'}   (list: GET /admin/routes)`,
      lines: [
        'export ACCESS_TOKEN=<the OAuth2 demo access token above>',
        `oauth   curl -H "Authorization: Bearer $ACCESS_TOKEN" ${url}/balance`,
        `l402    curl -i ${url}/v1/quote    # 5 sats: pay the invoice (satgate regtest pay), retry with -H "Authorization: L402 <macaroon>:<preimage>"`,
        `both    curl -i -X POST -H "Authorization: Bearer $ACCESS_TOKEN" ${url}/v1/reports    # reports:write + 50 sats; retry with the L402 alone`,
        `either  curl -i ${url}/v1/data    # a Bearer with data:read, or an L402 for 2 sats`,
        `sse     curl -N -H "Authorization: Bearer $ACCESS_TOKEN" ${url}/v1/stream`,
        `ws      websocat -H "Authorization: Bearer $ACCESS_TOKEN" ${ws}/v1/ws`,
      ],
    };
  }
}
