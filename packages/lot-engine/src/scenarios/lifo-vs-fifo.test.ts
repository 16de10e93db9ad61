import { replayPosition } from '../engine';
import { context } from '../testing';
import { openLots } from '../valuation';
import { threeMsftLots } from './three-msft-lots';

describe('LIFO vs FIFO on the same trades', () => {
  const { msft, trade, buys } = threeMsftLots();
  const ledger = [...buys, trade('SELL', '2025-02-01', { instrument: msft, quantity: '12', price: '70' })];
  const summary = (lots: ReturnType<typeof replayPosition>['closedLots']) =>
    lots
      .toArray()
      .map((lot) => [lot.openDate, lot.quantity, lot.proceeds, lot.cost, lot.gain, lot.holdingPeriod]);

  it('FIFO sells the January lot (held over a year: LONG) and 2 of the March lot', () => {
    // 10 × 70 = 700 − 10 × 50 = 500 → 200 LONG (2025-02-01 is after 2025-01-10);
    // 2 × 70 = 140 − 2 × 60 = 120 → 20 SHORT (anniversary 2025-03-01 not passed). Total 220.
    const { state, closedLots } = replayPosition(ledger, context('FIFO'));

    expect(summary(closedLots)).toEqual([
      ['2024-01-10', '10', '700', '500', '200', 'LONG'],
      ['2024-03-01', '2', '140', '120', '20', 'SHORT'],
    ]);
    expect(state.realizedPnl).toBe('220');
    // Left: 8 × 60 = 480 and 10 × 55 = 550 → 1030.
    expect(state.costBasis).toBe('1030');
    expect(openLots(state).map((lot) => [lot.openDate, lot.quantity, lot.costBasis])).toEqual([
      ['2024-03-01', '8', '480'],
      ['2024-05-01', '10', '550'],
    ]);
  });

  it('LIFO sells the May lot and 2 of the March lot: less gain, all SHORT', () => {
    // 700 − 10 × 55 = 150 SHORT; 140 − 120 = 20 SHORT. Total 170.
    const { state, closedLots } = replayPosition(ledger, context('LIFO'));

    expect(summary(closedLots)).toEqual([
      ['2024-05-01', '10', '700', '550', '150', 'SHORT'],
      ['2024-03-01', '2', '140', '120', '20', 'SHORT'],
    ]);
    expect(state.realizedPnl).toBe('170');
    // Left: 10 × 50 = 500 and 8 × 60 = 480 → 980.
    expect(state.costBasis).toBe('980');
    expect(openLots(state).map((lot) => [lot.openDate, lot.quantity, lot.costBasis])).toEqual([
      ['2024-01-10', '10', '500'],
      ['2024-03-01', '8', '480'],
    ]);
  });
});
