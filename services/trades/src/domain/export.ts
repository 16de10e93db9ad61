import type { Portfolio, Trade } from '@kupala/trade-model';

export const EXPORT_FORMAT = 'kupala-json';
export const EXPORT_VERSION = 1;

// Server-assigned fields an import would assign anew; `status` stays so an import can skip cancelled trades.
const SERVER_FIELDS = new Set([
  'tradeId',
  'portfolioId',
  'instrumentKey',
  'version',
  'createdAt',
  'updatedAt',
]);

/** A trade as the owner booked it (decimals exactly as sent), plus its status. */
export const exportedTrade = (trade: Trade): Record<string, unknown> =>
  Object.fromEntries(Object.entries(trade).filter(([field]) => !SERVER_FIELDS.has(field)));

/** The lossless `kupala-json` document of a portfolio: its settings and every trade in application order. */
export const exportDocument = (portfolio: Portfolio, trades: readonly Trade[], exportedAt: string) => ({
  format: EXPORT_FORMAT,
  version: EXPORT_VERSION,
  exportedAt,
  portfolio: {
    name: portfolio.name,
    baseCurrency: portfolio.baseCurrency,
    lotMethod: portfolio.lotMethod,
    ...(portfolio.commissionSchedule === undefined
      ? {}
      : { commissionSchedule: portfolio.commissionSchedule }),
  },
  trades: trades.map(exportedTrade),
});
