import * as lotEngine from '@kupala/lot-engine';
import type { Trade } from '@kupala/trade-model';
import type { PortfolioState } from '../adapters/portfolios-reader';
import { buildHandler as buildWorker } from '../functions/buildEod/handler';
import { buildHandler as buildResnapshot } from '../functions/resnapshotEod/handler';
import { buildHandler as buildSchedule } from '../functions/scheduleEod/handler';
import { streamEvent, streamRecord } from '../testing/stream-events';
import type { EodMarket } from './eod';
import {
  EOD_BATCH_LIMIT,
  type EodBatch,
  type EodBuildDeps,
  type EodJob,
  type EodWrite,
  type MarketRequest,
  PortfolioUnreadableError,
  portfolioKey,
  runEodJobs,
} from './eod-run';

// 2026-01-05 is a Monday. Every portfolio: DEPOSIT 1000 and BUY 5 XEOD @ 100 (fees 0) on 2026-01-05.
const portfolioId = (index: number) => `01JEDRN${String(index).padStart(19, '0')}`;
const tradesOf = (index: number): Trade[] =>
  [
    { type: 'DEPOSIT', amount: '1000' },
    {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: 'XEOD', currency: 'USD', multiplier: '1' },
      quantity: '5',
      price: '100',
      fees: '0',
    },
  ].map(
    (fields, sequence) =>
      ({
        tradeId: `01JEDTRADE${String(index * 10 + sequence).padStart(16, '0')}`,
        portfolioId: portfolioId(index),
        currency: 'USD',
        tradeDate: '2026-01-05',
        status: 'ACTIVE',
        version: 1,
        createdAt: '2026-01-05T00:00:00.000Z',
        updatedAt: '2026-01-05T00:00:00.000Z',
        ...fields,
      }) as Trade,
  );

/** XEOD closes at 110 on every day; no FX. */
const flatMarket: EodMarket = {
  closeOn: (_symbol, _currency, date) => ({ close: '110', date }),
  fx: (from, to) => (from === to ? '1' : undefined),
};

/**
 * Fake deps recording every call: `failing` portfolios' trade reads reject; `deleted` ones are marked deleted;
 * `purged` ones have no PORTFOLIO item and no trade; `orphaned` ones have no PORTFOLIO item but their trades;
 * `empty` ones are live without a trade; `cancelled` ones only have a cancelled trade.
 */
interface FakeOptions {
  failing?: string[];
  deleted?: string[];
  purged?: string[];
  orphaned?: string[];
  empty?: string[];
  cancelled?: string[];
}
const fakeDeps = (options: FakeOptions = {}) => {
  const calls = {
    settings: [] as string[][],
    trades: [] as string[],
    markets: [] as MarketRequest[][],
    writes: [] as EodWrite[][],
  };
  const has = (list: string[] | undefined, id: string) => (list ?? []).includes(id);
  const deps: EodBuildDeps = {
    engine: lotEngine,
    async statesOf(portfolios) {
      calls.settings.push(portfolios.map((portfolio) => portfolio.portfolioId));
      return new Map(
        portfolios
          .filter(({ portfolioId: id }) => !has(options.purged, id) && !has(options.orphaned, id))
          .map((portfolio): [string, PortfolioState] => [
            portfolioKey(portfolio),
            has(options.deleted, portfolio.portfolioId)
              ? { status: 'DELETED' }
              : { status: 'LIVE', settings: { baseCurrency: 'USD', lotMethod: 'FIFO' } },
          ]),
      );
    },
    async tradesOf(_sub, id) {
      calls.trades.push(id);
      if (has(options.failing, id)) throw new Error(`throttled reading ${id}`);
      if (has(options.purged, id) || has(options.empty, id)) return [];
      const trades = tradesOf(Number(id.slice(-3)));
      return has(options.cancelled, id)
        ? trades.slice(0, 1).map((trade) => ({ ...trade, status: 'CANCELLED' }) as Trade)
        : trades;
    },
    async markets(requests) {
      calls.markets.push([...requests]);
      return requests.map(() => flatMarket);
    },
    async putSnapshots(writes) {
      calls.writes.push([...writes]);
    },
  };
  return { deps, calls };
};

const jobOf = (index: number): EodJob => ({
  sub: `user-${index}`,
  portfolioId: portfolioId(index),
  from: '2026-01-06',
  to: '2026-01-06',
});

