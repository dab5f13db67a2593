import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { SATGATE_RUNTIME } from '../bootstrap/runtime.module';
import type { SatgateRuntime } from '../bootstrap/runtime';
import { logger } from '../common/logger';

const PG_CHANNEL = 'satgate_invalidation';

/** A cache entry to drop: `topic` names the cache (e.g. `oauth-token`, `l402-root-key`), `key` the entry. */
export interface Invalidation {
  topic: string;
  key: string;
}

/**
 * Tells every instance sharing the database to drop a cached entry, so a revocation holds everywhere within
 * a second. On a real Postgres this is LISTEN/NOTIFY on one dedicated connection; the embedded Postgres does
 * not carry notifications across connections, but embedded mode is a single instance, so local delivery is
 * all it needs. Local handlers always run synchronously before `publish` returns.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly handlers = new Map<string, Array<(key: string) => void>>();
  private listener?: Client;
  private closed = false;

  constructor(@Inject(SATGATE_RUNTIME) private readonly runtime: SatgateRuntime) {}

  async onModuleInit(): Promise<void> {
    if (this.runtime.embedded) return;
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.listener?.end().catch(() => undefined);
  }

  /** Registers a handler for one topic. */
  subscribe(topic: string, handler: (key: string) => void): void {
    const list = this.handlers.get(topic) ?? [];
    list.push(handler);
    this.handlers.set(topic, list);
  }

  /** Drops the entry here at once, and on every other instance via NOTIFY (call after the change commits). */
  async publish(topic: string, key: string): Promise<void> {
    this.deliver({ topic, key });
    if (this.runtime.embedded || !this.listener) return;
    await this.listener.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, JSON.stringify({ topic, key, from: process.pid })]);
  }

  private deliver(msg: Invalidation): void {
    for (const h of this.handlers.get(msg.topic) ?? []) h(msg.key);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.runtime.databaseUrl, application_name: 'satgate-invalidation' });
    client.on('notification', (n) => {
      if (n.channel !== PG_CHANNEL || !n.payload) return;
      try {
        this.deliver(JSON.parse(n.payload) as Invalidation);
      } catch {
        /* not ours */
      }
    });
    client.on('error', (err) => {
      logger.warn({ err: err.message }, 'invalidation listener lost; reconnecting');
      this.listener = undefined;
      if (!this.closed) setTimeout(() => void this.connect().catch(() => undefined), 500).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${PG_CHANNEL}`);
    this.listener = client;
  }
}
