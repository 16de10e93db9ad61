import { canonicalDecimal, sumDecimals } from '@kupala/trade-model';
import { cashEffects } from '../cash';
import { replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { valuePosition } from '../valuation';

describe('short sale and cover at a loss', () => {
  const tsla = equity('TSLA');
  const trade = trades();
  const ledger = [
    trade('SELL_SHORT', '2025-03-03', { instrument: tsla, quantity: '100', price: '200', fees: '10' }),
    trade('BUY_TO_COVER', '2025-04-01', { instrument: tsla, quantity: '60', price: '215', fees: '6' }),
    trade('SELL_SHORT', '2025-04-15', { instrument: tsla, quantity: '20', price: '190' }),
    trade('BUY_TO_COVER', '2025-05-01', { instrument: tsla, quantity: '50', price: '205', fees: '5' }),
  ];

  it('opens a negative lot whose cost is minus the net short proceeds', () => {
    // 100 × 200 − 10 = 19,990 → quantity −100, cost −19,990, average 19,990 / 100 = 199.9.
    // At 210: value −100 × 210 = −21,000; unrealized −21,000 − (−19,990) = −1,010.
    const { state } = replayPosition(ledger.slice(0, 1), context('FIFO'));

    const position = valuePosition(
      state,
      { price: '210', time: '2025-03-04T20:00:00.000Z', stale: false },
      context('FIFO'),
    );

    expect(position).toMatchObject({
      quantity: '-100',
      costBasis: '-19990',
      averageCost: '199.9',
      marketValue: '-21000',
      unrealizedPnl: '-1010',
    });
  });

  it('covers the earliest short first and realizes proceeds − cover cost', () => {
    // Cover 1: 60 × 215 + 6 = 12,906 against 19,990 × 60/100 = 11,994 → −912.
    // Cover 2: 50 × 205 + 5 = 10,255, spread 40/50 and 10/50:
    //   the 40 left of March: 7,996 − 10,255 × 40/50 = 7,996 − 8,204 = −208;
    //   10 of April's 20: 3,800 × 10/20 = 1,900 − (10,255 − 8,204 = 2,051) = −151.
    const { state, closedLots } = replayPosition(ledger, context('FIFO'));

    expect(
      closedLots
        .toArray()
        .map((lot) => [lot.side, lot.openDate, lot.quantity, lot.proceeds, lot.cost, lot.gain]),
    ).toEqual([
      ['SHORT', '2025-03-03', '60', '11994', '12906', '-912'],
      ['SHORT', '2025-03-03', '40', '7996', '8204', '-208'],
      ['SHORT', '2025-04-15', '10', '1900', '2051', '-151'],
    ]);
    expect(state.realizedPnl).toBe('-1271'); // −912 − 208 − 151
    expect([state.quantity, state.costBasis]).toEqual(['-10', '-1900']);
  });

  it('credits short sales and debits covers: 19,990 − 12,906 + 3,800 − 10,255 = 629', () => {
    const amounts = ledger.flatMap(cashEffects).map((effect) => effect.amount);

    expect(amounts).toEqual(['19990', '-12906', '3800', '-10255']);
    expect(canonicalDecimal(sumDecimals(amounts))).toBe('629');
  });
});
