import { applyTrade, replayPosition } from '../engine';
import { MissingFxRateError } from '../errors';
import { context, equity, fxTable, trades } from '../testing';
import { valuePosition } from '../valuation';

describe('a EUR stock in a USD portfolio while EUR/USD moves', () => {
  const sap = equity('SAP', 'EUR');
  const fx = fxTable({ 'EUR/USD': { '2025-01-31': '1.05', '2025-03-01': '1.08', '2025-06-02': '1.15' } });
  const ctx = context('FIFO', 'USD', fx);
  const trade = trades();
  const ledger = [
    trade('BUY', '2025-01-02', { instrument: sap, quantity: '10', price: '100', fees: '2', fxRate: '1.10' }),
    trade('BUY', '2025-02-03', { instrument: sap, quantity: '10', price: '110' }),
    trade('SELL', '2025-03-03', { instrument: sap, quantity: '5', price: '125', fees: '1' }),
  ];

  it('costs each lot at its opening rate: the trade fxRate, else the rate on its date', () => {
    // Lot 1: 10 × 100 + 2 = 1,002 EUR × 1.10 = 1,102.20 USD. Lot 2: 1,100 EUR × 1.05 (31 Jan, latest before
    // 3 Feb) = 1,155 USD. Cost 2,102 EUR = 2,257.20 USD.
    // Valued at 120 EUR and the latest 1.20: 2,400 EUR = 2,880 USD; unrealized 298 EUR, 2,880 − 2,257.20 = 622.80
    // USD, of which the FX effect is the rate move on cost: USD figure ≠ EUR figure × any single rate.
    const { state } = replayPosition(ledger.slice(0, 2), ctx);

    const position = valuePosition(
      state,
      { price: '120', time: '2025-02-20T17:00:00.000Z', stale: false, fxToBase: '1.20' },
      ctx,
    );

    expect(position).toMatchObject({
      currency: 'EUR',
      costBasis: '2102',
      costBasisBase: '2257.2',
      marketValue: '2400',
      marketValueBase: '2880',
      unrealizedPnl: '298',
      unrealizedPnlBase: '622.8',
    });
  });

  it('realizes proceeds at the sale date rate against cost at the opening rate', () => {
    // 5 × 125 − 1 = 624 EUR × 1.08 (1 Mar) = 673.92 USD; cost 1,002 × 5/10 = 501 EUR, 1,102.20 × 5/10 = 551.10 USD.
    // Gain 123 EUR; 673.92 − 551.10 = 122.82 USD.
    const { state, closedLots } = replayPosition(ledger, ctx);

    expect(closedLots.toArray()).toEqual([
      expect.objectContaining({
        proceeds: '624',
        cost: '501',
        gain: '123',
        proceedsBase: '673.92',
        costBase: '551.1',
        gainBase: '122.82',
        currency: 'EUR',
      }),
    ]);
    expect([state.realizedPnl, state.realizedPnlBase]).toEqual(['123', '122.82']);
  });

  it('values at the lookup on the mark date when the mark carries no rate: 15 × 130 × 1.15', () => {
    const { state } = replayPosition(ledger, ctx);

    const position = valuePosition(
      state,
      { price: '130', time: '2025-06-03T17:00:00.000Z', stale: false },
      ctx,
    );

    expect(position.marketValueBase).toBe('2242.5'); // 1,950 EUR × 1.15
    expect(position.stale).toBe(false);
  });

  it('refuses a trade with no rate at all, leaving the state as it was', () => {
    const { state } = replayPosition(ledger.slice(0, 1), ctx);
    const before = JSON.stringify(state);
    const early = trade('BUY', '2025-01-20', { instrument: sap, quantity: '1', price: '100' });

    expect(() => applyTrade(state, early, ctx)).toThrow(MissingFxRateError);
    expect(JSON.stringify(state)).toBe(before);
  });

  it('marks a position stale with null base value when the latest rate is unknown', () => {
    const { state } = replayPosition(ledger.slice(0, 1), ctx);
    const noRates = context('FIFO', 'USD', () => undefined);

    const position = valuePosition(
      state,
      { price: '120', time: '2025-02-20T17:00:00.000Z', stale: false },
      noRates,
    );

    expect(position).toMatchObject({
      marketValue: '1200',
      marketValueBase: null,
      unrealizedPnlBase: null,
      stale: true,
    });
  });
});
