import { Module } from '@nestjs/common';

/** The L402 paywall (issue 4) — placeholder until the feature lands. */
@Module({})
export class L402Module {}
