import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import { createDocumentClient } from '@kupala/trade-model';
import { invoke } from '@kupala/trade-model/testing';
import { main as putManualPrices } from '../../services/market-data/src/functions/putManualPrices/handler';
import type { EodJob } from '../../services/positions/src/domain/eod-run';
import { eodHttpSideEffects } from '../../services/positions/src/eodSideEffects';
import { main as buildEod } from '../../services/positions/src/functions/buildEod/handler';
import { main as getHistory } from '../../services/positions/src/functions/getHistory/handler';
import { main as getPerformance } from '../../services/positions/src/functions/getPerformance/handler';
import { buildHandler as buildRequestEod } from '../../services/positions/src/functions/requestEod/handler';
import { main as resnapshotEod } from '../../services/positions/src/functions/resnapshotEod/handler';
import { streamEvent, streamRecord } from '../../services/positions/src/testing/stream-events';
import { tradesApi } from '../../services/trades/src/testing/requests';
import { subOf } from '../support/positions-stream';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/**
 * EOD through the real handlers against DynamoDB Local: trades booked through the trades handlers, manual closes
 * entered through market-data's PUT …/prices, POST …/eod queuing a job that the worker handler runs, history and
 * performance read back through their routes, and the Trades stream record of a back-dated trade driving the
 * re-snapshot.
 *
 * The week (2026-02-02 is a Monday), one instrument XEOD, base USD, every figure by hand:
 *   Mon 02-02 DEPOSIT 1000, BUY 10 @ 100            close 100  V = 1000          F = +1000
 *   Tue 02-03 DEPOSIT 1000 (on a down day)           close  90  V = 900 + 1000     F = +1000
 *   Wed 02-04                                        close  99  V = 990 + 1000 = 1990
 *   Thu 02-05 SELL 10 @ 110                          close 110  V = 2100 (cash)
 *   Fri 02-06 WITHDRAWAL 2100 (to zero)                         V = 0             F = −2100
 * The first snapshot is Fri 01-30 (the business day before the first trade), worth 0.
 */
