import { createHash } from 'node:crypto';
import { pointFromScalar, sign } from 'tiny-secp256k1';

/** The slice of the `invoices` package (untyped CommonJS) this module uses. */
interface InvoicesLib {
  createUnsignedRequest(args: {
    cltv_delta?: number;
    created_at?: string;
    description?: string;
    description_hash?: string;
    destination?: string;
    expires_at?: string;
    features: Array<{ bit: number }>;
    id: string;
    mtokens?: string;
    network: string;
    payment?: string;
  }): { hash: string; hrp: string; preimage: string; tags: number[] };
  createSignedRequest(args: { destination: string; hrp: string; signature: string; tags: number[] }): {
    request: string;
  };
  parsePaymentRequest(args: { request: string }): ParsedPaymentRequest;
}

/** What `invoices.parsePaymentRequest` returns (the fields the network reads). */
export interface ParsedPaymentRequest {
  cltv_delta: number;
  created_at: string;
  description?: string;
  description_hash?: string;
  destination: string;
  expires_at: string;
  features: Array<{ bit: number; is_required: boolean; type: string }>;
  id: string;
  is_expired: boolean;
  mtokens: string;
  network: string;
  payment?: string;
  routes?: unknown[];
  tokens: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const invoicesLib: InvoicesLib = require('invoices');

/** Feature bits LND puts on its invoices: var_onion_optin (required), payment_secret (required), basic_mpp. */
export const INVOICE_FEATURE_BITS = [8, 14, 17];

/** What a node signs into a BOLT11 invoice. */
export interface InvoiceTerms {
  paymentHash: string;
  paymentAddr: string;
  valueMsat: bigint;
  memo: string;
  descriptionHash?: string;
  createdAtSec: number;
  expirySec: number;
  cltvDelta: number;
}

/**
 * Encodes and signs a regtest (`lnbcrt`) BOLT11 invoice with the node's secp256k1 key — a real invoice that
 * `lightning`, `bolt11` and any wallet decode and whose signature recovers the node's public key.
 */
export function signInvoice(privateKey: Buffer, terms: InvoiceTerms): string {
  const destination = nodePublicKey(privateKey);
  const unsigned = invoicesLib.createUnsignedRequest({
    cltv_delta: terms.cltvDelta,
    created_at: new Date(terms.createdAtSec * 1000).toISOString(),
    description: terms.descriptionHash ? undefined : terms.memo,
    description_hash: terms.descriptionHash,
    destination,
    expires_at: new Date((terms.createdAtSec + terms.expirySec) * 1000).toISOString(),
    features: INVOICE_FEATURE_BITS.map((bit) => ({ bit })),
    id: terms.paymentHash,
    mtokens: terms.valueMsat.toString(),
    network: 'regtest',
    payment: terms.paymentAddr,
  });
  const signature = Buffer.from(sign(Buffer.from(unsigned.hash, 'hex'), privateKey)).toString('hex');
  return invoicesLib.createSignedRequest({ destination, hrp: unsigned.hrp, signature, tags: unsigned.tags }).request;
}

/** Decodes a BOLT11 invoice (verifying its signature); throws the library's error text when malformed. */
export function decodeInvoice(request: string): ParsedPaymentRequest {
  return invoicesLib.parsePaymentRequest({ request });
}

/** The compressed public key (hex) of a node key — the node's identity_pubkey. */
export function nodePublicKey(privateKey: Buffer): string {
  const point = pointFromScalar(privateKey, true);
  if (!point) throw new Error('invalid node private key');
  return Buffer.from(point).toString('hex');
}

/** sha256 helper used for payment hashes. */
export function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
