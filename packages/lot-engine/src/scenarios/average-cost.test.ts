import { replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { openLots, valuePosition } from '../valuation';

describe('AVERAGE cost after partial sells', () => {
  const vti = equity('VTI');
  const trade = trades();
  const ledger = [
    trade('BUY', '2025-01-02', { instrument: vti, quantity: '100', price: '10', fees: '5' }),
    trade('BUY', '2025-02-03', { instrument: vti, quantity: '50', price: '13', fees: '5' }),
    trade('SELL', '2025-03-03', { instrument: vti, quantity: '60', price: '12', fees: '3' }),
    trade('BUY', '2025-04-01', { instrument: vti, quantity: '30', price: '14' }),
    trade('SELL', '2025-05-01', { instrument: vti, quantity: '70', price: '15' }),
  ];

  it('realizes net proceeds − average cost × quantity, depleting lots first in, first out', () => {
    // Pool: 100 × 10 + 5 = 1005 and 50 × 13 + 5 = 655 → 150 shares, 1660.
    // Sale 1: 60 × 12 − 3 = 717; cost 1660 × 60/150 = 664; gain 53 (60 of the January lot).
    // Pool: 90 shares, 996. Buy 30 × 14 = 420 → 120 shares, 1416, average 11.8.
    // Sale 2: 70 × 15 = 1050; cost 70 × 11.8 = 826; gain 224, spread over the 40 left of January
    //   (600 − 472 = 128) and 30 of February (450 − 354 = 96).
    const { state, closedLots } = replayPosition(ledger, context('AVERAGE'));

    expect(
      closedLots.toArray().map((lot) => [lot.openDate, lot.quantity, lot.proceeds, lot.cost, lot.gain]),
    ).toEqual([
      ['2025-01-02', '60', '717', '664', '53'],
      ['2025-01-02', '40', '600', '472', '128'],
      ['2025-02-03', '30', '450', '354', '96'],
    ]);
    expect(state.realizedPnl).toBe('277'); // 53 + 224
    // Left: 50 shares, 1416 − 826 = 590, every lot at the pool's 11.8.
    expect(openLots(state)).toEqual([
      { openDate: '2025-02-03', quantity: '20', costPerUnit: '11.8', costBasis: '236' },
      { openDate: '2025-04-01', quantity: '30', costPerUnit: '11.8', costBasis: '354' },
    ]);
  });

  it('keeps 12 decimal places of an average that does not terminate', () => {
    // After sale 1: 996 / 90 = 11.0666… → 11.066666666667 (half-even at 12 places).
    const { state } = replayPosition(ledger.slice(0, 3), context('AVERAGE'));

    const position = valuePosition(state, undefined, context('AVERAGE'));

    expect(position).toMatchObject({ quantity: '90', costBasis: '996', averageCost: '11.066666666667' });
    expect(position).toMatchObject({ lastPrice: null, marketValue: null, unrealizedPnl: null, stale: true });
  });
});