describe('runEodJobs: a batch of portfolios', () => {
  it('reads settings once and the market once for the whole batch, and writes every portfolio in one call', async () => {
    const { deps, calls } = fakeDeps();
    const jobs = [1, 2, 3].map(jobOf);
    const outcome = await runEodJobs(deps, jobs);
    expect(outcome).toEqual({ portfolios: 3, written: 3, days: 3, skipped: [], failed: [] });
    expect(calls.settings).toEqual([jobs.map((job) => job.portfolioId)]);
    expect(calls.trades.sort()).toEqual(jobs.map((job) => job.portfolioId));
    // one market call with one request per portfolio, in the jobs' order; the first day valued is the day
    // before the range (2026-01-05, the first trade's day), so 2 business days are valued
    expect(calls.markets).toHaveLength(1);
    expect(
      calls.markets[0]?.map((request) => [request.sub, request.from, request.to, request.expectedCloses]),
    ).toEqual(jobs.map((job) => [job.sub, '2026-01-05', '2026-01-06', 2]));
    expect(calls.markets[0]?.[0]?.instruments).toEqual([{ symbol: 'XEOD', currency: 'USD' }]);
    expect(calls.writes).toHaveLength(1);
    // each portfolio's 2026-01-06: cash 1000 − 5 × 100 = 500, XEOD 5 × 110 = 550, V = 1050; no flow that day
    expect(
      calls.writes[0]?.map((write) => [
        write.portfolioId,
        write.snapshots.map((day) => [day.date, day.netLiquidation]),
      ]),
    ).toEqual(jobs.map((job) => [job.portfolioId, [['2026-01-06', '1050']]]));
  });

  it('a portfolio whose read fails is reported and the others are written; a deleted one writes nothing', async () => {
    const { deps, calls } = fakeDeps({ failing: [portfolioId(2)], deleted: [portfolioId(3)] });
    const jobs = [1, 2, 3, 4].map(jobOf);
    const outcome = await runEodJobs(deps, jobs);
    expect(outcome.days).toBe(2);
    expect(outcome.written).toBe(2);
    expect(outcome.failed.map(({ job }) => job.portfolioId)).toEqual([portfolioId(2)]);
    expect(String(outcome.failed[0]?.error)).toContain('throttled');
    expect(outcome.skipped).toEqual([{ job: jobOf(3), reason: 'DELETED' }]);
    // the deleted portfolio's trades are never read
    expect(calls.trades.sort()).toEqual([portfolioId(1), portfolioId(2), portfolioId(4)]);
    expect(calls.writes[0]?.map((write) => write.portfolioId)).toEqual([portfolioId(1), portfolioId(4)]);
  });

  it('accounts for every portfolio: written, skipped with the reason, or failed; never silently dropped', async () => {
    const { deps, calls } = fakeDeps({
      deleted: [portfolioId(2)],
      purged: [portfolioId(3)],
      orphaned: [portfolioId(4)],
      empty: [portfolioId(5)],
      cancelled: [portfolioId(6)],
    });
    const jobs = [1, 2, 3, 4, 5, 6, 7].map(jobOf);
    const outcome = await runEodJobs(deps, jobs);
    // 1 and 7 written; 2 marked deleted and 3 purged (no item, no trade): DELETED; 5 without trades and 6 with
    // only a cancelled one: NO_TRADES_YET; 4 has trades but no PORTFOLIO item: its settings cannot be read
    expect(outcome.written).toBe(2);
    expect(outcome.days).toBe(2);
    const reasons = Object.fromEntries(outcome.skipped.map(({ job, reason }) => [job.portfolioId, reason]));
    expect(reasons).toEqual({
      [portfolioId(2)]: 'DELETED',
      [portfolioId(3)]: 'DELETED',
      [portfolioId(5)]: 'NO_TRADES_YET',
      [portfolioId(6)]: 'NO_TRADES_YET',
    });
    expect(outcome.failed.map(({ job }) => job.portfolioId)).toEqual([portfolioId(4)]);
    expect(outcome.failed[0]?.error).toBeInstanceOf(PortfolioUnreadableError);
    expect(String(outcome.failed[0]?.error)).toContain('2 trade items but no readable PORTFOLIO item');
    expect(outcome.written + outcome.skipped.length + outcome.failed.length).toBe(jobs.length);
    expect(calls.writes[0]?.map((write) => write.portfolioId)).toEqual([portfolioId(1), portfolioId(7)]);
  });

  it('a portfolio whose first trade is after the range has no day yet: skipped, and its market never read', async () => {
    const { deps, calls } = fakeDeps();
    // the trades are on 2026-01-05, so the first day is the Friday before (2026-01-02); the range ends 2026-01-01
    const outcome = await runEodJobs(deps, [{ ...jobOf(1), from: '2025-12-31', to: '2026-01-01' }]);
    expect(outcome).toMatchObject({ written: 0, days: 0, failed: [] });
    expect(outcome.skipped.map(({ reason }) => reason)).toEqual(['NO_TRADES_YET']);
    expect(calls.markets).toEqual([[]]);
    expect(calls.writes).toEqual([]);
  });
});

