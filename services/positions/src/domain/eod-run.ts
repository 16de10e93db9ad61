import { Decimal, mapWithConcurrency, type Trade } from '@kupala/trade-model';
import type { PortfolioSettings, PortfolioState } from '../adapters/portfolios-reader';
import type { LotEngine } from './engine';
import {
  buildEodSnapshots,
  businessDays,
  type EodMarket,
  type EodSnapshot,
  firstSnapshotDay,
  previousBusinessDay,
} from './eod';
import { type HeldFollower, type HeldInstruments, heldInstruments, mergeHeld } from './held-instruments';
import { positionOf } from './trade-events';

/** A portfolio, by owner and id. */
export interface PortfolioRef {
  sub: string;
  portfolioId: string;
}

/** One unit of EOD work: (re)build the snapshots of a portfolio's days within [from, to]. */
export interface EodJob extends PortfolioRef {
  from: string;
  to: string;
}

/** The nightly run's unit of work: one range for a batch of portfolios (one worker invocation). */
export interface EodBatch {
  from: string;
  to: string;
  portfolios: PortfolioRef[];
}

/** The days of one portfolio to overwrite. */
export interface EodWrite extends PortfolioRef {
  snapshots: readonly EodSnapshot[];
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

/**
 * What an EOD build touches; tests pass their own. Reads and writes are per batch of portfolios, so that what
 * the portfolios share (settings in one read, the feed's closes of a symbol, the day items' writes) costs one
 * request per batch instead of one per portfolio.
 */
export interface EodBuildDeps {
  engine: LotEngine;
  /**
   * What the Trades table says of each portfolio, keyed by `portfolioKey`: LIVE with its settings or DELETED;
   * absent when it has no PORTFOLIO item.
   */
  statesOf(portfolios: readonly PortfolioRef[]): Promise<ReadonlyMap<string, PortfolioState>>;
  tradesOf(sub: string, portfolioId: string): Promise<Trade[]>;
  /** The market of each request, in the requests' order. */
  markets(requests: readonly MarketRequest[]): Promise<EodMarket[]>;
  putSnapshots(writes: readonly EodWrite[]): Promise<void>;
  /**
   * Told what the batch's portfolios hold on their last day written, so market-data keeps it priced (the nightly
   * worker's; a re-snapshot of past days has none). Best effort: it never rejects.
   */
  follower?: HeldFollower;
}

/** At most this many portfolios per worker invocation (the nightly run's batches; bounds the event too). */
export const EOD_BATCH_LIMIT = 100;
/** Trade reads of a batch in flight at once. */
const TRADE_READS_IN_FLIGHT = 8;

export const portfolioKey = ({ sub, portfolioId }: PortfolioRef): string => `${sub}#${portfolioId}`;

/** Why a listed portfolio was rightly not written: deleted (marked, or purged with its trades), or no trade yet. */
export type EodSkipReason = 'DELETED' | 'NO_TRADES_YET';

/**
 * What a batch did with every one of its jobs: written (its days overwritten), skipped with the reason, or
 * failed with the error (`written + skipped + failed` is always the batch's size).
 */
export interface EodBatchOutcome {
  portfolios: number;
  written: number;
  days: number;
  skipped: { job: EodJob; reason: EodSkipReason }[];
  failed: { job: EodJob; error: unknown }[];
}

/** A listed portfolio whose PORTFOLIO item is missing while its trades are there: its settings cannot be read. */
export class PortfolioUnreadableError extends Error {
  override readonly name = 'PortfolioUnreadableError';
  constructor(job: PortfolioRef, trades: number) {
    super(
      `Portfolio ${job.portfolioId} has ${trades} trade items but no readable PORTFOLIO item: its settings cannot be read`,
    );
  }
}

interface Plan {
  job: EodJob;
  settings: PortfolioSettings;
  trades: Trade[];
  request: MarketRequest;
}

/** What a job needs of the market, or undefined when there is nothing to build (no trades). */
const planOf = (job: EodJob, settings: PortfolioSettings, all: readonly Trade[]): Plan | undefined => {
  const trades = all.filter((trade) => trade.status === 'ACTIVE');
  const start = firstSnapshotDay(trades);
  if (start === undefined || start > job.to) return undefined;
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
  return {
    job,
    settings,
    trades,
    request: {
      sub: job.sub,
      baseCurrency: settings.baseCurrency,
      instruments: [...instruments.values()],
      currencies: [...currencies],
      from: firstValued,
      to: job.to,
      expectedCloses: businessDays(firstValued, job.to).length,
      ratesFrom: start,
    },
  };
};

/** What a portfolio holds on the last day written: its open positions' instruments and non-zero cash. */
const heldOnLastDay = (plan: Plan, write: EodWrite): HeldInstruments => {
  const last = write.snapshots.at(-1);
  if (last === undefined) return { symbols: [], pairs: [] };
  const instrumentOf = new Map(
    plan.trades.flatMap((trade) => {
      const key = positionOf(trade);
      return key === undefined || trade.instrument === undefined ? [] : [[key, trade.instrument] as const];
    }),
  );
  const open = last.positions.filter((position) => !new Decimal(position.quantity).eq(0));
  return heldInstruments(
    open.flatMap((position) => {
      const instrument = instrumentOf.get(position.instrumentKey);
      return instrument === undefined ? [] : [instrument];
    }),
    last.cash.filter((cash) => !new Decimal(cash.balance).eq(0)).map((cash) => cash.currency),
    plan.settings.baseCurrency,
  );
};

/**
 * Rebuilds the days of a batch of jobs from each portfolio's trades and the market's closes and rates, and
 * overwrites their snapshots (idempotent: a rerun writes the same items under the same keys). Every job is
 * accounted for: written; skipped when the portfolio is deleted (marked deleted, or without PORTFOLIO item and
 * without trades: purged) or has no active trade on or before the range's end; or failed when its reads or its
 * build fail, or when its PORTFOLIO item is missing while its trades are there (never a silent skip). The
 * others are written all the same; a failure of what the batch shares (the market, the writes) rejects.
 */
export const runEodJobs = async (deps: EodBuildDeps, jobs: readonly EodJob[]): Promise<EodBatchOutcome> => {
  const failed: EodBatchOutcome['failed'] = [];
  const skipped: EodBatchOutcome['skipped'] = [];
  const states = await deps.statesOf(jobs);
  const plans = (
    await mapWithConcurrency(jobs, TRADE_READS_IN_FLIGHT, async (job) => {
      const state = states.get(portfolioKey(job));
      if (state?.status === 'DELETED') {
        skipped.push({ job, reason: 'DELETED' });
        return undefined;
      }
      try {
        const trades = await deps.tradesOf(job.sub, job.portfolioId);
        if (state === undefined) {
          if (trades.length > 0) throw new PortfolioUnreadableError(job, trades.length);
          skipped.push({ job, reason: 'DELETED' });
          return undefined;
        }
        const plan = planOf(job, state.settings, trades);
        if (plan === undefined) skipped.push({ job, reason: 'NO_TRADES_YET' });
        return plan;
      } catch (error: unknown) {
        failed.push({ job, error });
        return undefined;
      }
    })
  ).filter((plan): plan is Plan => plan !== undefined);
  const markets = await deps.markets(plans.map((plan) => plan.request));
  if (markets.length !== plans.length)
    throw new Error(`${markets.length} markets answered for ${plans.length} portfolios`);
  const writes: EodWrite[] = [];
  plans.forEach((plan, index) => {
    try {
      const snapshots = buildEodSnapshots(deps.engine, {
        baseCurrency: plan.settings.baseCurrency,
        lotMethod: plan.settings.lotMethod,
        trades: plan.trades,
        from: plan.job.from,
        to: plan.job.to,
        market: markets[index] as EodMarket,
      });
      if (snapshots.length === 0) skipped.push({ job: plan.job, reason: 'NO_TRADES_YET' });
      else writes.push({ sub: plan.job.sub, portfolioId: plan.job.portfolioId, snapshots });
    } catch (error: unknown) {
      failed.push({ job: plan.job, error });
    }
  });
  if (writes.length > 0) await deps.putSnapshots(writes);
  if (deps.follower !== undefined && writes.length > 0) {
    const planOfWrite = new Map(plans.map((plan) => [portfolioKey(plan.job), plan]));
    const held = mergeHeld(
      writes.map((write) => heldOnLastDay(planOfWrite.get(portfolioKey(write)) as Plan, write)),
    );
    if (held.symbols.length > 0 || held.pairs.length > 0) await deps.follower.follow(held);
  }
  return {
    portfolios: jobs.length,
    written: writes.length,
    days: writes.reduce((sum, write) => sum + write.snapshots.length, 0),
    skipped,
    failed,
  };
};

/** One portfolio's job (POST …/eod, the re-snapshot): answers the days written, rejects when it failed. */
export const runEodJob = async (deps: EodBuildDeps, job: EodJob): Promise<number> => {
  const { days, failed } = await runEodJobs(deps, [job]);
  if (failed[0] !== undefined) throw failed[0].error;
  return days;
};
