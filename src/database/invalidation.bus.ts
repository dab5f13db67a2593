import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SATGATE_RUNTIME } from '../config/runtime';
import type { SatgateRuntime } from '../config/runtime';
import { logger } from '../common/logger';

const PG_CHANNEL = 'satgate_invalidation';
const RECONNECT_MIN_MS = 250;
/** Short: while disconnected, every cached credential older than the bound below costs a query. */
const RECONNECT_MAX_MS = 2_000;

/**
 * The promise of the README ("Outages"): a revocation committed on any instance holds on every other one
 * within this long. With the listener up, NOTIFY delivers it in milliseconds; while it is down, no cached
 * credential is answered if the database confirmed it longer ago than this.
 */
export const REVOCATION_BOUND_MS = 1000;

/**
 * The key delivered to every handler when notifications may have been missed (the listening connection was
 * lost): drop everything cached for the topic.
 */
export const INVALIDATE_ALL = '*';

/** A cache entry to drop: `topic` names the cache (e.g. `oauth-grant`, `l402-root-key`), `key` the entry. */
export interface Invalidation {
  topic: string;
  key: string;
}

/**
 * Tells every instance sharing the database to drop a cached entry, so a revocation holds everywhere within
 * a second. On a real Postgres: NOTIFY through the ordinary pool (so a publish fails loudly when the database
 * is down) and LISTEN on one dedicated connection. When that connection drops, it reconnects with backoff and
 * then delivers INVALIDATE_ALL to every handler, because notifications sent meanwhile are lost; until then
 * caches re-check what they answer (`recheckAfterMs`).
 * The embedded Postgres does not carry notifications across connections, but embedded mode is a single
 * instance, so local delivery is all it needs. Local handlers always run before `publish` returns.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly handlers = new Map<string, Array<(key: string) => void>>();
  private listener?: Client;
  private connecting = false;
  private closed = false;
  private lostSinceConnect = false;
  private retryDelayMs = RECONNECT_MIN_MS;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(SATGATE_RUNTIME) private readonly runtime: SatgateRuntime,
    private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.runtime.embedded) return;
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.listener?.end().catch(() => undefined);
  }

  /** Registers a handler for one topic; it must treat INVALIDATE_ALL as "drop everything". */
  subscribe(topic: string, handler: (key: string) => void): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  /** Drops the entry here at once, and on every other instance via NOTIFY (call after the change commits). */
  async publish(topic: string, key: string): Promise<void> {
    this.deliver({ topic, key });
    if (this.runtime.embedded) return;
    await this.dataSource.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, JSON.stringify({ topic, key })]);
  }

  /** Whether the LISTEN connection is up (always true in embedded mode). */
  get listening(): boolean {
    return this.runtime.embedded || this.listener !== undefined;
  }

  /**
   * How long a cached answer may go unconfirmed by the database right now: without limit while revocations
   * arrive, REVOCATION_BOUND_MS while they cannot (undefined = no limit).
   */
  get recheckAfterMs(): number | undefined {
    return this.listening ? undefined : REVOCATION_BOUND_MS;
  }

  private deliver(msg: Invalidation): void {
    for (const h of this.handlers.get(msg.topic) ?? []) h(msg.key);
  }

  private deliverAll(): void {
    for (const topic of this.handlers.keys()) this.deliver({ topic, key: INVALIDATE_ALL });
  }

  private async connect(): Promise<void> {
    if (this.closed || this.connecting || this.listener) return;
    this.connecting = true;
    // keepAlive: a silently dead link (no FIN) is noticed too, so the cache stops vouching for entries.
    const client = new Client({
      connectionString: this.runtime.databaseUrl,
      application_name: 'satgate-invalidation',
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    let lost = false;
    const onLost = (why: string): void => {
      if (lost) return; // pg reports one broken connection as several 'error'/'end' events
      lost = true;
      if (this.listener === client) this.listener = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.lostSinceConnect = true;
      logger.warn({ why }, 'invalidation listener lost; reconnecting');
      this.scheduleReconnect();
    };
    client.on('notification', (n) => {
      if (n.channel !== PG_CHANNEL || !n.payload) return;
      try {
        this.deliver(JSON.parse(n.payload) as Invalidation);
      } catch {
        /* not ours */
      }
    });
    client.on('error', (err) => onLost(err.message));
    client.on('end', () => onLost('connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
      this.listener = client;
      this.retryDelayMs = RECONNECT_MIN_MS;
      if (this.lostSinceConnect) {
        this.lostSinceConnect = false;
        logger.info('invalidation listener reconnected; dropping caches that may have missed revocations');
        this.deliverAll();
      }
    } catch (err) {
      onLost((err as Error).message);
    } finally {
      this.connecting = false;
    }
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RECONNECT_MAX_MS);
    this.retryTimer = setTimeout(() => void this.connect().catch(() => undefined), delay);
    this.retryTimer.unref();
  }
}
