import { canonicalDecimal, sumDecimals } from '@kupala/trade-model';
import { cashEffects, incomeEffect } from '../cash';
import { applyTrade, replayPosition } from '../engine';
import { context, equity, trades } from '../testing';
import { portfolioTotals, valuePosition } from '../valuation';

describe('dividends, interest, taxes and fees into cash per currency', () => {
  const ko = equity('KO');
  const asml = equity('ASML', 'EUR');
  const trade = trades();
  const ledger = [
    trade('DEPOSIT', '2025-01-02', { amount: '10000' }),
    trade('BUY', '2025-01-03', { instrument: ko, quantity: '50', price: '60', fees: '1' }),
    trade('DIVIDEND', '2025-04-01', { instrument: ko, amount: '24.25' }),
    trade('TAX', '2025-04-01', { instrument: ko, amount: '3.64' }),
    trade('FEE', '2025-04-30', { amount: '5' }),
    trade('INTEREST', '2025-04-30', { amount: '1.10' }),
    trade('WITHDRAWAL', '2025-05-02', { amount: '500' }),
    trade('DIVIDEND', '2025-05-05', { instrument: asml, amount: '10' }),
    { ...trade('DIVIDEND', '2025-05-06', { instrument: ko, amount: '99' }), status: 'CANCELLED' as const },
  ];
  const balances = (currency: string) =>
    canonicalDecimal(
      sumDecimals(
        ledger
          .flatMap(cashEffects)
          .filter((effect) => effect.currency === currency)
          .map((effect) => effect.amount),
      ),
    );

  it('keeps one balance per currency; a cancelled trade moves nothing', () => {
    // USD: 10,000 − (50 × 60 + 1) + 24.25 − 3.64 − 5 + 1.10 − 500 = 6,515.71. EUR: 10.
    expect(balances('USD')).toBe('6515.71');
    expect(balances('EUR')).toBe('10');
    expect(cashEffects(ledger[8] as (typeof ledger)[number])).toEqual([]);
  });

  it('reports dividends and interest as income, gross of the tax booked apart', () => {
    const income = ledger.map(incomeEffect).filter((effect) => effect !== undefined);

    expect(income).toEqual([
      { currency: 'USD', amount: '24.25' },
      { currency: 'USD', amount: '1.1' },
      { currency: 'EUR', amount: '10' },
    ]);
  });

  it('leaves the lots alone on a dividend but records it in the ledger order', () => {
    const securities = ledger.filter((t) => t.instrument?.symbol === 'KO' && t.status === 'ACTIVE');
    const { state } = replayPosition(securities.slice(0, 1), context('FIFO'));

    applyTrade(state, securities[1] as (typeof securities)[number], context('FIFO'));

    expect([state.quantity, state.costBasis, state.realizedPnl]).toEqual(['50', '3001', '0']);
    expect(state.lastOrderKey).toBe(`2025-04-01#${securities[1]?.tradeId}`);
  });

  it('totals in base currency: net liquidation = value + cash at the latest rates', () => {
    // KO at 62: 3,100. Cash 6,515.71 USD + 10 EUR × 1.10 = 11 → 9,626.71. Income 25.35 USD + 11 = 36.35.
    const { state } = replayPosition(
      ledger.filter((t) => t.type === 'BUY'),
      context('FIFO'),
    );
    const position = valuePosition(
      state,
      { price: '62', previousClose: '61.5', time: '2025-05-06T20:00:00.000Z', stale: false },
      context('FIFO'),
    );

    const totals = portfolioTotals(
      [position],
      [
        { currency: 'USD', balance: '6515.71' },
        { currency: 'EUR', balance: '10' },
      ],
      '36.35',
      (currency) => ({ USD: '1', EUR: '1.10' })[currency],
    );

    // Unrealized 3,100 − 3,001 = 99; day 50 × 0.5 = 25.
    expect(totals).toEqual({
      marketValue: '3100',
      costBasis: '3001',
      unrealizedPnl: '99',
      realizedPnl: '0',
      income: '36.35',
      dayPnl: '25',
      netLiquidation: '9626.71',
    });
  });

  it('answers null net liquidation when a cash currency has no rate', () => {
    const totals = portfolioTotals([], [{ currency: 'JPY', balance: '1000' }], '0', () => undefined);

    expect(totals.netLiquidation).toBeNull();
    expect(totals.marketValue).toBe('0');
  });
});
