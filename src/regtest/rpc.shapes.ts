import type { ParsedPaymentRequest } from './bolt11.codec';
import type { InvoiceRecord, PaymentRecord } from './node.store';
import type { ChainState } from './regtest.node';

/**
 * Conversions from the network's records to LND's protobuf messages, as plain objects for
 * @grpc/proto-loader (keepCase names; int64 as decimal strings; bytes as Buffers; enums by name). Every field
 * the `lightning` package validates is filled the way LND fills it.
 */

type Features = Record<string, { name: string; is_required: boolean; is_known: boolean }>;

const FEATURE_NAMES: Record<number, string> = {
  0: 'data-loss-protect',
  5: 'upfront-shutdown-script',
  7: 'gossip-queries',
  8: 'tlv-onion',
  9: 'tlv-onion',
  12: 'static-remote-key',
  14: 'payment-addr',
  17: 'multi-path-payments',
  19: 'wumbo-channels',
  23: 'anchors-zero-fee-htlc-tx',
  27: 'shutdown-any-segwit',
};

/** Feature bits a simulated node advertises in GetInfo (LND 0.18 defaults, wumbo on). */
const NODE_FEATURE_BITS = [0, 5, 7, 9, 12, 14, 17, 19, 23, 27];
/** Feature bits on the node's invoices (matches what bolt11.codec encodes). */
const INVOICE_FEATURES: Features = features([8, 14, 17]);

function features(bits: number[]): Features {
  const out: Features = {};
  for (const bit of bits) {
    out[String(bit)] = { name: FEATURE_NAMES[bit] ?? 'unknown', is_required: bit % 2 === 0, is_known: true };
  }
  return out;
}

const msatToSat = (msat: string | bigint) => (BigInt(msat) / 1000n).toString();
const ZERO_PREIMAGE = '0'.repeat(64);

/** lnrpc.GetInfoResponse. */
export function getInfoResponse(node: { pubkey: string; alias: string; color: string }, chain: ChainState) {
  return {
    version: '0.18.5-beta commit=satgate-regtest',
    commit_hash: 'satgate-regtest',
    identity_pubkey: node.pubkey,
    alias: node.alias,
    color: node.color,
    num_pending_channels: 0,
    num_active_channels: 1,
    num_inactive_channels: 0,
    num_peers: 1,
    block_height: chain.blockHeight,
    block_hash: chain.blockHash,
    best_header_timestamp: String(chain.bestHeaderTimestamp),
    synced_to_chain: true,
    synced_to_graph: true,
    testnet: false,
    chains: [{ chain: 'bitcoin', network: 'regtest' }],
    uris: [],
    features: features(NODE_FEATURE_BITS),
    require_htlc_interceptor: false,
    store_final_htlc_resolutions: false,
    wallet_synced: true,
  };
}

/** lnrpc.Invoice. */
export function invoiceMessage(inv: InvoiceRecord) {
  const htlc = inv.htlc;
  return {
    memo: inv.memo,
    r_preimage: Buffer.from(inv.preimage, 'hex'),
    r_hash: Buffer.from(inv.paymentHash, 'hex'),
    value: msatToSat(inv.valueMsat),
    value_msat: inv.valueMsat,
    settled: inv.state === 'SETTLED',
    creation_date: String(inv.createdAtSec),
    settle_date: String(inv.settledAtSec),
    payment_request: inv.paymentRequest,
    description_hash: Buffer.from(inv.descriptionHash, 'hex'),
    expiry: String(inv.expirySec),
    fallback_addr: '',
    cltv_expiry: String(inv.cltvExpiry),
    route_hints: [],
    private: inv.isPrivate,
    add_index: String(inv.addIndex),
    settle_index: String(inv.settleIndex),
    amt_paid: inv.amtPaidMsat,
    amt_paid_sat: msatToSat(inv.amtPaidMsat),
    amt_paid_msat: inv.amtPaidMsat,
    state: inv.state,
    htlcs: htlc
      ? [
          {
            chan_id: htlc.chanId,
            htlc_index: String(htlc.htlcIndex),
            amt_msat: htlc.amtMsat,
            accept_height: htlc.acceptHeight,
            accept_time: String(htlc.acceptTimeSec),
            resolve_time: String(htlc.resolveTimeSec),
            expiry_height: htlc.expiryHeight,
            state: 'SETTLED',
            custom_records: {},
            mpp_total_amt_msat: htlc.amtMsat,
          },
        ]
      : [],
    features: INVOICE_FEATURES,
    is_keysend: false,
    payment_addr: Buffer.from(inv.paymentAddr, 'hex'),
    is_amp: false,
    amp_invoice_state: {},
    is_blinded: false,
  };
}

