import { applyTrade, replayPosition } from '../engine';
import { OutOfOrderError } from '../errors';
import { context, equity, trades } from '../testing';
import { openLots } from '../valuation';

describe('a 2-for-1 split, then a 1-for-10 reverse split', () => {
  const acme = equity('ACME');
  const trade = trades();
  const ledger = [
    trade('BUY', '2024-01-02', { instrument: acme, quantity: '100', price: '50' }),
    trade('BUY', '2024-02-01', { instrument: acme, quantity: '60', price: '40' }),
    trade('SPLIT', '2024-06-03', { instrument: acme, ratio: '2' }),
    trade('SELL', '2024-07-01', { instrument: acme, quantity: '150', price: '30' }),
    trade('SPLIT', '2024-09-02', { instrument: acme, ratio: '0.1' }),
    trade('SELL', '2024-10-01', { instrument: acme, quantity: '6', price: '300' }),
  ];

  it('multiplies every open lot, keeping its cost and open date', () => {
    // After 2-for-1: 200 (cost 5,000, 25 each) and 120 (2,400, 20 each).
    // Sale of 150 @ 30: 150 of January: 4,500 − 5,000 × 150/200 = 4,500 − 3,750 = 750.
    // Left: 50 (1,250) and 120 (2,400); after 1-for-10: 5 (1,250, 250 each) and 12 (2,400, 200 each).
    const { state, closedLots } = replayPosition(ledger.slice(0, 5), context('FIFO'));

    expect(closedLots.toArray().map((lot) => [lot.quantity, lot.proceeds, lot.cost, lot.gain])).toEqual([
      ['150', '4500', '3750', '750'],
    ]);
    expect(openLots(state)).toEqual([
      { openDate: '2024-01-02', quantity: '5', costPerUnit: '250', costBasis: '1250' },
      { openDate: '2024-02-01', quantity: '12', costPerUnit: '200', costBasis: '2400' },
    ]);
    expect([state.quantity, state.costBasis]).toEqual(['17', '3650']);
  });

  it('realizes after the reverse split against the adjusted lots', () => {
    // 6 @ 300: 5 of January: 1,500 − 1,250 = 250; 1 of February: 300 − 200 = 100. Total 750 + 250 + 100 = 1,100.
    const { state, closedLots } = replayPosition(ledger, context('FIFO'));

    expect(
      closedLots
        .toArray()
        .slice(1)
        .map((lot) => [lot.openDate, lot.quantity, lot.gain]),
    ).toEqual([
      ['2024-01-02', '5', '250'],
      ['2024-02-01', '1', '100'],
    ]);
    expect(state.realizedPnl).toBe('1100');
    expect(openLots(state)).toEqual([
      { openDate: '2024-02-01', quantity: '11', costPerUnit: '200', costBasis: '2200' },
    ]);
  });

  it('is an event: replaying the ledger over a state that has it applies it once, and applying it again is refused', () => {
    const { state: checkpoint } = replayPosition(ledger.slice(0, 3), context('FIFO'));

    const { state } = replayPosition(ledger.slice(0, 3), context('FIFO'), checkpoint);

    expect(state.quantity).toBe('320'); // (100 + 60) × 2, not × 4
    expect(() => applyTrade(checkpoint, ledger[2] as (typeof ledger)[number], context('FIFO'))).toThrow(
      OutOfOrderError,
    );
    expect(checkpoint.quantity).toBe('320');
  });
});
