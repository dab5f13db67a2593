import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { L402_DEFAULTS } from './l402.constants';

/** The limiter's answer for one fresh challenge. */
export type ChallengeAllowance = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Caps fresh L402 challenges per client IP. Why: every unauthenticated request to a paid route costs an
 * invoice on the Lightning node and two rows in Postgres, so without a cap one client can grow the node's
 * invoice database and our tables as fast as it can send requests. Verifying a presented token is not
 * limited here: only issuing is.
 *
 * Built on `@fastify/rate-limit`'s programmatic limiter (`fastify.createRateLimit`) rather than a route hook,
 * because a challenge is decided deep inside the access guard and the gateway (after the policy says "402"),
 * not per route. The plugin is registered on Nest's Fastify instance with `global: false`, so it adds no hook
 * to any route. Its local store is a bounded LRU (fixed window per key) and keys are the client IP as Fastify
 * resolves it (TRUST_PROXY applies), IPv6 grouped by /64 so one host cannot rotate addresses past the cap.
 * The count is per instance: N instances allow N times the cap, still bounded.
 */
@Injectable()
export class ChallengeRateLimiter implements OnModuleInit {
  private fastify?: FastifyInstance;
  private limiter?: Limiter;

  constructor(@Optional() private readonly adapterHost?: HttpAdapterHost) {}

  /** Registers the plugin before Fastify boots (it loads at listen/ready, like the gateway's plugin). */
  onModuleInit(): void {
    const fastify = this.adapterHost?.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // a testing module without an HTTP server: nothing can flood it
    this.fastify = fastify;
    if (!fastify.hasDecorator('createRateLimit')) void fastify.register(rateLimit, { global: false });
  }

  /** Counts one fresh challenge for the request's client; says whether it may be issued. */
  async take(req: FastifyRequest): Promise<ChallengeAllowance> {
    const limiter = this.limiterOnce();
    if (!limiter) return { allowed: true };
    // The limiter reads only `ip` (through its default key generator) and `routeOptions.config`; handing it
    // just those keeps requests built by hand (tests, internal callers) from tripping over missing fields.
    const probe = { ip: clientIp(req), routeOptions: { config: {} } } as unknown as FastifyRequest;
    const verdict = await limiter(probe);
    if (verdict.isAllowed || !verdict.isExceeded) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, verdict.ttlInSeconds) };
  }

  private limiterOnce(): Limiter | undefined {
    if (this.limiter) return this.limiter;
    // The decorator exists once Fastify has loaded the plugin (it has, by the time requests arrive).
    if (!this.fastify?.hasDecorator('createRateLimit')) return undefined;
    const options = {
      max: L402_DEFAULTS.challengesPerIp,
      timeWindow: L402_DEFAULTS.challengeWindowMs,
      // Entries kept (least recently used dropped first); not in the typings of createRateLimit's options.
      cache: L402_DEFAULTS.challengeLimiterEntries,
    };
    this.limiter = this.fastify.createRateLimit(options);
    return this.limiter;
  }
}

/** The client address as Fastify resolved it (TRUST_PROXY applied), or the socket's, or a shared bucket. */
function clientIp(req: FastifyRequest): string {
  const ip = (req as { ip?: unknown }).ip;
  if (typeof ip === 'string' && ip) return ip;
  const remote = (req as { socket?: { remoteAddress?: string } }).socket?.remoteAddress;
  return remote || 'unknown';
}
