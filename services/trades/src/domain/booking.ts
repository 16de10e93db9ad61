import {
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
