import { cashEffects } from '../cash';
import { replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { openLots } from '../valuation';

describe('transfers of securities and cash', () => {
  const vti = equity('VTI');
  const trade = trades();
  const ledger = [
    trade('TRANSFER_IN', '2025-01-02', { instrument: vti, quantity: '20', price: '200' }),
    trade('BUY', '2025-02-03', { instrument: vti, quantity: '10', price: '210' }),
    trade('TRANSFER_OUT', '2025-03-03', { instrument: vti, quantity: '25', price: '220' }),
  ];

  it('opens a lot at the transfer price and removes lots on the way out without realizing', () => {
    // In: 20 × 200 = 4,000. Buy: 2,100. Out 25 (FIFO): the 20 transferred in (4,000) and 5 of the buy (1,050).
    // Nothing realized; left 5 at 210 = 1,050.
    const { state, closedLots } = replayPosition(ledger, context('FIFO'));

    expect(closedLots.toArray()).toEqual([]);
    expect(state.realizedPnl).toBe('0');
    expect(openLots(state)).toEqual([
      { openDate: '2025-02-03', quantity: '5', costPerUnit: '210', costBasis: '1050' },
    ]);
  });

  it('moves no cash for securities, and the amount for cash transfers', () => {
    const cashIn = trade('TRANSFER_IN', '2025-04-01', { amount: '1000' });
    const cashOut = trade('TRANSFER_OUT', '2025-04-02', { amount: '300', fees: '2' });

    expect(ledger.flatMap(cashEffects)).toEqual([{ currency: 'USD', amount: '-2100' }]);
    expect([cashIn, cashOut].flatMap(cashEffects)).toEqual([
      { currency: 'USD', amount: '1000' },
      { currency: 'USD', amount: '-302' },
    ]);
  });
});
