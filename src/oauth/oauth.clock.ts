import { Injectable, Module } from '@nestjs/common';
import type { Clock } from '../core/oauth';

/**
 * The one clock every OAuth expiry rule reads (codes, tokens, grants, user JWTs, cache entries). A provider
 * rather than `Date.now()` so integration tests move time by replacing `now` on the instance
 * (`app.get(OAuthClock).now = ...`) instead of sleeping.
 */
@Injectable()
export class OAuthClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** Shares one OAuthClock between the OAuth, users and clients modules. */
@Module({ providers: [OAuthClock], exports: [OAuthClock] })
export class OAuthClockModule {}
