import { replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { openLots } from '../valuation';

describe('HIFO: highest cost per unit first, ties to the earliest lot', () => {
  const nvda = equity('NVDA');
  const trade = trades();
  const ledger = [
    trade('BUY', '2025-01-02', { instrument: nvda, quantity: '10', price: '20' }),
    trade('BUY', '2025-01-03', { instrument: nvda, quantity: '10', price: '25' }),
    trade('BUY', '2025-01-06', { instrument: nvda, quantity: '10', price: '25' }),
    trade('BUY', '2025-01-07', { instrument: nvda, quantity: '10', price: '22' }),
    trade('SELL', '2025-03-03', { instrument: nvda, quantity: '15', price: '30' }),
    trade('SELL', '2025-04-01', { instrument: nvda, quantity: '10', price: '24', fees: '2' }),
  ];

  it('closes the 25s (earliest of the tie first), then the 22s, never the 20s', () => {
    // Sale 1 (15 @ 30): the 25 of 01-03 whole: 300 − 250 = 50; 5 of the 25 of 01-06: 150 − 125 = 25.
    // Sale 2 (10 @ 24, fees 2: net 238): the rest of 01-06 (5 @ 25): 238 × 5/10 = 119 − 125 = −6;
    //   5 of the 22 of 01-07: 238 − 119 = 119 − 110 = 9.
    const { state, closedLots } = replayPosition(ledger, context('HIFO'));

    expect(
      closedLots.toArray().map((lot) => [lot.openDate, lot.quantity, lot.proceeds, lot.cost, lot.gain]),
    ).toEqual([
      ['2025-01-03', '10', '300', '250', '50'],
      ['2025-01-06', '5', '150', '125', '25'],
      ['2025-01-06', '5', '119', '125', '-6'],
      ['2025-01-07', '5', '119', '110', '9'],
    ]);
    // 50 + 25 − 6 + 9 = 78.
    expect(state.realizedPnl).toBe('78');
    // Left: 10 @ 20 = 200 and 5 @ 22 = 110, listed in the order they were opened.
    expect(openLots(state)).toEqual([
      { openDate: '2025-01-02', quantity: '10', costPerUnit: '20', costBasis: '200' },
      { openDate: '2025-01-07', quantity: '5', costPerUnit: '22', costBasis: '110' },
    ]);
    expect(state.costBasis).toBe('310');
  });
});
