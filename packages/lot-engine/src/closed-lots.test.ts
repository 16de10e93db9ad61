import fc from 'fast-check';
import { ClosedLotList } from './closed-lots';
import { formatClosedLot } from './engine';
import { fromBig, type Hybrid } from './hybrid';
import type { ScaledClosedLot } from './types';

/** A canonical figure: small, near 2^53 on either side, or far beyond it (then a bigint). */
const figure: fc.Arbitrary<Hybrid> = fc
  .oneof(
    fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
    fc.bigInt({ min: 2n ** 53n - 2_000n, max: 2n ** 53n + 2_000n }),
    fc.bigInt({ min: -(2n ** 53n) - 2_000n, max: -(2n ** 53n) + 2_000n }),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
  )
  .map(fromBig);

const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const lot = (instrumentKey: string, currency: string): fc.Arbitrary<ScaledClosedLot> =>
  fc
    .record({
      side: fc.constantFrom('LONG' as const, 'SHORT' as const),
      openDate: date,
      closeDate: date,
      quantity: figure,
      proceeds: figure,
      cost: figure,
      gain: figure,
      proceedsBase: figure,
      costBase: figure,
      gainBase: figure,
      openTradeId: fc.string({ minLength: 1, maxLength: 26 }),
      closeTradeId: fc.string({ minLength: 1, maxLength: 26 }),
    })
    .map((fields) => ({ instrumentKey, currency, ...fields }));

describe('ClosedLotList (replayPosition closed lots, formatted when read)', () => {
  it('reads back every lot as pushed, and formats it exactly as formatClosedLot', () => {
    fc.assert(
      // Up to 300 lots: past the initial capacity of 64, so the columns grow.
      fc.property(fc.array(lot('EQUITY:SAP:EUR', 'EUR'), { maxLength: 300 }), (lots) => {
        const list = new ClosedLotList('EQUITY:SAP:EUR', 'EUR');
        for (const scaled of lots) list.push(scaled);

        expect(list.length).toBe(lots.length);
        lots.forEach((scaled, index) => {
          expect(list.scaledAt(index)).toEqual(scaled);
          expect(list.at(index)).toEqual(formatClosedLot(scaled));
        });
        expect(list.toArray()).toEqual(lots.map(formatClosedLot));
        expect([...list]).toEqual(lots.map(formatClosedLot));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a figure beyond the safe range exact, and the same figure in base currency formats alike', () => {
    const list = new ClosedLotList('EQUITY:SAP:EUR', 'EUR');
    const huge = 10n ** 30n + 1n; // 10^18 units and 10^-12: no double holds it
    list.push({
      instrumentKey: 'EQUITY:SAP:EUR',
      side: 'SHORT',
      openDate: '2024-02-29',
      closeDate: '2025-03-01',
      quantity: 1_500_000_000_000, // 1.5
      proceeds: huge,
      cost: -huge,
      gain: 2n * huge,
      proceedsBase: huge,
      costBase: 0,
      gainBase: huge,
      currency: 'EUR',
      openTradeId: 'A',
      closeTradeId: 'B',
    });

    expect(list.at(0)).toEqual({
      instrumentKey: 'EQUITY:SAP:EUR',
      side: 'SHORT',
      openDate: '2024-02-29',
      closeDate: '2025-03-01',
      quantity: '1.5',
      proceeds: '1000000000000000000.000000000001',
      cost: '-1000000000000000000.000000000001',
      gain: '2000000000000000000.000000000002',
      // First anniversary of 29 Feb 2024 is 28 Feb 2025: closed after it, held more than a year.
      holdingPeriod: 'LONG',
      proceedsBase: '1000000000000000000.000000000001',
      costBase: '0',
      gainBase: '1000000000000000000.000000000001',
      currency: 'EUR',
      openTradeId: 'A',
      closeTradeId: 'B',
    });
  });

  it('keeps lots past the first chunks (4,096 lots each) apart, bigints too', () => {
    const list = new ClosedLotList('EQUITY:SAP:EUR', 'EUR');
    // Lot n: quantity n + 1 units; every 97th lot's proceeds beyond the safe range; odd lots short.
    const lotNumber = (n: number): ScaledClosedLot => ({
      instrumentKey: 'EQUITY:SAP:EUR',
      side: n % 2 === 1 ? 'SHORT' : 'LONG',
      openDate: '2024-01-02',
      closeDate: '2024-06-03',
      quantity: (n + 1) * 1_000_000_000_000,
      proceeds: n % 97 === 0 ? 10n ** 20n + BigInt(n) : n,
      cost: -n,
      gain: 2 * n,
      proceedsBase: n,
      costBase: -n,
      gainBase: 2 * n,
      currency: 'EUR',
      openTradeId: `open-${n}`,
      closeTradeId: `close-${n}`,
    });
    for (let n = 0; n < 10_000; n++) list.push(lotNumber(n));

    expect(list.length).toBe(10_000);
    for (const n of [0, 63, 64, 4_095, 4_096, 4_097, 8_191, 8_192, 9_797, 9_999]) {
      expect(list.scaledAt(n)).toEqual(lotNumber(n));
      expect(list.at(n)).toEqual(formatClosedLot(lotNumber(n)));
    }
    // Lot 4,171 = 43 × 97: proceeds 10^20 + 4,171 scaled = 100,000,000.000000004171.
    expect(list.at(4_171).proceeds).toBe('100000000.000000004171');
    expect(list.at(4_171).quantity).toBe('4172');
  });

  it('refuses an index outside the list', () => {
    const list = new ClosedLotList('EQUITY:SAP:EUR', 'EUR');
    expect(() => list.at(0)).toThrow(RangeError);
    expect(() => list.scaledAt(-1)).toThrow(RangeError);
    expect(() => list.at(0.5)).toThrow(RangeError);
  });
});
