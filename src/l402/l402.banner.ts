import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import type { BannerSection } from '../common/banner.service';
import { BannerService } from '../common/banner.service';
import { SATGATE_RUNTIME } from '../config/runtime';
import type { SatgateRuntime } from '../config/runtime';
import { DEMO_PAID_REQUIREMENT } from './demo.controller';

/** Order of the section among the banner's feature sections. */
const BANNER_ORDER = 40;

/**
 * The demo banner's walk through the paywall: get the 402, pay its invoice from the regtest payer node,
 * retry with `L402 <macaroon>:<preimage>`. Built after listening, so the URL is final.
 */
export function l402BannerSection(runtime: SatgateRuntime): BannerSection {
  const url = `${runtime.config.publicUrl}/demo/paid`;
  const { price, lifetime } = DEMO_PAID_REQUIREMENT;
  const pay = runtime.regtestDir
    ? `npx satgate regtest pay --data-dir ${path.dirname(runtime.regtestDir)}`
    : undefined;
  const lines = [
    `GET /demo/paid costs ${price} sat; the token works for ${lifetime / 3600} h.`,
    '1. Ask: the 402 carries an invoice and a macaroon',
    `   curl -i ${url}`,
    pay ? '2. Pay the invoice from the regtest payer node (prints the preimage)' : "2. Pay the invoice with a wallet on the node's network (it reveals the preimage)",
    pay ? `   ${pay} <invoice>` : '   <your wallet> pay <invoice>',
    '3. Retry with the macaroon and the preimage',
    `   curl -H "Authorization: L402 <macaroon>:<preimage>" ${url}`,
  ];
  if (pay) {
    lines.push(
      'All three in one go (needs jq):',
      `   R=$(curl -s ${url}); P=$(${pay} "$(echo "$R" | jq -r .invoice)"); ` +
        `curl -H "Authorization: L402 $(echo "$R" | jq -r .macaroon):$P" ${url}`,
    );
  }
  return { title: 'L402 paywall', lines };
}

/** Adds the L402 section to the banner (printed in demo mode only). */
@Injectable()
export class L402Banner implements OnModuleInit {
  constructor(
    private readonly banner: BannerService,
    @Inject(SATGATE_RUNTIME) private readonly runtime: SatgateRuntime,
  ) {}

  onModuleInit(): void {
    this.banner.add(BANNER_ORDER, () => l402BannerSection(this.runtime));
  }
}