describe('buildEod worker: one job or a batch', () => {
  const batch = (count: number): EodBatch => ({
    from: '2026-01-06',
    to: '2026-01-06',
    portfolios: Array.from({ length: count }, (_, index) => ({
      sub: `user-${index}`,
      portfolioId: portfolioId(index),
    })),
  });

  it('builds a batch in one run and answers its days', async () => {
    const { deps, calls } = fakeDeps();
    await expect(buildWorker(() => deps)(batch(3))).resolves.toEqual({
      portfolios: 3,
      written: 3,
      days: 3,
      skipped: { deleted: 0, noTradesYet: 0 },
    });
    expect(calls.settings).toHaveLength(1);
  });

  it('answers how many of a batch were written and how many skipped, and why', async () => {
    const { deps } = fakeDeps({
      deleted: [portfolioId(0)],
      purged: [portfolioId(1)],
      empty: [portfolioId(2)],
    });
    await expect(buildWorker(() => deps)(batch(4))).resolves.toEqual({
      portfolios: 4,
      written: 1,
      days: 1,
      skipped: { deleted: 2, noTradesYet: 1 },
    });
  });

  it('fails the invocation when a listed portfolio has trades but no readable PORTFOLIO item', async () => {
    const { deps, calls } = fakeDeps({ orphaned: [portfolioId(1)] });
    await expect(buildWorker(() => deps)(batch(3))).rejects.toThrow(
      'EOD build failed for 1 of 3 portfolios (2 written, 0 skipped)',
    );
    expect(calls.writes[0]?.map((write) => write.portfolioId)).toEqual([portfolioId(0), portfolioId(2)]);
  });

  it('refuses an empty batch, one over the limit, and a malformed portfolio in a batch', async () => {
    const { deps, calls } = fakeDeps();
    const worker = buildWorker(() => deps);
    await expect(worker(batch(0))).rejects.toThrow('Not an EOD job');
    await expect(worker(batch(EOD_BATCH_LIMIT + 1))).rejects.toThrow('Not an EOD job');
    const bad = batch(2);
    bad.portfolios[1] = { sub: 'user-1', portfolioId: 'not-a-ulid' };
    await expect(worker(bad)).rejects.toThrow('Not an EOD job');
    await expect(worker({ ...batch(1), from: '2026-01-07' })).rejects.toThrow('Not an EOD job');
    expect(calls.settings).toEqual([]);
  });

  it('fails the invocation after writing the others when a portfolio fails (Lambda retries it)', async () => {
    const { deps, calls } = fakeDeps({ failing: [portfolioId(1)] });
    await expect(buildWorker(() => deps)(batch(3))).rejects.toThrow(
      'EOD build failed for 1 of 3 portfolios (2 written',
    );
    expect(calls.writes[0]?.map((write) => write.portfolioId)).toEqual([portfolioId(0), portfolioId(2)]);
  });

  it('a single job that fails rejects with its own error', async () => {
    const { deps } = fakeDeps({ failing: [portfolioId(1)] });
    await expect(buildWorker(() => deps)(jobOf(1))).rejects.toThrow(`throttled reading ${portfolioId(1)}`);
  });
});

