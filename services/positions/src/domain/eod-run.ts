import type { Trade } from '@kupala/trade-model';
import type { PortfolioSettings } from '../adapters/portfolios-reader';
import type { LotEngine } from './engine';
import {
  buildEodSnapshots,
  businessDays,
  type EodMarket,
  type EodSnapshot,
  firstSnapshotDay,
  previousBusinessDay,
} from './eod';
import { positionOf } from './trade-events';

/** One unit of EOD work: (re)build the snapshots of a portfolio's days within [from, to]. */
export interface EodJob {
  sub: string;
  portfolioId: string;
  from: string;
  to: string;
}

export interface MarketRequest {
  sub: string;
  baseCurrency: string;
  instruments: { symbol: string; currency: string }[];
  currencies: string[];
  /** The first day valued (closes on or before it are needed from here on). */
  from: string;
  to: string;
  /** How many business days are valued. */
  expectedCloses: number;
  /** The first trade's date: FX rates from there on (trade-date conversions). */
  ratesFrom: string;
}

/** What an EOD build touches; tests pass their own. */
export interface EodBuildDeps {
  engine: LotEngine;
  settingsOf(sub: string, portfolioId: string): Promise<PortfolioSettings | undefined>;
  tradesOf(sub: string, portfolioId: string): Promise<Trade[]>;
  market(request: MarketRequest): Promise<EodMarket>;
  putSnapshots(sub: string, portfolioId: string, snapshots: readonly EodSnapshot[]): Promise<void>;
}

/**
 * Rebuilds the job's days from the portfolio's trades and the market's closes and rates, and overwrites
 * their snapshots (idempotent: a rerun writes the same items under the same keys). Answers how many days
 * were written (0 for a deleted portfolio or one without trades).
 */
export const runEodJob = async (deps: EodBuildDeps, job: EodJob): Promise<number> => {
  const settings = await deps.settingsOf(job.sub, job.portfolioId);
  if (settings === undefined) return 0;
  const trades = (await deps.tradesOf(job.sub, job.portfolioId)).filter((trade) => trade.status === 'ACTIVE');
  const start = firstSnapshotDay(trades);
  if (start === undefined) return 0;
  const instruments = new Map<string, { symbol: string; currency: string }>();
  const currencies = new Set<string>();
  for (const trade of trades) {
    currencies.add(trade.currency);
    if (positionOf(trade) !== undefined && trade.instrument !== undefined) {
      const { symbol, currency } = trade.instrument;
      instruments.set(`${symbol}#${currency}`, { symbol, currency });
      currencies.add(currency);
    }
  }
  // the builder values the day before the range too (the range's first return needs it)
  const firstValued = job.from > start ? previousBusinessDay(job.from) : start;
  const market = await deps.market({
    sub: job.sub,
    baseCurrency: settings.baseCurrency,
    instruments: [...instruments.values()],
    currencies: [...currencies],
    from: firstValued,
    to: job.to,
    expectedCloses: businessDays(firstValued, job.to).length,
    ratesFrom: start,
  });
  const snapshots = buildEodSnapshots(deps.engine, {
    baseCurrency: settings.baseCurrency,
    lotMethod: settings.lotMethod,
    trades,
    from: job.from,
    to: job.to,
    market,
  });
  await deps.putSnapshots(job.sub, job.portfolioId, snapshots);
  return snapshots.length;
};
