import { Module } from '@nestjs/common';
import { LIGHTNING } from '../lightning/lightning.module';
import type { LightningService } from '../lightning/lightning.service';
import { ClockModule } from '../common/clock.module';
import { BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';
import { PAYMENT_LOOKUP, type PaymentLookup } from './payment-lookup.port';
import { ReservationReconciler } from './reservation.reconciler';

/** The PaymentLookup over an LND node: LND's own record of the payment, by hash. */
export function lndPaymentLookup(lightning: LightningService): PaymentLookup {
  return {
    async paymentOutcome(paymentHash) {
      const p = await lightning.getPayment(paymentHash);
      if (p.status !== 'succeeded') return { status: p.status };
      return { status: 'succeeded', ...(p.sats === undefined ? {} : { amountSat: p.sats }), ...(p.feeSat === undefined ? {} : { feeSat: p.feeSat }) };
    },
  };
}

/**
 * Spending budgets of `payments:send` grants: the service the OAuth, login, gateway and admin modules use,
 * and the reconciler. Outcomes are looked up on satgate's LND (LND_*): the node the wallet behind the gateway
 * pays from, as in an LNDhub deployment that shares its node.
 */
@Module({
  imports: [ClockModule],
  providers: [
    BudgetsRepository,
    BudgetsService,
    ReservationReconciler,
    {
      provide: PAYMENT_LOOKUP,
      inject: [LIGHTNING],
      useFactory: (lightning: LightningService | null): PaymentLookup | null => (lightning ? lndPaymentLookup(lightning) : null),
    },
  ],
  exports: [BudgetsService, ReservationReconciler],
})
export class BudgetsModule {}
