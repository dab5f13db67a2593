import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { L402_AUTHORITY } from '../access/access.ports';
import { ChallengeIssuer } from './challenge.issuer';
import { ChallengePurger } from './challenge.purger';
import { ChallengeRateLimiter } from './challenge.rate-limit';
import { DemoPaidController } from './demo.controller';
import { L402Invoice } from './invoice.entity';
import { InvoiceLedger } from './invoice.ledger';
import { InvoiceReconciler } from './invoice.reconciler';
import { InvoiceRepository } from './invoice.repository';
import { L402AdminController, L402InvoicesAdminController } from './l402-admin.controller';
import { L402AdminService } from './l402-admin.service';
import { L402AuthorityService } from './l402.authority';
import { L402Banner } from './l402.banner';
import { L402PricingRegistry } from './pricing.registry';
import { L402RootKey } from './root-key.entity';
import { RootKeyRepository } from './root-key.repository';
import { CachedRootKeyStore } from './root-key.store';
import { SettlementCursor } from './settlement-cursor.entity';
import { SettlementFollower } from './settlement.follower';
import { BannerModule } from '../common/banner.service';
import { ClockModule } from '../common/clock.module';

/**
 * The Nest side of the L402 paywall (docs/architecture.md, "Modules"): implements the access layer's `L402Authority`
 * port (verification with a cached root-key store, challenge issuing through the Lightning node), keeps
 * invoices current from the settlement stream, reconciles the node's invoices with the table, purges dead challenges, and serves the admin endpoints and
 * the demo route. Global so the AccessModule's evaluator and the gateway reach the port and the pricing
 * registry without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([L402RootKey, L402Invoice, SettlementCursor]), BannerModule, ClockModule],
  controllers: [L402AdminController, L402InvoicesAdminController, DemoPaidController],
  providers: [
    RootKeyRepository,
    InvoiceRepository,
    CachedRootKeyStore,
    L402PricingRegistry,
    InvoiceLedger,
    ChallengeRateLimiter,
    ChallengeIssuer,
    L402AuthorityService,
    { provide: L402_AUTHORITY, useExisting: L402AuthorityService },
    SettlementFollower,
    ChallengePurger,
    InvoiceReconciler,
    L402AdminService,
    L402Banner,
  ],
  exports: [L402_AUTHORITY, L402PricingRegistry],
})
export class L402Module {}
