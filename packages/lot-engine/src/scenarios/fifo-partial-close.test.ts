import { cashEffects } from '../cash';
import { replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { openLots, valuePosition } from '../valuation';

describe('FIFO partial close', () => {
  const aapl = equity('AAPL');
  const trade = trades();
  const ledger = [
    trade('DEPOSIT', '2025-01-02', { amount: '5000' }),
    trade('BUY', '2025-01-02', { instrument: aapl, quantity: '10', price: '100', fees: '1' }),
    trade('BUY', '2025-02-03', { instrument: aapl, quantity: '10', price: '120', fees: '1' }),
    trade('SELL', '2025-06-02', { instrument: aapl, quantity: '15', price: '130', fees: '1.5' }),
  ];
  const securities = ledger.filter((t) => t.instrument !== undefined);

  it('closes the earliest lot whole, then part of the next, spreading net proceeds by quantity', () => {
    // Lot 1: 10 × 100 + 1 = 1001; lot 2: 10 × 120 + 1 = 1201.
    // Sale: 15 × 130 = 1950 − 1.5 fees = 1948.5 net, spread 10/15 and 5/15.
    // Lot 1 (10): proceeds 1948.5 × 10/15 = 1299, cost 1001, gain 298.
    // Lot 2 (5 of 10): proceeds 1948.5 − 1299 = 649.5, cost 1201 × 5/10 = 600.5, gain 49.
    const { state, closedLots } = replayPosition(securities, context('FIFO'));

    expect(
      closedLots.toArray().map(({ openDate, quantity, proceeds, cost, gain, holdingPeriod, side }) => ({
        openDate,
        quantity,
        proceeds,
        cost,
        gain,
        holdingPeriod,
        side,
      })),
    ).toEqual([
      {
        openDate: '2025-01-02',
        quantity: '10',
        proceeds: '1299',
        cost: '1001',
        gain: '298',
        holdingPeriod: 'SHORT',
        side: 'LONG',
      },
      {
        openDate: '2025-02-03',
        quantity: '5',
        proceeds: '649.5',
        cost: '600.5',
        gain: '49',
        holdingPeriod: 'SHORT',
        side: 'LONG',
      },
    ]);
    // Realized 298 + 49 = 347; base = USD, so the base figures are the same.
    expect(state.realizedPnl).toBe('347');
    expect(state.realizedPnlBase).toBe('347');
    // What remains: 5 of lot 2 at 1201 − 600.5 = 600.5, i.e. 120.1 per share.
    expect(openLots(state)).toEqual([
      { openDate: '2025-02-03', quantity: '5', costPerUnit: '120.1', costBasis: '600.5' },
    ]);
  });

  it('values the rest at the mark: 5 × 140 = 700, unrealized 700 − 600.5 = 99.5, day 5 × (140 − 138) = 10', () => {
    const { state } = replayPosition(securities, context('FIFO'));

    const position = valuePosition(
      state,
      { price: '140', previousClose: '138', time: '2025-06-03T20:00:00.000Z', stale: false },
      context('FIFO'),
    );

    expect(position).toMatchObject({
      instrumentKey: 'EQUITY:AAPL:USD',
      quantity: '5',
      averageCost: '120.1',
      costBasis: '600.5',
      lastPrice: '140',
      marketValue: '700',
      unrealizedPnl: '99.5',
      dayPnl: '10',
      realizedPnl: '347',
      costBasisBase: '600.5',
      marketValueBase: '700',
      unrealizedPnlBase: '99.5',
      stale: false,
    });
  });

  it('moves cash: 5000 − 1001 − 1201 + 1948.5 = 3746.5', () => {
    const deltas = ledger.flatMap(cashEffects);

    expect(deltas).toEqual([
      { currency: 'USD', amount: '5000' },
      { currency: 'USD', amount: '-1001' },
      { currency: 'USD', amount: '-1201' },
      { currency: 'USD', amount: '1948.5' },
    ]);
  });
});
