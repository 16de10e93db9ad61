import {
  type AmendTradeBody,
  type CreatePortfolioBody,
  instrumentKey,
  normalizeInstrument,
  type Portfolio,
  type Trade,
  type TradeInput,
} from '@kupala/trade-model';

export interface Stamp {
  id: string;
  now: string;
}

/** A new portfolio from its creation body. */
export const newPortfolio = (body: CreatePortfolioBody, stamp: Stamp): Portfolio => ({
  portfolioId: stamp.id,
  name: body.name.trim(),
  baseCurrency: body.baseCurrency,
  lotMethod: body.lotMethod,
  ...(body.commissionSchedule === undefined ? {} : { commissionSchedule: body.commissionSchedule }),
  createdAt: stamp.now,
  updatedAt: stamp.now,
});

/**
 * A booked trade at version 1. The instrument is normalized (upper-case symbols, explicit multiplier)
 * and keyed; decimals are kept exactly as sent so that an export reproduces them.
 */
export const newTrade = (portfolioId: string, input: TradeInput, stamp: Stamp): Trade => {
  const instrument = input.instrument === undefined ? undefined : normalizeInstrument(input.instrument);
  return {
    ...input,
    ...(instrument === undefined ? {} : { instrument, instrumentKey: instrumentKey(instrument) }),
    tradeId: stamp.id,
    portfolioId,
    status: 'ACTIVE',
    version: 1,
    createdAt: stamp.now,
    updatedAt: stamp.now,
  };
};

/** The next version of a trade from an amend body: same id, portfolio and booking place, new content. */
export const amendedTrade = (previous: Trade, body: AmendTradeBody, now: string): Trade => {
  const { version: _expected, ...input } = body;
  return {
    ...newTrade(previous.portfolioId, input, { id: previous.tradeId, now }),
    createdAt: previous.createdAt,
    version: previous.version + 1,
  };
};

/** A cancelled trade keeps its content and history; it counts as never booked. */
export const cancelledTrade = (previous: Trade, now: string): Trade => ({
  ...previous,
  status: 'CANCELLED',
  version: previous.version + 1,
  updatedAt: now,
});

/** Rows (0-based) whose externalId repeats an earlier row of the same batch. */
export const repeatedExternalIds = (trades: readonly Pick<TradeInput, 'externalId'>[]): number[] => {
  const seen = new Set<string>();
  return trades.flatMap((trade, index) => {
    if (trade.externalId === undefined) return [];
    if (seen.has(trade.externalId)) return [index];
    seen.add(trade.externalId);
    return [];
  });
};
