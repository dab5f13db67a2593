import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_FEE_RESERVE, feeReserveFor, parseFeeReserve } from './fee-reserve';

describe('feeReserveFor', () => {
  const cases: [number, number][] = [
    [0, 10],
    [1, 10],
    [300, 10],
    [1000, 10],
    [1001, 11], // 10.01 rounds up: the reserve must cover the fee
    [1100, 11],
    [100_000, 1000],
    [2_100_000_000_000_000, 21_000_000_000_000],
  ];
  for (const [amount, reserve] of cases) {
    it(`max(1%, 10) of ${amount} is ${reserve}`, () => assert.equal(feeReserveFor(amount, DEFAULT_FEE_RESERVE), reserve));
  }
  it('takes fractional percentages and a zero minimum', () => {
    assert.equal(feeReserveFor(1000, { percentBasisPoints: 50, minSats: 0 }), 5);
    assert.equal(feeReserveFor(1, { percentBasisPoints: 50, minSats: 0 }), 1);
    assert.equal(feeReserveFor(0, { percentBasisPoints: 0, minSats: 0 }), 0);
  });
  it('refuses a fractional or negative amount', () => {
    assert.throws(() => feeReserveFor(1.5, DEFAULT_FEE_RESERVE), RangeError);
    assert.throws(() => feeReserveFor(-1, DEFAULT_FEE_RESERVE), RangeError);
  });
});

describe('parseFeeReserve', () => {
  it('reads percent and minimum in either order', () => {
    assert.deepEqual(parseFeeReserve('1%,10'), { percentBasisPoints: 100, minSats: 10 });
    assert.deepEqual(parseFeeReserve('10, 0.5%'), { percentBasisPoints: 50, minSats: 10 });
    assert.deepEqual(parseFeeReserve('2.25%'), { percentBasisPoints: 225, minSats: 0 });
    assert.deepEqual(parseFeeReserve('0'), { percentBasisPoints: 0, minSats: 0 });
  });
  it('names what is wrong', () => {
    assert.equal(parseFeeReserve('1%,10,3'), 'expected "<percent>%,<min sats>", e.g. "1%,10"');
    assert.equal(parseFeeReserve('101%'), 'the percentage must be at most 100%');
    assert.equal(parseFeeReserve('ten'), '"ten" is neither a percentage ("1%") nor a number of sats ("10")');
    assert.equal(parseFeeReserve('1.234%'), '"1.234%" is neither a percentage ("1%") nor a number of sats ("10")');
    assert.equal(parseFeeReserve('-5'), '"-5" is neither a percentage ("1%") nor a number of sats ("10")');
  });
});
