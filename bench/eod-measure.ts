import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// Relative imports: the root package does not depend on the workspace packages by name.
import {
  batchWriteAll,
  createDocumentClient,
  mapWithConcurrency,
  type Trade,
} from '../packages/trade-model/src';
import { httpEvent, lambdaContext } from '../packages/trade-model/src/testing';
import { buildEodStore } from '../services/positions/src/adapters/eod-store';
import { businessDays, type EodSnapshot } from '../services/positions/src/domain/eod';
import type { EodBatch } from '../services/positions/src/domain/eod-run';
import { eodBuildDeps } from '../services/positions/src/eodSideEffects';
import { buildHandler as buildWorker } from '../services/positions/src/functions/buildEod/handler';
import { main as getPerformance } from '../services/positions/src/functions/getPerformance/handler';
import { buildHandler as buildSchedule } from '../services/positions/src/functions/scheduleEod/handler';
import { percentile } from './stats';

// decimal digits only: every character stays a valid ULID (Crockford base32 has no I, L, O, U)
const idOf = (prefix: string, index: number) => `${prefix}${String(index).padStart(6, '0')}`.padEnd(26, '0');

const env = (name: string) => process.env[name] ?? '';

/** The Trades-table item of a portfolio (what the portfolios reader reads). */
const portfolioItem = (sub: string, portfolioId: string) => ({
  pk: `USER#${sub}`,
  sk: `PORTFOLIO#${portfolioId}`,
  entity: 'PORTFOLIO',
  portfolioId,
  name: 'Bench',
  baseCurrency: 'USD',
  lotMethod: 'FIFO',
});

/** Seeds items 25 a call, `concurrency` calls in flight; unprocessed items retried (capped), a failure rejects. */
const writeAll = (tableName: string, items: Record<string, unknown>[], concurrency = 8) =>
  batchWriteAll(
    createDocumentClient(),
    tableName,
    items.map((Item) => ({ PutRequest: { Item } })),
    undefined,
    concurrency,
  );

export interface EodSnapshotOptions {
  portfolios: number;
  positions: number;
  /** The day snapshotted (what the nightly run builds). */
  day: string;
  /** Worker invocations in flight at once in this process (Lambda runs each batch in its own invocation). */
  invocations: number;
}

/** A document client whose every request (retries included) is counted by operation. */
const countingClient = () => {
  const counts = new Map<string, number>();
  const raw = new DynamoDBClient({});
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchRequestCounter' },
  );
  return { client: createDocumentClient(raw), counts };
};

/**
 * The nightly EOD run of `portfolios` portfolios of `positions` positions each: portfolios, a deposit and one
 * BUY per position in the Trades table, 10 feed closes per symbol in MarketData; then the production path,
 * timed in two parts: the scheduleEod handler (the EOD table's list of portfolios, which the Trades stream
 * consumer keeps and the seed fills as it would, read into batches of
 * EOD_BATCH_LIMIT), then the buildEod handler (production adapters: settings, trades, closes, batched writes)
 * on every batch, `invocations` at a time in this process. Every DynamoDB request of the snapshot is counted.
 */
