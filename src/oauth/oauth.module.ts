import { Module } from '@nestjs/common';

/** The OAuth2 authorization server (issue 5) — placeholder until the feature lands. */
@Module({})
export class OAuthModule {}
