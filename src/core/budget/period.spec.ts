import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBudgetRenewal, isTimeZone, periodAt, type BudgetRenewal } from './period';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

describe('periodAt', () => {
  const cases: [BudgetRenewal, string, string, string, string][] = [
    // renewal, zone, at, start, end
    ['daily', 'UTC', '2026-12-03T13:15:00Z', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z'],
    ['daily', 'UTC', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z'],
    ['daily', 'UTC', '2026-12-03T23:59:59.999Z', '2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z'],
    // 2026-12-03 is a Thursday: the week began Monday 30 November
    ['weekly', 'UTC', '2026-12-03T13:15:00Z', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    ['weekly', 'UTC', '2026-12-06T23:59:59Z', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    ['weekly', 'UTC', '2026-12-07T00:00:00Z', '2026-12-07T00:00:00.000Z', '2026-12-14T00:00:00.000Z'],
    ['monthly', 'UTC', '2026-12-03T13:15:00Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['monthly', 'UTC', '2026-02-28T10:00:00Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['monthly', 'UTC', '2028-02-29T10:00:00Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['yearly', 'UTC', '2026-12-03T13:15:00Z', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    // Local midnight in a zone east of UTC: Berlin is UTC+1 in winter
    ['daily', 'Europe/Berlin', '2026-12-03T23:30:00Z', '2026-12-03T23:00:00.000Z', '2026-12-04T23:00:00.000Z'],
    ['monthly', 'Europe/Berlin', '2026-11-30T23:30:00Z', '2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z'],
    ['yearly', 'Europe/Berlin', '2026-12-31T23:30:00Z', '2026-12-31T23:00:00.000Z', '2027-12-31T23:00:00.000Z'],
    // West of UTC: 02:00 UTC on 1 December is still 30 November in New York (UTC-5)
    ['monthly', 'America/New_York', '2026-12-01T02:00:00Z', '2026-11-01T04:00:00.000Z', '2026-12-01T05:00:00.000Z'],
    // DST: Berlin springs forward on Sunday 29 March 2026 (a 23-hour day) and falls back on 25 October (25 hours)
    ['daily', 'Europe/Berlin', '2026-03-29T12:00:00Z', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['daily', 'Europe/Berlin', '2026-10-25T12:00:00Z', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
    // the week containing the spring change starts at UTC+1 and ends at UTC+2
    ['weekly', 'Europe/Berlin', '2026-03-27T12:00:00Z', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['weekly', 'Europe/Berlin', '2026-03-30T12:00:00Z', '2026-03-29T22:00:00.000Z', '2026-04-05T22:00:00.000Z'],
    // a zone with a half-hour offset
    ['daily', 'Asia/Kolkata', '2026-12-03T20:00:00Z', '2026-12-03T18:30:00.000Z', '2026-12-04T18:30:00.000Z'],
  ];
  for (const [renewal, zone, at, start, end] of cases) {
    it(`${renewal} in ${zone} at ${at}: [${start}, ${end})`, () => {
      const p = periodAt(renewal, new Date(at), zone);
      assert.deepEqual({ start: iso(p.start), end: iso(p.end) }, { start, end });
    });
  }

  it('never is one period without bounds', () => {
    assert.deepEqual(periodAt('never', new Date('2026-12-03T00:00:00Z'), 'UTC'), { start: null, end: null });
  });

  it('every instant lies in the period it computes, and the next period starts where it ends', () => {
    const renewals: BudgetRenewal[] = ['daily', 'weekly', 'monthly', 'yearly'];
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      for (const renewal of renewals) {
        let t = Date.UTC(2026, 0, 1);
        for (let i = 0; i < 60; i++, t += 5 * 86_400_000 + 3_600_000) {
          const p = periodAt(renewal, new Date(t), zone);
          assert.ok(p.start!.getTime() <= t && t < p.end!.getTime(), `${renewal} ${zone} ${new Date(t).toISOString()}`);
          assert.deepEqual(periodAt(renewal, p.end!, zone).start, p.end);
        }
      }
    }
  });

  it('refuses an unknown time zone', () => {
    assert.throws(() => periodAt('daily', new Date(), 'Mars/Olympus'), /unknown time zone: Mars\/Olympus/);
  });
});

describe('isBudgetRenewal / isTimeZone', () => {
  it('accepts exactly the five renewals', () => {
    for (const r of ['daily', 'weekly', 'monthly', 'yearly', 'never']) assert.equal(isBudgetRenewal(r), true);
    for (const r of ['Daily', 'month', '', undefined, 1]) assert.equal(isBudgetRenewal(r), false);
  });
  it('knows IANA zones', () => {
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('UTC'), true);
    assert.equal(isTimeZone('Europe/Nowhere'), false);
  });
});
