import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { PolicyEvaluator } from './policy-evaluator';

/** Registers the one global AccessGuard and shares the PolicyEvaluator with the gateway. */
@Global()
@Module({
  providers: [PolicyEvaluator, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [PolicyEvaluator],
})
export class AccessModule {}
