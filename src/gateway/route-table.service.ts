import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { SATGATE_RUNTIME } from '../config/runtime';
import type { SatgateRuntime } from '../config/runtime';
import { declaredRoutes } from '../access/route-walk';
import { logger } from '../common/logger';
import { DEFAULT_SERVICE } from '../l402/l402.constants';
import { InvalidationBus } from '../database/invalidation.bus';
import { toDef } from './gateway-route.entity';
import { GatewayRoutesRepository } from './gateway-routes.repository';
import { ReservedPaths } from './reserved-paths';
import { RouteTable } from './route-table';
import { PaidTerms, termsOfRequirement } from './service-terms';

/** InvalidationBus topic: any change to `gateway_routes` (the key is the route id, or `*`). */
export const ROUTES_TOPIC = 'gateway-routes';

/** Delay before retrying a failed reload; doubles on each further failure up to RELOAD_RETRY_MAX_MS. */
export const RELOAD_RETRY_MIN_MS = 250;
/** Longest wait between reload attempts while the database keeps failing. */
export const RELOAD_RETRY_MAX_MS = 30_000;

/**
 * Holds the compiled route table in memory so the hot path never queries the database, and rebuilds it when
 * the InvalidationBus says the table changed — here at once, on other instances within the bus's delay.
 * Rebuilds are coalesced: however many changes arrive during one load, one more load follows. The bus
 * delivers INVALIDATE_ALL (`*`) after it lost its LISTEN connection; any key reloads the whole table.
 * A failed reload keeps the previous table and is retried with backoff until one succeeds: the change that
 * triggered it will not be announced again, so waiting for the next change could serve a stale table forever.
 */
@Injectable()
export class RouteTableService implements OnModuleDestroy {
  private table: RouteTable;
  private reservedPaths: ReservedPaths = new ReservedPaths();
  private builtInTerms: PaidTerms[] = [];
  private loading: Promise<void> | undefined;
  private stale = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = RELOAD_RETRY_MIN_MS;
  private stopped = false;

  constructor(
    private readonly repository: GatewayRoutesRepository,
    private readonly bus: InvalidationBus,
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
    @Inject(SATGATE_RUNTIME) private readonly runtime: SatgateRuntime,
  ) {
    this.table = new RouteTable([], this.reservedPaths);
  }

  /** Called once by the gateway module at init: learn satgate's own paths, subscribe, then load. */
  async start(): Promise<void> {
    this.reservedPaths = new ReservedPaths(controllerFirstSegments(this.modules));
    this.builtInTerms = declaredRoutes(this.modules, this.reflector)
      .filter((r) => r.policy?.l402)
      .map((r) => termsOfRequirement(`${r.method} ${r.path}`, r.policy!.l402!, DEFAULT_SERVICE));
    this.bus.subscribe(ROUTES_TOPIC, () => void this.invalidate());
    await this.invalidate();
  }

  /** The current table (a new object after every reload; matching never sees a half-built table). */
  current(): RouteTable {
    return this.table;
  }

  reserved(): ReservedPaths {
    return this.reservedPaths;
  }

  /** The L402 terms of satgate's own paid controller routes (`@RequireL402`), which share service names with gateway routes. */
  builtInPaidTerms(): readonly PaidTerms[] {
    return this.builtInTerms;
  }

  /** Schedules a reload and resolves once a load that started after this call has finished. */
  invalidate(): Promise<void> {
    if (this.loading) {
      this.stale = true;
      return this.loading;
    }
    this.loading = this.loadLoop().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** Resolves when no reload is pending (after a publish, the reload its local delivery started). */
  settled(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /** Stops retrying (app shutdown). */
  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async loadLoop(): Promise<void> {
    do {
      this.stale = false;
      try {
        const rows = await this.repository.listInOrder();
        this.table = new RouteTable(rows.map(toDef), this.reservedPaths, this.runtime.demoOriginUrl);
        this.retryDelayMs = RELOAD_RETRY_MIN_MS;
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
      } catch (err) {
        // Keep serving the previous table, and try again later.
        logger.error({ err: (err as Error).message, retryInMs: this.retryDelayMs }, 'gateway route table reload failed');
        this.scheduleRetry();
      }
    } while (this.stale);
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, RELOAD_RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.invalidate();
    }, delay);
    // A pending retry must not keep a process alive that is otherwise done.
    this.retryTimer.unref?.();
  }
}

/** First path segment of every controller route in the app (controller prefix, or the handler's own path). */
function controllerFirstSegments(modules: ModulesContainer): string[] {
  const out = new Set<string>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const ctor = wrapper.metatype as Function | undefined;
      if (!ctor?.prototype) continue;
      const base = firstSegment(Reflect.getMetadata(PATH_METADATA, ctor));
      if (base) {
        out.add(base);
        continue;
      }
      for (const name of Object.getOwnPropertyNames(ctor.prototype)) {
        const handler = ctor.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const seg = firstSegment(Reflect.getMetadata(PATH_METADATA, handler));
        if (seg) out.add(seg);
      }
    }
  }
  return [...out];
}

function firstSegment(path: unknown): string | undefined {
  const paths = Array.isArray(path) ? path : [path];
  for (const p of paths) {
    if (typeof p !== 'string') continue;
    const seg = p.replace(/^\/+/, '').split('/')[0];
    if (seg && !seg.startsWith(':') && seg !== '*') return seg;
  }
  return undefined;
}
