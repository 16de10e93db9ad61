import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import { fxRateItem, TRACKED_SYMBOLS_PARTITION_KEY, trackedSymbolSortKey } from '@kupala/trade-model';
import { invoke } from '@kupala/trade-model/testing';
import { buildMarketDataStore } from '../../services/market-data/src/adapters/market-data-store';
import { main as getPositions } from '../../services/positions/src/functions/getPositions/handler';
import { streamEvent, streamRecord } from '../../services/positions/src/testing/stream-events';
import { tradesApi } from '../../services/trades/src/testing/requests';
import { positionsConsumers, subOf } from '../support/positions-stream';

/**
 * Issue 9, "a schedule refreshes the symbols that anyone holds": a trade booked through the trades handler reaches
 * the positions consumer as its stream record; the consumer's first holding of an instrument is handed to
 * market-data's real `followHeldSymbols` handler, which puts it on the refresh list the scheduled refresh reads.
 * Nobody asks for a quote here.
 */
describe('held instruments reach the refresh list through the positions consumer (DynamoDB Local)', () => {
  const consumers = positionsConsumers();
  const marketData = buildMarketDataStore(consumers.client, process.env.MARKET_DATA_TABLE as string);
  const run = Date.now().toString(36).toUpperCase();
  // run-unique symbols: the refresh list is shared by every test of this DynamoDB Local
  const usd = { assetClass: 'EQUITY', symbol: `HLDU${run}`, currency: 'USD' };
  const eur = { assetClass: 'EQUITY', symbol: `HLDE${run}`, currency: 'EUR' };

  const lastRequestedAt = async (symbol: string) =>
    (
      await consumers.client.send(
        new GetCommand({
          TableName: process.env.MARKET_DATA_TABLE,
          Key: { pk: TRACKED_SYMBOLS_PARTITION_KEY, sk: trackedSymbolSortKey(symbol) },
        }),
      )
    ).Item?.lastRequestedAt as string | undefined;

  it('follows a first holding (and its currency against the base), not every later trade of it', async () => {
    const token = await tokenFor(`held-${run}`);
    const sub = subOf(token);
    const api = tradesApi(token);
    const portfolioId = await api.createPortfolio({ name: 'Held', baseCurrency: 'USD', lotMethod: 'FIFO' });
    const book = async (body: Record<string, unknown>) => {
      const response = await api.book(portfolioId, body);
      expect(response.statusCode).toBe(201);
      expect(
        await consumers.deliverTrade(sub, portfolioId, (response.body as { tradeId: string }).tradeId),
      ).toEqual([]);
    };
    expect(await lastRequestedAt(usd.symbol)).toBeUndefined();

    await book({
      type: 'BUY',
      instrument: usd,
      quantity: '5',
      price: '10',
      currency: 'USD',
      tradeDate: '2026-01-05',
    });
    await book({
      type: 'BUY',
      instrument: eur,
      quantity: '2',
      price: '30',
      currency: 'EUR',
      // its own rate: no EUR/USD rate needs to be stored for it to apply
      fxRate: '1.1',
      tradeDate: '2026-01-05',
    });

    const now = new Date().toISOString();
    expect(await marketData.trackedSymbols(now)).toEqual(expect.arrayContaining([usd.symbol, eur.symbol]));
    expect(await marketData.trackedPairs(now)).toContainEqual({ base: 'EUR', quote: 'USD' });

    // a second trade of a held instrument opens nothing: the entry is not written again
    const followedAt = await lastRequestedAt(usd.symbol);
    expect(followedAt).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await book({
      type: 'BUY',
      instrument: usd,
      quantity: '1',
      price: '11',
      currency: 'USD',
      tradeDate: '2026-01-06',
    });
    expect(await lastRequestedAt(usd.symbol)).toBe(followedAt);
  });

  it('follows the pair of a trade that fails for want of any rate, so the refresh fetches it', async () => {
    const token = await tokenFor(`held-fx-${run}`);
    const sub = subOf(token);
    const api = tradesApi(token);
    // a pair no test stores rates for (MXN per PLN), which the simulated feed knows: other tests' refresh runs
    // over every tracked pair must not fail on it
    const portfolioId = await api.createPortfolio({ name: 'Zloty', baseCurrency: 'PLN', lotMethod: 'FIFO' });
    const response = await api.book(portfolioId, {
      type: 'BUY',
      instrument: { assetClass: 'EQUITY', symbol: `HLDI${run}`, currency: 'MXN' },
      quantity: '1',
      price: '10',
      currency: 'MXN',
      tradeDate: '2026-01-05',
    });
    expect(response.statusCode).toBe(201);

    const failures = await consumers.deliverTrade(
      sub,
      portfolioId,
      (response.body as { tradeId: string }).tradeId,
    );

    expect(failures).toHaveLength(1);
    expect(await marketData.trackedPairs(new Date().toISOString())).toContainEqual({
      base: 'MXN',
      quote: 'PLN',
    });
  });

  it('catches a portfolio up when the rate its trade waited for arrives: applied then, the wait cleared', async () => {
    const token = await tokenFor(`held-wait-${run}`);
    const sub = subOf(token);
    const api = tradesApi(token);
    // NOK per DKK: a pair no other test stores rates for (the simulated feed knows both)
    const portfolioId = await api.createPortfolio({ name: 'Krone', baseCurrency: 'NOK', lotMethod: 'FIFO' });
    const instrument = { assetClass: 'EQUITY', symbol: `HLDW${run}`, currency: 'DKK' };
    const booked = await api.book(portfolioId, {
      type: 'BUY',
      instrument,
      quantity: '4',
      price: '25',
      currency: 'DKK',
      tradeDate: '2026-01-07',
    });
    const tradeId = (booked.body as { tradeId: string }).tradeId;
    expect(await consumers.deliverTrade(sub, portfolioId, tradeId)).toHaveLength(1);
    const waiting = async () =>
      (await consumers.store.rateWaiters('DKK', 'NOK')).filter(
        (waiter) => waiter.portfolioId === portfolioId,
      );
    expect(await waiting()).toHaveLength(1);
    const readPositions = async () => {
      const read = await invoke(getPositions, {
        method: 'GET',
        path: `/portfolios/${portfolioId}/positions`,
        routePath: '/portfolios/{portfolioId}/positions',
        pathParameters: { portfolioId },
        token,
      });
      expect(read.statusCode).toBe(200);
      return read.body as { positions: Record<string, string>[]; waitingForRates?: unknown };
    };
    // the user is told why the trade is not in the positions yet
    expect(await readPositions()).toMatchObject({
      positions: [],
      waitingForRates: [{ from: 'DKK', to: 'NOK' }],
    });
    const positionOf = async () =>
      (await consumers.store.listPositions(sub, portfolioId)).find(
        (position) => position.instrument.symbol === instrument.symbol,
      );
    expect(await positionOf()).toBeUndefined();
    const rateArrives = async (base: string, quote: string, date: string, rate: string) => {
      const item = fxRateItem({ scope: { kind: 'feed' }, base, quote, date, rate, source: 'simulated' });
      await consumers.client.send(new PutCommand({ TableName: process.env.MARKET_DATA_TABLE, Item: item }));
      expect(await consumers.consumePrices(streamEvent([streamRecord(item, undefined)]))).toEqual({
        batchItemFailures: [],
      });
    };

    // a rate dated after the trade is not enough: the trade still cannot be applied, the portfolio still waits
    await rateArrives('NOK', 'DKK', '2026-01-08', '0.64');
    expect(await positionOf()).toBeUndefined();
    expect(await waiting()).toHaveLength(1);
    expect((await readPositions()).waitingForRates).toEqual([{ from: 'DKK', to: 'NOK' }]);

    // one on the trade's date (quoted the other way: 1 NOK = 0.64 DKK, so 1 DKK = 1 / 0.64 = 1.5625 NOK)
    await rateArrives('NOK', 'DKK', '2026-01-07', '0.64');

    // the trade is applied: 4 × 25 = 100 DKK, × 1.5625 = 156.25 NOK; the wait is cleared, the portfolio pushed
    expect(await positionOf()).toBeDefined();
    const read = await readPositions();
    expect(read.waitingForRates).toBeUndefined();
    const [only, ...others] = read.positions;
    expect(others).toEqual([]);
    expect(only).toMatchObject({
      instrumentKey: `EQUITY:${instrument.symbol}:DKK`,
      quantity: '4',
      costBasis: '100',
    });
    expect(Number(only?.costBasisBase)).toBe(156.25);
    expect(await waiting()).toEqual([]);
    expect(consumers.published).toContain(portfolioId);
  });
});
