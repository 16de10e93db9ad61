import { PutCommand } from '@aws-sdk/lib-dynamodb';
// Relative imports: the root package does not depend on the workspace packages by name.
import { applyTrade, emptyPosition, positionSummary } from '../packages/lot-engine/src';
import { createDocumentClient, type Trade } from '../packages/trade-model/src';
import { httpEvent, lambdaContext } from '../packages/trade-model/src/testing';
import type { DerivedPosition } from '../services/positions/src/adapters/positions-store';
import { buildPositionsStore } from '../services/positions/src/adapters/positions-store';
import { main as getPositions } from '../services/positions/src/functions/getPositions/handler';
import { percentile } from './stats';

export interface PositionsReadOptions {
  sub: string;
  token: string;
  positions: number;
  warmup: number;
  requests: number;
}

const idOf = (prefix: string, index: number) =>
  `${prefix}${index.toString(32).toUpperCase().padStart(6, '0')}`.padEnd(26, '0');

/**
 * Seeds one portfolio with `positions` positions (two lots each, a price mark each) through the positions
 * store, then times GET …/positions (the bundled handler: middy stack, JWT verification, three tables)
 * sequentially in this process.
 */
export const measurePositionsRead = async (options: PositionsReadOptions) => {
  const client = createDocumentClient();
  const store = buildPositionsStore(client, process.env.POSITIONS_TABLE ?? '');
  const portfolioId = idOf('01JBENCH', 1);
  await client.send(
    new PutCommand({
      TableName: process.env.TRADES_TABLE,
      Item: {
        pk: `USER#${options.sub}`,
        sk: `PORTFOLIO#${portfolioId}`,
        entity: 'PORTFOLIO',
        portfolioId,
        name: 'Bench',
        baseCurrency: 'USD',
        lotMethod: 'FIFO',
      },
    }),
  );
  const ctx = { method: 'FIFO' as const, baseCurrency: 'USD', fx: () => '1' };
  const derived: DerivedPosition[] = [];
  for (let index = 0; index < options.positions; index++) {
    const instrument = {
      assetClass: 'EQUITY' as const,
      symbol: `SYM${index}`,
      currency: 'USD',
      multiplier: '1',
    };
    let state = emptyPosition(instrument);
    for (const [day, price] of [
      ['2026-01-05', 100 + index],
      ['2026-01-06', 101 + index],
    ] as const) {
      const trade: Trade = {
        tradeId: idOf('01JTRADE', index * 2 + (day === '2026-01-05' ? 0 : 1)),
        portfolioId,
        type: 'BUY',
        instrument,
        quantity: '10',
        price: `${price}.25`,
        fees: '1',
        currency: 'USD',
        tradeDate: day,
        status: 'ACTIVE',
        version: 1,
        createdAt: '2026-01-05T00:00:00.000Z',
        updatedAt: '2026-01-05T00:00:00.000Z',
      };
      state = applyTrade(state, trade, ctx).state;
    }
    derived.push({
      instrumentKey: state.instrumentKey,
      instrument,
      state,
      summary: positionSummary(state),
      baseCurrency: 'USD',
      generation: { gen: 'bench', closedFrom: '' },
      sinceCheckpoint: 2,
      expectedVersion: undefined,
    });
  }
  for (let start = 0; start < derived.length; start += 25) {
    await store.commit({
      sub: options.sub,
      portfolioId,
      positions: derived.slice(start, start + 25),
      applied: [],
      cash: [],
    });
  }
  await Promise.all(
    derived.map((position, index) =>
      store.setMark(options.sub, portfolioId, position.instrumentKey, {
        price: `${110 + index}`,
        currency: 'USD',
        asOf: new Date().toISOString(),
        source: 'bench',
        previousClose: `${109 + index}`,
      }),
    ),
  );

  const path = `/portfolios/${portfolioId}/positions`;
  const request = {
    method: 'GET',
    path,
    routePath: '/portfolios/{portfolioId}/positions',
    pathParameters: { portfolioId },
    token: options.token,
  };
  const samples: number[] = [];
  let bodyBytes = 0;
  for (let index = 0; index < options.warmup + options.requests; index++) {
    const event = httpEvent(request);
    const context = lambdaContext('getPositions');
    const start = process.hrtime.bigint();
    const response = await getPositions(event, context);
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (response.statusCode !== 200)
      throw new Error(`GET positions answered ${response.statusCode}: ${response.body}`);
    const count = (JSON.parse(String(response.body)) as { positions: unknown[] }).positions.length;
    if (count !== options.positions) throw new Error(`GET positions listed ${count} positions`);
    bodyBytes = String(response.body).length;
    if (index >= options.warmup) samples.push(elapsedMs);
  }
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), bodyBytes };
};
