import { status } from '@grpc/grpc-js';
import type { InvoiceRecord, PaymentRecord } from './node.store';
import { LND_ERRORS, RpcError } from './rpc.errors';
import { invoiceMessage, paymentMessage } from './rpc.shapes';
import { bytes, int, read, write, type ServiceRpcs } from './rpc.types';

const isFinal = (p: PaymentRecord) => p.status === 'SUCCEEDED' || p.status === 'FAILED';

/** routerrpc.Router methods: payments are a stream of lnrpc.Payment updates ending with the final state. */
export const routerRpcs: ServiceRpcs = {
  SendPaymentV2: {
    kind: 'stream',
    permission: write('offchain'),
    handle: async (req, call, { node, router }) => {
      if (!req.payment_request) {
        throw RpcError.unknown('the regtest network only pays BOLT11 payment requests (payment_request is required)');
      }
      const sat = BigInt(String(req.amt || '0'));
      const msat = BigInt(String(req.amt_msat || '0'));
      if (sat !== 0n && msat !== 0n) throw RpcError.unknown('sat and msat arguments are mutually exclusive');
      // LND first reports the payment in flight (as soon as it exists), then its outcome.
      const payment = await router.pay(
        node,
        {
          paymentRequest: String(req.payment_request),
          amtMsat: sat !== 0n ? sat * 1000n : msat,
          timeoutSeconds: int(req.timeout_seconds),
        },
        (created) => {
          if (!req.no_inflight_updates && !call.cancelled) {
            call.write({ ...paymentMessage(created, node.chain), htlcs: [] });
          }
        },
      );
      if (call.cancelled) return;
      call.write(paymentMessage(payment, node.chain));
      call.end();
    },
  },

  TrackPaymentV2: {
    kind: 'stream',
    permission: read('offchain'),
    handle: (req, call, { node }) => {
      const hash = bytes(req.payment_hash).toString('hex');
      const payment = node.payments.get(hash);
      if (!payment) throw new RpcError(status.NOT_FOUND, LND_ERRORS.paymentNotInitiated);
      call.write(paymentMessage(payment, node.chain));
      if (isFinal(payment)) return void call.end();
      const untrack = node.payments.track(hash, (p) => {
        if (call.cancelled) return untrack();
        if (!req.no_inflight_updates || isFinal(p)) call.write(paymentMessage(p, node.chain));
        if (isFinal(p)) {
          untrack();
          call.end();
        }
      });
      call.on('cancelled', untrack);
    },
  },
};

/** invoicesrpc.Invoices methods. */
export const invoicesRpcs: ServiceRpcs = {
  SubscribeSingleInvoice: {
    kind: 'stream',
    permission: read('invoices'),
    handle: (req, call, { node }) => {
      const hash = bytes(req.r_hash);
      if (hash.length !== 32) throw RpcError.unknown(`invalid hash length ${hash.length}`);
      let unsubscribe: (() => void) | undefined;
      let finished = false;
      const sink = (inv: InvoiceRecord) => {
        if (finished || call.cancelled) return;
        call.write(invoiceMessage(inv));
        // LND closes the stream once the invoice reached a final state.
        if (inv.state === 'SETTLED' || inv.state === 'CANCELED') {
          finished = true;
          unsubscribe?.();
          call.end();
        }
      };
      unsubscribe = node.invoices.subscribeSingle(hash.toString('hex'), sink);
      if (finished) unsubscribe();
      call.on('cancelled', unsubscribe);
    },
  },
};
