import { decodeInvoice } from './bolt11.codec';
import { RpcError } from './rpc.errors';
import {
  channelBalanceMessage,
  getInfoResponse,
  invoiceMessage,
  payReqMessage,
  paymentMessage,
} from './rpc.shapes';
import { bytes, int, read, write, type RpcRequest, type ServiceRpcs } from './rpc.types';

/** Reads the payment hash of a PaymentHash message (bytes `r_hash`, or the deprecated hex `r_hash_str`). */
function paymentHashOf(req: RpcRequest): string {
  const raw = bytes(req.r_hash).length ? bytes(req.r_hash) : Buffer.from(String(req.r_hash_str ?? ''), 'hex');
  if (raw.length !== 32) throw RpcError.unknown(`payment hash must be exactly 32 bytes, is instead ${raw.length}`);
  return raw.toString('hex');
}

/** sat/msat pair -> msat, with LND's mutual-exclusion rule (lnrpc.UnmarshallAmt). */
function amountMsat(sat: unknown, msat: unknown): bigint {
  const s = BigInt(String(sat || '0'));
  const m = BigInt(String(msat || '0'));
  if (s !== 0n && m !== 0n) throw RpcError.unknown('sat and msat arguments are mutually exclusive');
  return s !== 0n ? s * 1000n : m;
}

/** lnrpc.Lightning methods the regtest node serves, with LND's permission for each. */
export const lightningRpcs: ServiceRpcs = {
  GetInfo: {
    kind: 'unary',
    permission: read('info'),
    handle: (_req, { node }) => getInfoResponse(node, node.chain),
  },

  AddInvoice: {
    kind: 'unary',
    permission: write('invoices'),
    handle: async (req, { node }) => {
      if (req.is_amp) throw RpcError.unknown('AMP invoices are not supported by the regtest network');
      if (req.is_blinded) throw RpcError.unknown('blinded invoices are not supported by the regtest network');
      const inv = await node.addInvoice({
        valueMsat: amountMsat(req.value, req.value_msat),
        memo: String(req.memo ?? ''),
        descriptionHash: bytes(req.description_hash),
        expirySec: int(req.expiry),
        preimage: bytes(req.r_preimage),
        cltvExpiry: int(req.cltv_expiry),
        isPrivate: !!req.private,
      });
      return {
        r_hash: Buffer.from(inv.paymentHash, 'hex'),
        payment_request: inv.paymentRequest,
        add_index: String(inv.addIndex),
        payment_addr: Buffer.from(inv.paymentAddr, 'hex'),
      };
    },
  },

  LookupInvoice: {
    kind: 'unary',
    permission: read('invoices'),
    handle: (req, { node }) => invoiceMessage(node.lookupInvoice(paymentHashOf(req))),
  },

  ListInvoices: {
    kind: 'unary',
    permission: read('invoices'),
    handle: (req, { node }) => {
      const offset = int(req.index_offset);
      const max = int(req.num_max_invoices) || 1000;
      const from = int(req.creation_date_start);
      const until = int(req.creation_date_end) || Number.MAX_SAFE_INTEGER;
      const all = node.invoices
        .all()
        .filter((i) => (!req.pending_only || i.state === 'OPEN') && i.createdAtSec >= from && i.createdAtSec <= until);
      const page = req.reversed
        ? (() => {
            const before = offset > 0 ? all.filter((i) => i.addIndex < offset) : all;
            return before.slice(Math.max(0, before.length - max));
          })()
        : all.filter((i) => i.addIndex > offset).slice(0, max);
      return {
        invoices: page.map(invoiceMessage),
        first_index_offset: String(page[0]?.addIndex ?? 0),
        last_index_offset: String(page[page.length - 1]?.addIndex ?? 0),
      };
    },
  },

  SubscribeInvoices: {
    kind: 'stream',
    permission: read('invoices'),
    handle: (req, call, { node }) => {
      const unsubscribe = node.invoices.subscribe(int(req.add_index), int(req.settle_index), (inv) => {
        if (!call.cancelled) call.write(invoiceMessage(inv));
      });
      call.on('cancelled', unsubscribe);
      call.on('close', unsubscribe);
    },
  },

  DecodePayReq: {
    kind: 'unary',
    permission: read('offchain'),
    handle: (req) => {
      let parsed;
      try {
        parsed = decodeInvoice(String(req.pay_req ?? ''));
      } catch (err) {
        throw RpcError.unknown(`invalid payment request: ${(err as Error).message}`);
      }
      if (parsed.network !== 'regtest') throw RpcError.unknown(`invoice not for current active network 'regtest'`);
      return payReqMessage(parsed);
    },
  },

  ChannelBalance: {
    kind: 'unary',
    permission: read('offchain'),
    handle: (_req, { node }) => channelBalanceMessage(node.balanceMsat, BigInt(node.chain.capacityMsat)),
  },

  ListPayments: {
    kind: 'unary',
    permission: read('offchain'),
    handle: (req, { node }) => {
      const page = node.payments.list({
        indexOffset: int(req.index_offset),
        max: int(req.max_payments),
        reversed: !!req.reversed,
        includeIncomplete: !!req.include_incomplete,
        createdFromSec: int(req.creation_date_start),
        createdUntilSec: int(req.creation_date_end),
      });
      return {
        payments: page.map((p) => paymentMessage(p, node.chain)),
        first_index_offset: String(page[0]?.paymentIndex ?? 0),
        last_index_offset: String(page[page.length - 1]?.paymentIndex ?? 0),
        total_num_payments: req.count_total_payments ? String(node.payments.size) : '0',
      };
    },
  },
};
