import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { tokenFor } from '@kupala/local-stack';
import { priceCloseItem } from '@kupala/trade-model';
import { invoke } from '@kupala/trade-model/testing';
import { main as getRebalance } from '../../services/positions/src/functions/getRebalance/handler';
import { main as putTargets } from '../../services/positions/src/functions/putTargets/handler';
import { main as reconcile } from '../../services/positions/src/functions/reconcile/handler';
import { tradesApi } from '../../services/trades/src/testing/requests';
import { positionsConsumers, subOf } from '../support/positions-stream';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/**
 * Targets, rebalance and reconcile through their handlers against DynamoDB Local, on positions the Trades
 * stream consumer derived from trades booked through the trades handlers. Base USD:
 *   DEPOSIT 10000; BUY 10 XRBA @ 100; BUY 20 XRBB @ 50 → cash 8000
 *   closes XRBA 130, XRBB 50, XRBC 200 (not held) → total 8000 + 1300 + 1000 = 10300
 */
describe('targets, rebalance and reconcile against DynamoDB Local', () => {
  const consumers = positionsConsumers();
  let token: string;
  let sub: string;
  let portfolioId: string;
  const call = (handler: typeof getRebalance, method: string, suffix: string, body?: unknown, as = token) =>
    invoke(handler, {
      method,
      path: `/portfolios/${portfolioId}/${suffix}`,
      routePath: `/portfolios/{portfolioId}/${suffix}`,
      pathParameters: { portfolioId },
      token: as,
      ...(body === undefined ? {} : { body }),
    });

  beforeAll(async () => {
    token = await tokenFor(`rebalance-${Date.now()}`);
    sub = subOf(token);
    const api = tradesApi(token);
    portfolioId = await api.createPortfolio({ name: 'Rebalance', baseCurrency: 'USD', lotMethod: 'FIFO' });
    for (const [symbol, close] of [
      ['XRBA', '130'],
      ['XRBB', '50'],
      ['XRBC', '200'],
    ] as const) {
      await consumers.client.send(
        new PutCommand({
          TableName: env('MARKET_DATA_TABLE'),
          Item: priceCloseItem({
            scope: { kind: 'manual', sub },
            symbol,
            date: '2026-03-02',
            close,
            currency: 'USD',
            source: 'manual',
          }),
        }),
      );
    }
    const equity = (symbol: string) => ({ assetClass: 'EQUITY', symbol, currency: 'USD' });
    for (const body of [
      { type: 'DEPOSIT', amount: '10000', currency: 'USD', tradeDate: '2026-03-02' },
      {
        type: 'BUY',
        instrument: equity('XRBA'),
        quantity: '10',
        price: '100',
        currency: 'USD',
        tradeDate: '2026-03-02',
      },
      {
        type: 'BUY',
        instrument: equity('XRBB'),
        quantity: '20',
        price: '50',
        currency: 'USD',
        tradeDate: '2026-03-02',
      },
    ]) {
      const booked = await api.book(portfolioId, body);
      expect(booked.statusCode).toBe(201);
      expect(
        await consumers.deliverTrade(sub, portfolioId, (booked.body as { tradeId: string }).tradeId),
      ).toEqual([]);
    }
  });

  it('GET …/rebalance without targets answers 409', async () => {
    const response = await call(getRebalance, 'GET', 'rebalance');
    expect(response.statusCode).toBe(409);
  });

  it('PUT …/targets refuses weights summing to more than 1', async () => {
    const response = await call(putTargets, 'PUT', 'targets', {
      weights: { 'EQUITY:XRBA:USD': '0.7', 'EQUITY:XRBB:USD': '0.4' },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.body)).toContain('the weights must sum to at most 1');
  });

  it('proposes whole-unit trades within the cash, and states the drift they leave', async () => {
    const put = await call(putTargets, 'PUT', 'targets', {
      weights: { 'EQUITY:XRBA:USD': '0.5', 'EQUITY:XRBB:USD': '0.3', 'EQUITY:XRBC:USD': '0.1' },
    });
    expect(put.statusCode).toBe(200);
    const response = await call(getRebalance, 'GET', 'rebalance');
    expect(response.statusCode).toBe(200);
    // targets in value: XRBA 5150 → 39.6 units, XRBB 3090 → 61.8, XRBC 1030 → 5.15; purchases rounded down:
    // +29 XRBA (3770), +41 XRBB (2050), +5 XRBC (1000) leave 1180 of cash. Then one more step where it fits and
    // brings a holding closer: XRBA is 80 under (step 130 > 65), XRBB 40 under (step 50 > 25), XRBC 30 under
    // (step 200: no). XRBA first, then XRBB: cash 1180 − 130 − 50 = 1000.
    expect(response.body).toEqual({
      baseCurrency: 'USD',
      totalValue: '10300',
      trades: [
        { instrumentKey: 'EQUITY:XRBA:USD', side: 'BUY', quantity: '30', estimatedValue: '3900' },
        { instrumentKey: 'EQUITY:XRBB:USD', side: 'BUY', quantity: '42', estimatedValue: '2100' },
        { instrumentKey: 'EQUITY:XRBC:USD', side: 'BUY', quantity: '5', estimatedValue: '1000' },
      ],
      cashAfter: '1000',
      // 1000 / 10300 = 0.097087378… → 8 places
      cashWeightAfter: '0.09708738',
      drift: [
        // 1300 / 10300 = 0.12621359; after 40 × 130 = 5200 / 10300 = 0.50485437
        {
          instrumentKey: 'EQUITY:XRBA:USD',
          targetWeight: '0.5',
          currentWeight: '0.12621359',
          weightAfter: '0.50485437',
          drift: '0.00485437',
        },
        // 1000 / 10300 = 0.09708738; after 62 × 50 = 3100 / 10300 = 0.30097087
        {
          instrumentKey: 'EQUITY:XRBB:USD',
          targetWeight: '0.3',
          currentWeight: '0.09708738',
          weightAfter: '0.30097087',
          drift: '0.00097087',
        },
        // after 5 × 200 = 1000 / 10300 = 0.09708738
        {
          instrumentKey: 'EQUITY:XRBC:USD',
          targetWeight: '0.1',
          currentWeight: '0',
          weightAfter: '0.09708738',
          drift: '-0.00291262',
        },
      ],
    });
  });

  it('reconciles a generic CSV statement: quantity breaks beyond the tolerance, rows missing on either side', async () => {
    const content = 'Symbol,Quantity,Currency,Cost Basis\nXRBA,10,USD,1000\nXRBB,21,USD,1000\nZZZ,5,USD,10\n';
    const strict = await call(reconcile, 'POST', 'reconcile', { format: 'generic-csv', content });
    expect(strict.statusCode).toBe(200);
    expect(strict.body).toEqual({
      matched: 1,
      breaks: [
        {
          type: 'QUANTITY_MISMATCH',
          row: 3,
          instrumentKey: 'EQUITY:XRBB:USD',
          brokerQuantity: '21',
          kupalaQuantity: '20',
          difference: '1',
        },
        { type: 'MISSING_IN_KUPALA', row: 4, symbol: 'ZZZ', brokerQuantity: '5' },
      ],
      errors: [],
      skipped: [],
    });
    const tolerant = await call(reconcile, 'POST', 'reconcile', {
      format: 'generic-csv',
      content: 'Symbol,Quantity\nXRBB,21\n',
      tolerance: { quantity: '1' },
    });
    expect(tolerant.body).toEqual({
      matched: 1,
      breaks: [
        { type: 'MISSING_AT_BROKER', instrumentKey: 'EQUITY:XRBA:USD', symbol: 'XRBA', kupalaQuantity: '10' },
      ],
      errors: [],
      skipped: [],
    });
  });

  it("another user's portfolio answers 404 on every one of these routes", async () => {
    const mallory = await tokenFor(`rebalance-mallory-${Date.now()}`);
    expect((await call(getRebalance, 'GET', 'rebalance', undefined, mallory)).statusCode).toBe(404);
    expect(
      (await call(putTargets, 'PUT', 'targets', { weights: { 'EQUITY:XRBA:USD': '1' } }, mallory)).statusCode,
    ).toBe(404);
    expect(
      (
        await call(
          reconcile,
          'POST',
          'reconcile',
          { format: 'generic-csv', content: 'Symbol,Quantity\n' },
          mallory,
        )
      ).statusCode,
    ).toBe(404);
  });
});