describe('scheduleEod: the nightly run in batches', () => {
  it('dispatches the live portfolios in batches of EOD_BATCH_LIMIT for the last business day', async () => {
    const dispatched: EodBatch[] = [];
    const schedule = buildSchedule(() => ({
      portfolios: {
        async *portfolios() {
          for (let index = 0; index < 2 * EOD_BATCH_LIMIT + 7; index += 1)
            yield { sub: `user-${index}`, portfolioId: portfolioId(index) };
        },
      },
      worker: { dispatch: async (batch) => void dispatched.push(batch) },
      // Saturday 2026-01-10: the last business day is Friday 2026-01-09
      now: () => new Date('2026-01-10T12:00:00Z'),
    }));
    await expect(schedule({})).resolves.toEqual({ date: '2026-01-09', portfolios: 207, batches: 3 });
    expect(dispatched.map((batch) => [batch.from, batch.to, batch.portfolios.length])).toEqual([
      ['2026-01-09', '2026-01-09', 100],
      ['2026-01-09', '2026-01-09', 100],
      ['2026-01-09', '2026-01-09', 7],
    ]);
    // every portfolio once, in the scan's order
    expect(dispatched.flatMap((batch) => batch.portfolios.map((portfolio) => portfolio.portfolioId))).toEqual(
      Array.from({ length: 207 }, (_, index) => portfolioId(index)),
    );
  });
});

describe('resnapshotEod: the Trades stream keeps the nightly run’s list', () => {
  it('registers every portfolio seen once per batch, and rebuilds nothing newer than the last snapshot', async () => {
    const { deps, calls } = fakeDeps();
    const registered: string[][] = [];
    const record = (index: number, tradeDate: string) => {
      const trade = tradesOf(index)[0] as Trade;
      return streamRecord(
        {
          ...trade,
          pk: `USER#user-${index}#PORTFOLIO#${portfolioId(index)}`,
          sk: `TRADE#${trade.tradeId}`,
          entity: 'TRADE',
          ownerSub: `user-${index}`,
          tradeDate,
        },
        undefined,
      );
    };
    const consumer = buildResnapshot(() => ({
      build: deps,
      register: async (portfolios) =>
        void registered.push(portfolios.map((portfolio) => portfolio.portfolioId)),
      // the last snapshot is 2026-01-05: trades of 01-07 are newer, nothing to rebuild
      lastDay: async () => '2026-01-05',
    }));
    const answer = await consumer(
      streamEvent([record(1, '2026-01-07'), record(2, '2026-01-08'), record(1, '2026-01-09')]),
    );
    expect(answer.batchItemFailures).toEqual([]);
    expect(registered).toEqual([[portfolioId(1), portfolioId(2)]]);
    expect(calls.writes).toEqual([]);
  });
});

describe('runEodJobs: what a batch holds goes to market-data', () => {
  it('names once the symbols open on the last day written and the foreign currencies, not a sold-out one', async () => {
    const { deps } = fakeDeps();
    const followed: { symbols: string[]; pairs: { base: string; quote: string }[] }[] = [];
    // portfolios 1 and 3 as above (5 XEOD each); 2 bought 5 XOUT and sold them all, and holds 3 XEU (EUR, at its
    // own rate 1.1) and its EUR cash (−300 EUR: 3 × 100)
    const trades = (index: number): Trade[] => {
      const [deposit, buy] = tradesOf(index) as [Trade, Trade];
      if (index !== 2) return [deposit, buy];
      const out = { assetClass: 'EQUITY', symbol: 'XOUT', currency: 'USD', multiplier: '1' };
      return [
        deposit,
        { ...buy, instrument: out } as Trade,
        {
          ...buy,
          instrument: out,
          tradeId: '01JEDSELL0000000000000000A',
          type: 'SELL',
          price: '105',
        } as Trade,
        {
          ...buy,
          tradeId: '01JEDBUYEU000000000000000A',
          instrument: { assetClass: 'EQUITY', symbol: 'XEU', currency: 'EUR', multiplier: '1' },
          quantity: '3',
          currency: 'EUR',
          fxRate: '1.1',
        } as Trade,
      ];
    };
    const outcome = await runEodJobs(
      {
        ...deps,
        tradesOf: async (_sub, id) => trades(Number(id.slice(-3))),
        follower: { follow: async (held) => void followed.push(held) },
      },
      [1, 2, 3].map(jobOf),
    );
    expect(outcome.written).toBe(3);
    expect(followed).toEqual([{ symbols: ['XEOD', 'XEU'], pairs: [{ base: 'EUR', quote: 'USD' }] }]);
  });

  it('names nothing when nothing was written', async () => {
    const { deps } = fakeDeps({ empty: [portfolioId(1)] });
    const followed: unknown[] = [];
    await runEodJobs({ ...deps, follower: { follow: async (held) => void followed.push(held) } }, [jobOf(1)]);
    expect(followed).toEqual([]);
  });
});