export const measureEodSnapshot = async (options: EodSnapshotOptions) => {
  const trades: Record<string, unknown>[] = [];
  const jobs: { sub: string; portfolioId: string }[] = [];
  for (let p = 0; p < options.portfolios; p += 1) {
    const sub = `bench-eod-${p}`;
    const portfolioId = idOf('01JE0DP', p);
    jobs.push({ sub, portfolioId });
    trades.push(portfolioItem(sub, portfolioId));
    const pk = `USER#${sub}#PORTFOLIO#${portfolioId}`;
    const trade = (index: number, fields: Partial<Trade>): Record<string, unknown> => {
      const tradeId = idOf(`01JE0D${String(p).padStart(4, '0')}`, index);
      return {
        pk,
        sk: `TRADE#${tradeId}`,
        entity: 'TRADE',
        ownerSub: sub,
        tradeId,
        portfolioId,
        currency: 'USD',
        tradeDate: '2026-01-05',
        status: 'ACTIVE',
        version: 1,
        createdAt: '2026-01-05T00:00:00.000Z',
        updatedAt: '2026-01-05T00:00:00.000Z',
        ...fields,
      };
    };
    trades.push(trade(0, { type: 'DEPOSIT', amount: '1000000' }));
    for (let index = 0; index < options.positions; index += 1) {
      trades.push(
        trade(index + 1, {
          type: 'BUY',
          instrument: { assetClass: 'EQUITY', symbol: `EOD${index}`, currency: 'USD', multiplier: '1' },
          quantity: `${10 + (index % 7)}`,
          price: `${100 + index}.25`,
          fees: '1',
        }),
      );
    }
  }
  const closeDays = businessDays('2026-01-05', options.day).slice(-10);
  const closes = Array.from({ length: options.positions }, (_, index) =>
    closeDays.map((date, day) => ({
      pk: `PRICE#EOD${index}`,
      sk: `DATE#${date}`,
      entity: 'PRICE_CLOSE',
      symbol: `EOD${index}`,
      date,
      close: `${100 + index + day}.5`,
      currency: 'USD',
      source: 'simulated',
    })),
  ).flat();
  const seedStart = Date.now();
  await writeAll(env('TRADES_TABLE'), trades);
  await writeAll(env('MARKET_DATA_TABLE'), closes);
  const store = buildEodStore(createDocumentClient(), env('EOD_TABLE'));
  await store.registerPortfolios(jobs);
  const seedSeconds = (Date.now() - seedStart) / 1000;

  // 1. the schedule: the list of portfolios, batches collected as it dispatches them
  const list = countingClient();
  const queued: EodBatch[] = [];
  const schedule = buildSchedule(() => ({
    portfolios: { portfolios: buildEodStore(list.client, env('EOD_TABLE')).registeredPortfolios },
    worker: { dispatch: async (batch) => void queued.push(batch) },
    now: () => new Date(`${options.day}T23:00:00Z`),
  }));
  const scanStart = process.hrtime.bigint();
  const dispatched = await schedule({ date: options.day });
  const scanSeconds = Number(process.hrtime.bigint() - scanStart) / 1e9;
  const scanPages = list.counts.get('Query') ?? 0;

  // 2. the snapshot: the worker on every batch, `invocations` at a time (Lambda: parallel invocations)
  const { client, counts } = countingClient();
  const worker = buildWorker(() => eodBuildDeps(client));
  let days = 0;
  let written = 0;
  const batchDays: number[] = [];
  const skipped = { deleted: 0, noTradesYet: 0 };
  const start = process.hrtime.bigint();
  await mapWithConcurrency(queued, options.invocations, async (batch) => {
    const result = await worker(batch);
    days += result.days;
    written += result.written;
    skipped.deleted += result.skipped.deleted;
    skipped.noTradesYet += result.skipped.noTradesYet;
    batchDays.push(result.days);
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const batches = queued.length;
  if (
    days !== options.portfolios ||
    written !== options.portfolios ||
    dispatched.portfolios !== options.portfolios
  )
    throw new Error(
      `${days} snapshots written for ${options.portfolios} portfolios (${dispatched.portfolios} listed, ${written} written, skipped ${skipped.deleted} deleted and ${skipped.noTradesYet} without trades; days per batch: ${batchDays.join(' ')})`,
    );
  const sample = await store.getSnapshot(jobs[0]?.sub ?? '', jobs[0]?.portfolioId ?? '', options.day);
  if (sample?.positions.length !== options.positions || sample.netLiquidation === null)
    throw new Error('the first portfolio’s snapshot is not whole');
  const requests = [...counts.values()].reduce((sum, count) => sum + count, 0);
  return {
    seconds,
    listSeconds: scanSeconds,
    listQueries: scanPages,
    seedSeconds,
    batches,
    requests,
    byOperation: Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])),
    trades: trades.length,
    closes: closes.length,
  };
};

export interface PerformanceReadOptions {
  sub: string;
  token: string;
  years: number;
  warmup: number;
  requests: number;
}

/**
 * GET …/performance over `years` of daily EOD items of one portfolio (written through the EOD store: a
 * deposit a month, a random walk of values), the bundled handler in-process, sequential requests.
 */
export const measurePerformanceRead = async (options: PerformanceReadOptions) => {
  const portfolioId = idOf('01JPERF', 1);
  await writeAll(env('TRADES_TABLE'), [portfolioItem(options.sub, portfolioId)]);
  const end = '2026-11-30';
  const from = `${Number(end.slice(0, 4)) - options.years}-12-01`;
  const dates = businessDays(from, end);
  let value = 100_000;
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const snapshots: EodSnapshot[] = dates.map((date, index) => {
    const flow =
      index > 0 && date.slice(8) <= '03' && dates[index - 1]?.slice(5, 7) !== date.slice(5, 7) ? 1000 : 0;
    value = Math.round((value + flow) * (1 + (random() - 0.5) * 0.02) * 100) / 100;
    return {
      date,
      netLiquidation: value.toFixed(2),
      netFlows: flow.toFixed(2),
      dailyReturn: null,
      positions: [],
      cash: [{ currency: 'USD', balance: value.toFixed(2) }],
      closedRealizedPnlBase: '0',
      missing: [],
    };
  });
  await buildEodStore(createDocumentClient(), env('EOD_TABLE')).putSnapshots(
    options.sub,
    portfolioId,
    snapshots,
  );
  const request = {
    method: 'GET',
    path: `/portfolios/${portfolioId}/performance`,
    routePath: '/portfolios/{portfolioId}/performance',
    pathParameters: { portfolioId },
    token: options.token,
    query: { from, to: end },
  };
  const samples: number[] = [];
  for (let index = 0; index < options.warmup + options.requests; index += 1) {
    const startedAt = process.hrtime.bigint();
    const response = await getPerformance(httpEvent(request), lambdaContext('getPerformance'));
    const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
    if (response.statusCode !== 200) throw new Error(`GET performance answered ${response.statusCode}`);
    const body = JSON.parse(String(response.body)) as { twr: string | null; returnDays: number };
    if (body.twr === null || body.returnDays < dates.length - 2)
      throw new Error('performance was not computed');
    if (index >= options.warmup) samples.push(elapsedMs);
  }
  return { days: dates.length, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
};