/** lnrpc.Payment. */
export function paymentMessage(p: PaymentRecord, chain: ChainState) {
  const a = p.attempt;
  return {
    payment_hash: p.paymentHash,
    value: msatToSat(p.valueMsat),
    creation_date: (BigInt(p.creationTimeNs) / 1_000_000_000n).toString(),
    path: a && a.status === 'SUCCEEDED' ? [a.destination] : [],
    fee: msatToSat(p.feeMsat),
    payment_preimage: p.status === 'SUCCEEDED' ? p.preimage : ZERO_PREIMAGE,
    value_sat: msatToSat(p.valueMsat),
    value_msat: p.valueMsat,
    payment_request: p.paymentRequest,
    status: p.status,
    fee_sat: msatToSat(p.feeMsat),
    fee_msat: p.feeMsat,
    creation_time_ns: p.creationTimeNs,
    htlcs: a
      ? [
          {
            attempt_id: String(a.attemptId),
            status: a.status,
            route: {
              total_time_lock: a.totalTimeLock,
              total_fees: '0',
              total_amt: msatToSat(a.amountMsat),
              hops: [
                {
                  chan_id: a.chanId,
                  chan_capacity: msatToSat(chain.capacityMsat),
                  amt_to_forward: msatToSat(a.amountMsat),
                  fee: '0',
                  expiry: a.totalTimeLock,
                  amt_to_forward_msat: a.amountMsat,
                  fee_msat: '0',
                  pub_key: a.destination,
                  tlv_payload: true,
                  mpp_record: a.paymentAddr
                    ? { payment_addr: Buffer.from(a.paymentAddr, 'hex'), total_amt_msat: a.amountMsat }
                    : null,
                  custom_records: {},
                },
              ],
              total_fees_msat: '0',
              total_amt_msat: a.amountMsat,
            },
            attempt_time_ns: a.attemptTimeNs,
            resolve_time_ns: a.resolveTimeNs,
            failure:
              a.status === 'FAILED'
                ? { code: 'INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS', htlc_msat: a.amountMsat, failure_source_index: 1, height: chain.blockHeight }
                : null,
            preimage: a.status === 'SUCCEEDED' ? Buffer.from(p.preimage, 'hex') : Buffer.alloc(0),
          },
        ]
      : [],
    payment_index: String(p.paymentIndex),
    failure_reason: p.failureReason,
    first_hop_custom_records: {},
  };
}

/** lnrpc.PayReq (DecodePayReq). */
export function payReqMessage(req: ParsedPaymentRequest) {
  const createdSec = Math.floor(Date.parse(req.created_at) / 1000);
  const expirySec = Math.floor(Date.parse(req.expires_at) / 1000) - createdSec;
  const feats: Features = {};
  for (const f of req.features) feats[String(f.bit)] = { name: f.type, is_required: f.is_required, is_known: true };
  return {
    destination: req.destination,
    payment_hash: req.id,
    num_satoshis: msatToSat(req.mtokens || '0'),
    timestamp: String(createdSec),
    expiry: String(expirySec),
    description: req.description ?? '',
    description_hash: req.description_hash ?? '',
    fallback_addr: '',
    cltv_expiry: String(req.cltv_delta ?? 18),
    route_hints: [],
    payment_addr: Buffer.from(req.payment ?? '', 'hex'),
    num_msat: req.mtokens || '0',
    features: feats,
    blinded_paths: [],
  };
}

/** lnrpc.ChannelBalanceResponse for a node holding `localMsat` of a channel of `capacityMsat`. */
export function channelBalanceMessage(localMsat: bigint, capacityMsat: bigint) {
  const amount = (msat: bigint) => ({ sat: (msat / 1000n).toString(), msat: msat.toString() });
  const remote = capacityMsat - localMsat;
  return {
    balance: (localMsat / 1000n).toString(),
    pending_open_balance: '0',
    local_balance: amount(localMsat),
    remote_balance: amount(remote < 0n ? 0n : remote),
    unsettled_local_balance: amount(0n),
    unsettled_remote_balance: amount(0n),
    pending_open_local_balance: amount(0n),
    pending_open_remote_balance: amount(0n),
    custom_channel_data: Buffer.alloc(0),
  };
}