describe('EOD snapshots, history and performance against DynamoDB Local', () => {
  const client = createDocumentClient();
  const queued: EodJob[] = [];
  const requestEod = buildRequestEod(() => ({
    ...eodHttpSideEffects(),
    worker: { dispatch: async (job) => void queued.push(job) },
  }));
  let token: string;
  let sub: string;
  let portfolioId: string;
  const path = (suffix: string) => ({
    path: `/portfolios/${portfolioId}/${suffix}`,
    routePath: `/portfolios/{portfolioId}/${suffix}`,
    pathParameters: { portfolioId },
    token,
  });
  const history = async (query: Record<string, string>) => {
    const response = await invoke(getHistory, { method: 'GET', ...path('history'), query });
    expect(response.statusCode).toBe(200);
    return response.body as { items: Record<string, string | null>[]; nextCursor: string | null };
  };
  const performance = async (query: Record<string, string>) => {
    const response = await invoke(getPerformance, { method: 'GET', ...path('performance'), query });
    expect(response.statusCode).toBe(200);
    return response.body as Record<string, unknown> & { reasons: Record<string, string> };
  };
  const storedItems = async () =>
    (
      await client.send(
        new QueryCommand({
          TableName: env('EOD_TABLE'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `USER#${sub}#PORTFOLIO#${portfolioId}` },
        }),
      )
    ).Items ?? [];
  const runQueued = async () => {
    for (const job of queued.splice(0)) await buildEod(job);
  };
  const deliverTrade = async (tradeId: string, before?: Record<string, unknown>) => {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: env('TRADES_TABLE'),
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': `USER#${sub}#PORTFOLIO#${portfolioId}`,
          ':sk': `TRADE#${tradeId}`,
        },
      }),
    );
    const item = Items?.[0];
    const answer = await resnapshotEod(streamEvent([streamRecord(item, before)]));
    expect(answer.batchItemFailures).toEqual([]);
    return item;
  };

  beforeAll(async () => {
    token = await tokenFor(`eod-${Date.now()}`);
    sub = subOf(token);
    const api = tradesApi(token);
    portfolioId = await api.createPortfolio({ name: 'EOD', baseCurrency: 'USD', lotMethod: 'FIFO' });
    const xeod = { assetClass: 'EQUITY', symbol: 'XEOD', currency: 'USD' };
    for (const body of [
      { type: 'DEPOSIT', amount: '1000', currency: 'USD', tradeDate: '2026-02-02' },
      {
        type: 'BUY',
        instrument: xeod,
        quantity: '10',
        price: '100',
        currency: 'USD',
        tradeDate: '2026-02-02',
      },
      { type: 'DEPOSIT', amount: '1000', currency: 'USD', tradeDate: '2026-02-03' },
      {
        type: 'SELL',
        instrument: xeod,
        quantity: '10',
        price: '110',
        currency: 'USD',
        tradeDate: '2026-02-05',
      },
      { type: 'WITHDRAWAL', amount: '2100', currency: 'USD', tradeDate: '2026-02-06' },
    ]) {
      expect((await api.book(portfolioId, body)).statusCode).toBe(201);
    }
    // the manual closes as a user enters them (PUT /instruments/{symbol}/prices: the series header, then the closes)
    const prices = await invoke(putManualPrices, {
      method: 'PUT',
      path: '/instruments/XEOD/prices',
      routePath: '/instruments/{symbol}/prices',
      pathParameters: { symbol: 'XEOD' },
      token,
      body: {
        currency: 'USD',
        prices: [
          { date: '2026-02-02', close: '100' },
          { date: '2026-02-03', close: '90' },
          { date: '2026-02-04', close: '99' },
          { date: '2026-02-05', close: '110' },
        ],
      },
    });
    expect(prices.statusCode).toBe(200);
  });

  it('POST …/eod answers 202 and queues the range; the worker writes one snapshot per business day', async () => {
    const response = await invoke(requestEod, {
      method: 'POST',
      ...path('eod'),
      body: { from: '2026-01-26', to: '2026-02-06' },
    });
    expect(response.statusCode).toBe(202);
    expect(response.body).toEqual({ portfolioId, from: '2026-01-26', to: '2026-02-06', status: 'ACCEPTED' });
    expect(queued).toEqual([{ sub, portfolioId, from: '2026-01-26', to: '2026-02-06' }]);
    await runQueued();
    // 01-30 (the zero day) and 02-02 … 02-06: days before the first snapshot day hold nothing
    const items = await storedItems();
    expect(items.filter((item) => String(item.sk).startsWith('DAY#')).length).toBe(6);
    // and their series, packed in one item for 2026 (what performance reads)
    expect(items.filter((item) => String(item.sk).startsWith('SERIES#')).map((item) => item.sk)).toEqual([
      'SERIES#2026',
    ]);
  });

  it('GET …/history serves V_t, F_t and r_t per day', async () => {
    const { items, nextCursor } = await history({ from: '2026-01-01', to: '2026-02-28' });
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      { date: '2026-01-30', netLiquidation: '0', netFlows: '0', dailyReturn: null },
      // r = 1000 / (0 + 1000) − 1 = 0
      { date: '2026-02-02', netLiquidation: '1000', netFlows: '1000', dailyReturn: '0' },
      // r = 1900 / (1000 + 1000) − 1 = −0.05
      { date: '2026-02-03', netLiquidation: '1900', netFlows: '1000', dailyReturn: '-0.05' },
      // r = 1990 / 1900 − 1 = 90 / 1900 = 0.04736842105263157894|7… → 20 places half-even
      { date: '2026-02-04', netLiquidation: '1990', netFlows: '0', dailyReturn: '0.04736842105263157895' },
      // r = 2100 / 1990 − 1 = 110 / 1990 = 0.05527638190954773869|3…
      { date: '2026-02-05', netLiquidation: '2100', netFlows: '0', dailyReturn: '0.05527638190954773869' },
      // capital at the start 2100 − 2100 = 0: no return (never −100%)
      { date: '2026-02-06', netLiquidation: '0', netFlows: '-2100', dailyReturn: null },
    ]);
    const firstPage = await history({ from: '2026-01-01', to: '2026-02-28', limit: '4' });
    expect(firstPage.items.map((day) => day.date)).toEqual([
      '2026-01-30',
      '2026-02-02',
      '2026-02-03',
      '2026-02-04',
    ]);
    const secondPage = await history({
      from: '2026-01-01',
      to: '2026-02-28',
      limit: '4',
      cursor: firstPage.nextCursor as string,
    });
    expect(secondPage.items.map((day) => day.date)).toEqual(['2026-02-05', '2026-02-06']);
  });

  it('GET …/performance: a range starting before the first trade, a deposit on a down day, a withdrawal to zero', async () => {
    const report = await performance({ from: '2026-01-01', to: '2026-02-28' });
    // TWR = (1 + 0)(1 − 0.05)(1990/1900)(2100/1990) − 1 = 0.95 × 2100/1900 − 1 = 1995/1900 − 1 = 0.05
    expect(report.twr).toBe('0.0500000000');
    // index 1, 0.95, 0.995, 1.05: the worst fall from a peak is 0.95 / 1 − 1
    expect(report.maxDrawdown).toBe('-0.0500000000');
    expect(report.returnDays).toBe(4);
    // sample standard deviation of (0, −0.05, 90/1900, 110/1990) × √252, worked out with 50-digit decimals:
    // mean 0.013161200740543..., Σ(r − mean)² / 3 = 0.0023687917..., √ × 15.8745078664 = 0.772616113464522…
    expect(Number(report.volatility)).toBeCloseTo(0.7726161135, 9);
    // XIRR: −1000 on 02-02, −1000 on 02-03, +2100 on 02-06 (the end value is 0):
    // 1000 (1 + r)^(4/365) + 1000 (1 + r)^(3/365) = 2100 → r = 160.674733050286… (5% in 4 days, annualized)
    expect(Number(report.mwr)).toBeCloseTo(160.67473305, 6);
    expect(report.from).toBe('2026-01-30');
    expect(report.to).toBe('2026-02-06');
    expect(report.baseCurrency).toBe('USD');
  });

  it('GET …/performance of a range measures its first day from the close before it', async () => {
    // series 1900 (02-03, before the range), 1990, 2100: TWR = 2100 / 1900 − 1 = 0.10526315789|47…
    const report = await performance({ from: '2026-02-04', to: '2026-02-05' });
    expect(report.twr).toBe('0.1052631579');
    expect(report.maxDrawdown).toBe('0.0000000000');
    expect(report.from).toBe('2026-02-04');
  });

  it('figures that cannot be computed are null with a reason, never 0%', async () => {
    const report = await performance({ from: '2026-03-02', to: '2026-03-31' });
    expect(report).toMatchObject({ twr: null, mwr: null, volatility: null, maxDrawdown: null });
    expect(report.reasons.twr).toMatch(/fewer than 2/);
  });

  it('a rerun writes the same items under the same keys: no duplicates', async () => {
    const before = await storedItems();
    queued.push({ sub, portfolioId, from: '2026-01-26', to: '2026-02-06' });
    await runQueued();
    expect(await storedItems()).toEqual(before);
  });

  it('a back-dated trade re-snapshots its days; cancelling it restores them', async () => {
    const before = await storedItems();
    const api = tradesApi(token);
    // a dividend of 50 on Wed 02-04 (income, not an external flow): V rises by 50 from 02-04 on
    const booked = await api.book(portfolioId, {
      type: 'DIVIDEND',
      instrument: { assetClass: 'EQUITY', symbol: 'XEOD', currency: 'USD' },
      amount: '50',
      currency: 'USD',
      tradeDate: '2026-02-04',
    });
    expect(booked.statusCode).toBe(201);
    const tradeId = (booked.body as { tradeId: string }).tradeId;
    const item = await deliverTrade(tradeId);
    const after = await history({ from: '2026-02-03', to: '2026-02-06' });
    expect(after.items).toEqual([
      { date: '2026-02-03', netLiquidation: '1900', netFlows: '1000', dailyReturn: '-0.05' },
      // r = 2040 / 1900 − 1 = 140 / 1900 = 0.07368421052631578947|3…
      { date: '2026-02-04', netLiquidation: '2040', netFlows: '0', dailyReturn: '0.07368421052631578947' },
      // r = 2150 / 2040 − 1 = 110 / 2040 = 0.05392156862745098039|2…
      { date: '2026-02-05', netLiquidation: '2150', netFlows: '0', dailyReturn: '0.05392156862745098039' },
      // 50 left after the withdrawal: r = 50 / (2150 − 2100) − 1 = 0
      { date: '2026-02-06', netLiquidation: '50', netFlows: '-2100', dailyReturn: '0' },
    ]);
    expect((await storedItems()).length).toBe(before.length);

    expect((await api.cancel(portfolioId, tradeId)).statusCode).toBe(200);
    await deliverTrade(tradeId, item);
    expect(await storedItems()).toEqual(before);
  });

  it("another user's portfolio answers 404 and queues nothing", async () => {
    const mallory = await tokenFor(`eod-mallory-${Date.now()}`);
    const response = await invoke(requestEod, { method: 'POST', ...path('eod'), token: mallory, body: {} });
    expect(response.statusCode).toBe(404);
    expect(queued).toEqual([]);
  });

  it('refuses a range longer than 10 years, stating the rule', async () => {
    const response = await invoke(getHistory, {
      method: 'GET',
      ...path('history'),
      query: { from: '2010-01-01', to: '2026-01-01' },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body)).toContain('the range must span at most 3653 days (10 years)');
  });
});
