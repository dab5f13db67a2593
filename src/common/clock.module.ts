import { Module } from '@nestjs/common';
import type { Clock } from '../core/clock';

/**
 * Injection token of the one clock: every expiry rule (codes, tokens, grants, sessions, user JWTs, L402
 * caveats, purges, the origin's identity JWT) reads time from it, never from `Date.now()`. The provided
 * object is mutable, so a test moves time for the whole app with `app.get<Clock>(CLOCK).now = ...`.
 */
export const CLOCK = Symbol('CLOCK');

/** Shares the one clock between the modules that read time. */
@Module({ providers: [{ provide: CLOCK, useFactory: (): Clock => ({ now: () => new Date() }) }], exports: [CLOCK] })
export class ClockModule {}
