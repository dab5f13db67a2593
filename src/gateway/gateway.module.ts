import { Module } from '@nestjs/common';

/** The gateway (issue 7) — placeholder until the feature lands. */
@Module({})
export class GatewayModule {}
