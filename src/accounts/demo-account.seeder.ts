import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { BannerService } from '../common/banner.service';
import { logger } from '../common/logger';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { AccountsService } from './accounts.service';

/** The demo account's username. */
export const DEMO_USERNAME = 'demo';

/**
 * The demo account's password, derived from the admin token: stable across restarts (the admin token is kept
 * in the data dir in embedded mode, or given by env), identical on every instance, and needing no storage of
 * its own. HMAC is one-way, so the printed password reveals nothing about the admin token.
 */
export function demoPassword(adminToken: string): string {
  return createHmac('sha256', adminToken).update('satgate/demo-account-password/v1').digest('base64url').slice(0, 20);
}

/**
 * Demo mode: seeds the local account `demo` (only if absent — an administrator's later changes stick) and
 * shows its credentials in the banner, with an authorization URL for the demo client to try in a browser.
 */
@Injectable()
export class DemoAccountSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly accounts: AccountsService,
    private readonly banner: BannerService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    const password = demoPassword(this.config.adminToken);
    const created = await this.accounts.ensure(DEMO_USERNAME, password);
    if (created) logger.info({ username: DEMO_USERNAME }, 'demo account created');
    this.banner.add(40, async () => {
      const base = this.config.publicUrl;
      const current = await this.accounts.passwordMatches(DEMO_USERNAME, password);
      const authorize = `${base}/oauth/authorize?client_id=id&response_type=code&redirect_uri=http://localhost:8080&scope=balance:read&state=demo`;
      return {
        title: 'Browser sign-in (local account)',
        lines: [
          `username ${DEMO_USERNAME}`,
          `password ${current ? password : '(changed by an administrator)'}`,
          `sign in and see connected apps: ${base}/login`,
          `try the consent page:           ${authorize}`,
        ],
      };
    });
  }
}
