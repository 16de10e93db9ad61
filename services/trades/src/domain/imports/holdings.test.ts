import { Decimal } from '@kupala/trade-model';
import { quantityHeldBefore, splitRatio } from './holdings';

describe('quantityHeldBefore', () => {
  it('adds buys, removes sales, multiplies by earlier splits, ignores the day itself and later', () => {
    const events = [
      { type: 'SELL', tradeDate: '2026-02-01', quantity: '4' },
      { type: 'BUY', tradeDate: '2026-01-05', quantity: '10' },
      { type: 'SPLIT', tradeDate: '2026-01-20', ratio: '2' },
      { type: 'DIVIDEND', tradeDate: '2026-01-25' },
      { type: 'BUY', tradeDate: '2026-03-01', quantity: '100' },
      { type: 'TRANSFER_IN', tradeDate: '2026-01-10', quantity: '1' },
    ];

    // (10 + 1) × 2 - 4 = 18; the buy on 03-01 is not before 03-01
    expect(quantityHeldBefore(events, '2026-03-01').toFixed()).toBe('18');
    // before the split: 10 + 1 = 11
    expect(quantityHeldBefore(events, '2026-01-20').toFixed()).toBe('11');
  });
});

describe('splitRatio', () => {
  it.each([
    ['1', '10', '10'], // Broadcom 2024: 1 share + 9 added = 10-for-1
    ['4', '40', '10'],
    ['101', '151', '1.5'], // 3-for-2: 151.5, the half share paid in cash
    ['105', '10', '0.1'], // 1-for-10 reverse: 10.5 → 10 (not the exact but accidental 2/21)
    ['30', '10', '0.333333333333'], // 1-for-3 reverse, 12 places
  ])('%s held becoming %s is a ratio of %s', (held, after, ratio) => {
    expect(splitRatio(new Decimal(held), new Decimal(after))).toEqual({ ratio });
  });

  it.each([
    ['0', '9', 'no shares are held before that date (0)'],
    ['10', '10', '10 held would become 10'],
    ['1000', '1337', '1000 held becoming 1337 is not a clean split ratio (p/q with p, q up to 50)'],
  ])('%s held becoming %s has no ratio: %s', (held, after, problem) => {
    expect(splitRatio(new Decimal(held), new Decimal(after))).toEqual({ problem });
  });
});
