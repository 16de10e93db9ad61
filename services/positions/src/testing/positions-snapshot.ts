import type { PortfolioPositions, Position } from '@kupala/trade-model';

/** A position of `symbol` with every figure filled, as `GET …/positions` lists it (~450 bytes of JSON). */
export const samplePosition = (symbol: string): Position => ({
  instrumentKey: `EQUITY:${symbol}:USD`,
  instrument: { assetClass: 'EQUITY', symbol, currency: 'USD' },
  quantity: '6',
  averageCost: '190.60',
  costBasis: '1143.60',
  lastPrice: '200.00',
  priceTime: '2026-11-24T10:00:00.000Z',
  marketValue: '1200.00',
  unrealizedPnl: '56.40',
  realizedPnl: '17.60',
  dayPnl: null,
  currency: 'USD',
  costBasisBase: '1143.60',
  marketValueBase: '1200.00',
  unrealizedPnlBase: '56.40',
  realizedPnlBase: '17.60',
  stale: false,
});

/** A portfolio of `count` positions (symbols S0, S1, …) with one USD cash balance. */
export const sampleSnapshot = (count: number, asOf = '2026-11-24T10:00:00.000Z'): PortfolioPositions => ({
  asOf,
  baseCurrency: 'USD',
  positions: Array.from({ length: count }, (_, index) => samplePosition(`S${index}`)),
  cash: [{ currency: 'USD', balance: '8095.00' }],
  totals: {
    marketValue: '1200.00',
    costBasis: '1143.60',
    unrealizedPnl: '56.40',
    realizedPnl: '17.60',
    income: '0',
    dayPnl: null,
    netLiquidation: '9295.00',
  },
});
