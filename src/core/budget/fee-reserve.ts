/**
 * The routing-fee reserve held while a payment is in flight: the node may spend up to this much in fees,
 * so the budget must have room for it before the payment is forwarded. Alby Hub and LNDhub reserve
 * max(1 %, 10 sats) — small payments pay a base fee, large ones a proportional one. The reserve is
 * replaced by the real fee when the payment settles.
 */

/** `percentBasisPoints` 100 = 1 %. Both integers, so the reserve is exact. */
export interface FeeReservePolicy {
  percentBasisPoints: number;
  minSats: number;
}

/** Alby's: max(1 %, 10 sats). */
export const DEFAULT_FEE_RESERVE: FeeReservePolicy = Object.freeze({ percentBasisPoints: 100, minSats: 10 });

/** max(ceil(amount × percent), min), in whole sats. Integer arithmetic in BigInt: no float rounding. */
export function feeReserveFor(amountSat: number, policy: FeeReservePolicy): number {
  if (!Number.isSafeInteger(amountSat) || amountSat < 0) throw new RangeError('amount must be a non-negative integer of sats');
  const scaled = BigInt(amountSat) * BigInt(policy.percentBasisPoints);
  const proportional = Number((scaled + 9999n) / 10000n);
  return Math.max(proportional, policy.minSats);
}

/**
 * Parses `BUDGET_FEE_RESERVE`: `<percent>%,<min sats>` (`1%,10`), `<percent>%` or `<min sats>`. Percent
 * takes up to two decimals (`0.5%`). Returns a reason string instead of throwing, for the config loader.
 */
export function parseFeeReserve(raw: string): FeeReservePolicy | string {
  let percentBasisPoints = 0;
  let minSats = 0;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > 2 || parts.some((p) => p === '')) return 'expected "<percent>%,<min sats>", e.g. "1%,10"';
  for (const part of parts) {
    const pct = /^(\d{1,3})(?:\.(\d{1,2}))?%$/.exec(part);
    if (pct) {
      percentBasisPoints = Number(pct[1]) * 100 + Number((pct[2] ?? '').padEnd(2, '0'));
      if (percentBasisPoints > 10000) return 'the percentage must be at most 100%';
      continue;
    }
    if (/^\d{1,9}$/.test(part)) {
      minSats = Number(part);
      continue;
    }
    return `"${part}" is neither a percentage ("1%") nor a number of sats ("10")`;
  }
  return { percentBasisPoints, minSats };
}
