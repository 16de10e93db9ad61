import { cashEffects } from '../cash';
import { replayPosition } from '../engine';
import { callOption, context, trades } from '../testing';
import { valuePosition } from '../valuation';

describe('option expiry with multiplier 100', () => {
  const longCall = callOption('AAPL', '200', '2025-03-21');
  const shortCall = callOption('AAPL', '210', '2025-03-21');
  const trade = trades();
  const longLedger = [
    trade('BUY', '2025-01-10', { instrument: longCall, quantity: '2', price: '3.50', fees: '1.30' }),
    trade('EXPIRE', '2025-03-21', { instrument: longCall, quantity: '2' }),
  ];
  const shortLedger = [
    trade('SELL_SHORT', '2025-01-10', { instrument: shortCall, quantity: '3', price: '2.00', fees: '1.95' }),
    trade('EXPIRE', '2025-03-21', { instrument: shortCall, quantity: '5' }),
  ];

  it('values a long call at quantity × price × 100', () => {
    // Cost 2 × 3.50 × 100 + 1.30 = 701.30; average 701.30 / 200 = 3.5065 per quoted unit.
    // At 1.20: 2 × 1.20 × 100 = 240; unrealized 240 − 701.30 = −461.30.
    const { state } = replayPosition(longLedger.slice(0, 1), context('FIFO'));

    const position = valuePosition(
      state,
      { price: '1.20', time: '2025-02-03T21:00:00.000Z', stale: false },
      context('FIFO'),
    );

    expect(position).toMatchObject({
      costBasis: '701.3',
      averageCost: '3.5065',
      marketValue: '240',
      unrealizedPnl: '-461.3',
    });
  });

  it('expires a long call at 0: the whole cost is lost', () => {
    const { state, closedLots } = replayPosition(longLedger, context('FIFO'));

    expect(
      closedLots.toArray().map((lot) => [lot.side, lot.quantity, lot.proceeds, lot.cost, lot.gain]),
    ).toEqual([['LONG', '2', '0', '701.3', '-701.3']]);
    expect([state.quantity, state.costBasis, state.realizedPnl]).toEqual(['0', '0', '-701.3']);
  });

  it('expires a short call at 0: the net premium is kept, and only the contracts held expire', () => {
    // Net premium 3 × 2.00 × 100 − 1.95 = 598.05; covered at 0: gain 598.05. EXPIRE of 5 closes the 3 held.
    const { state, closedLots } = replayPosition(shortLedger, context('FIFO'));

    expect(
      closedLots.toArray().map((lot) => [lot.side, lot.quantity, lot.proceeds, lot.cost, lot.gain]),
    ).toEqual([['SHORT', '3', '598.05', '0', '598.05']]);
    expect([state.quantity, state.realizedPnl]).toEqual(['0', '598.05']);
  });

  it('moves cash on the trades, not on expiry: −701.30 + 598.05', () => {
    expect([...longLedger, ...shortLedger].flatMap(cashEffects)).toEqual([
      { currency: 'USD', amount: '-701.3' },
      { currency: 'USD', amount: '598.05' },
    ]);
  });
});
