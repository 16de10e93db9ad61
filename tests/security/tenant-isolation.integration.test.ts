import { tokenFor } from '@kupala/local-stack';
import { priceCloseItem } from '@kupala/trade-model';
import { queuedWorkerEffects } from '../../services/ml-analysis/src/testing/analyses';
import { streamEvent, streamRecord } from '../../services/positions/src/testing/stream-events';
import { compiledRouteCaller, type RouteCall } from '../support/compiled-handlers';
import type { CompiledHttpRoute } from '../support/packaged-services';
import { positionsConsumers, subOf } from '../support/positions-stream';

// each sweep calls every route with an id and reads them all twice: seconds on a loaded machine
jest.setTimeout(60_000);

const { routes, call: callRoute } = compiledRouteCaller();

// the owner's fixtures are read back through `body` as a JSON object
const call = async (routeKey: string, token: string, request: RouteCall = {}) => {
  const answer = await callRoute(routeKey, token, request);
  // biome-ignore lint/suspicious/noExplicitAny: fixture ids are read from response bodies
  return { status: answer.status, body: answer.body as any };
};

/** What a second user sends to each write route that takes an id: valid bodies, so only ownership can refuse them. */
const ATTACK_BODIES: Record<string, unknown> = {
  'PATCH /portfolios/{portfolioId}': { name: 'taken over' },
  'POST /portfolios/{portfolioId}/trades': {
    type: 'DEPOSIT',
    amount: '1',
    currency: 'USD',
    tradeDate: '2026-01-02',
  },
  'POST /portfolios/{portfolioId}/trades/batch': {
    trades: [{ type: 'DEPOSIT', amount: '1', currency: 'USD', tradeDate: '2026-01-02' }],
  },
  'PUT /portfolios/{portfolioId}/trades/{tradeId}': {
    type: 'BUY',
    instrument: { assetClass: 'EQUITY', symbol: 'ISOX', currency: 'USD' },
    quantity: '30',
    price: '1',
    currency: 'USD',
    tradeDate: '2026-01-05',
    version: 1,
  },
  'POST /portfolios/{portfolioId}/imports': {
    format: 'kupala-json',
    content: '{"format":"kupala-json","version":1,"trades":[]}',
  },
  'PUT /instruments/{symbol}/prices': { currency: 'USD', prices: [{ date: '2026-01-02', close: '999' }] },
  'PUT /fx/{base}/{quote}': { rates: [{ date: '2026-01-02', rate: '999' }] },
  'POST /orders/{orderId}/fills': { quantity: '1', price: '10' },
  'PUT /portfolios/{portfolioId}/import-mappings/{name}': {
    columns: { tradeDate: 'Date', type: 'Type', amount: 'Amount', currency: 'Currency' },
  },
  'POST /datasets/{datasetId}/views': { derive: [{ name: 'c', formula: 'a + b' }] },
  // writes the caller's own record of the provider: never the owner's (the snapshot proves it)
  'PUT /credentials/{provider}': { fields: { apiKey: 'mallory-api-key-000000' } },
  // filled out by beforeAll with the owner's portfolio: the owner's positive control allocates its 1 filled unit
  'POST /orders/{orderId}/allocations': { allocations: [] },
  // the owner holds 3 ISOX once the positions consumer applied the fixture's BUY
  'POST /portfolios/{portfolioId}/what-if-sale': {
    instrumentKey: 'EQUITY:ISOX:USD',
    quantity: '1',
    price: '12',
  },
  'POST /portfolios/{portfolioId}/eod': { from: '2026-01-05', to: '2026-01-09' },
  'PUT /portfolios/{portfolioId}/targets': { weights: { 'EQUITY:ISOX:USD': '0.5' } },
  'POST /portfolios/{portfolioId}/reconcile': { format: 'generic-csv', content: 'Symbol,Quantity\nISOX,3\n' },
};

/** Path parameters that name a shared namespace (a ticker), not an owned resource: isolation means B sees none of A's data. */
const SHARED_NAMESPACE_PARAMS = new Set(['symbol', 'base', 'quote', 'provider']);

/** Deletes last (deepest resource first), so every other call still finds something to act on. */
const deletesLast = (list: CompiledHttpRoute[]) =>
  [...list].sort(
    (a, b) =>
      Number(a.method === 'DELETE') - Number(b.method === 'DELETE') ||
      (a.method === 'DELETE' ? b.path.length - a.path.length : 0),
  );

interface OwnedFixture {
  params: Record<string, string>;
  /** Everything the owner can read about the fixture; must not change when another user attacks it. */
  snapshot: () => Promise<unknown>;
}

describe("tenant isolation: a second user tries the first user's ids on every route that takes one", () => {
  let alice: string;
  let mallory: string;
  let fixture: OwnedFixture;

  beforeAll(async () => {
    alice = await tokenFor(`iso-alice-${Date.now()}`);
    mallory = await tokenFor(`iso-mallory-${Date.now()}`);
    const portfolio = await call('POST /portfolios', alice, {
      body: { name: 'Alice core', baseCurrency: 'USD' },
    });
    const portfolioId = portfolio.body.portfolioId as string;
    const trade = await call('POST /portfolios/{portfolioId}/trades', alice, {
      params: { portfolioId },
      body: {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'ISOX', currency: 'USD' },
        quantity: '3',
        price: '10',
        currency: 'USD',
        tradeDate: '2026-01-05',
      },
    });
    const params: Record<string, string> = {
      portfolioId,
      tradeId: trade.body.tradeId as string,
      symbol: 'ISOX',
      instrumentKey: 'EQUITY:ISOX:USD',
      base: 'EUR',
      quote: 'USD',
    };
    if (routes.some((route) => route.path === '/portfolios/{portfolioId}/imports')) {
      const created = await call('POST /portfolios/{portfolioId}/imports', alice, {
        params: { portfolioId },
        body: ATTACK_BODIES['POST /portfolios/{portfolioId}/imports'],
      });
      params.importId = created.body.importId as string;
    }
    if (routes.some((route) => route.path === '/portfolios/{portfolioId}/import-mappings/{name}')) {
      await call('PUT /portfolios/{portfolioId}/import-mappings/{name}', alice, {
        params: { portfolioId, name: 'alice-map' },
        body: ATTACK_BODIES['PUT /portfolios/{portfolioId}/import-mappings/{name}'],
      });
      params.name = 'alice-map';
    }
    if (routes.some((route) => route.path === '/datasets')) {
      const dataset = await call('POST /datasets', alice, {
        body: { name: 'iso', format: 'csv', content: 'a,b\n1,2\n3,4\n' },
      });
      params.datasetId = dataset.body.datasetId as string;
    }
    if (routes.some((route) => route.path === '/analyses')) {
      // run to its end (the asynchronous worker run in-process), so the owner can read its predictions
      params.analysisId = await queuedWorkerEffects().completeAnalysis(alice, {
        datasetId: params.datasetId,
        target: 'b',
        task: 'regression',
        folds: 2,
        include: ['dummy'],
      });
    }
    if (routes.some((route) => route.path === '/orders')) {
      const order = await call('POST /orders', alice, {
        body: {
          side: 'BUY',
          instrument: { assetClass: 'EQUITY', symbol: 'ISOX', currency: 'USD' },
          quantity: '2',
          currency: 'USD',
        },
      });
      params.orderId = order.body.orderId as string;
      ATTACK_BODIES['POST /orders/{orderId}/allocations'] = { allocations: [{ portfolioId, quantity: '1' }] };
    }
    if (routes.some((route) => route.path === '/portfolios/{portfolioId}/positions')) {
      // the positions the Trades stream would derive from the fixture's BUY
      const failures = await positionsConsumers().deliverTrade(
        subOf(alice),
        portfolioId,
        params.tradeId as string,
      );
      if (failures.length > 0) throw new Error('The positions consumer refused the fixture trade');
    }
    if (routes.some((route) => route.path === '/instruments/{symbol}/prices')) {
      await call('PUT /instruments/{symbol}/prices', alice, {
        params: { symbol: 'ISOX' },
        body: { currency: 'USD', prices: [{ date: '2026-01-02', close: '10.5' }] },
      });
    }
    if (routes.some((route) => route.path === '/fx/{base}/{quote}')) {
      // the owner's own rate carries the marker the leak check looks for
      await call('PUT /fx/{base}/{quote}', alice, {
        params: { base: 'EUR', quote: 'USD' },
        body: { rates: [{ date: '2026-01-02', rate: '10.5' }] },
      });
    }
    if (routes.some((route) => route.path === '/portfolios/{portfolioId}/rebalance')) {
      // the owner's position revalued at the close above, and targets to rebalance to
      const close = priceCloseItem({
        scope: { kind: 'manual', sub: subOf(alice) },
        symbol: 'ISOX',
        date: '2026-01-02',
        close: '10.5',
        currency: 'USD',
        source: 'manual',
      });
      const revalued = await positionsConsumers().consumePrices(
        streamEvent([streamRecord(close, undefined)]),
      );
      if (revalued.batchItemFailures.length > 0)
        throw new Error('The revaluation consumer refused the fixture close');
      await call('PUT /portfolios/{portfolioId}/targets', alice, {
        params: { portfolioId },
        body: ATTACK_BODIES['PUT /portfolios/{portfolioId}/targets'],
      });
    }
    if (routes.some((route) => route.path === '/credentials/{provider}')) {
      // the secret carries the leak marker: no answer to the second user may show it
      await call('PUT /credentials/{provider}', alice, {
        params: { provider: 'ibkr' },
        body: { fields: { token: 'alice-flex-token-10.5-7f3a9c' } },
      });
      params.provider = 'ibkr';
    }
    fixture = {
      params,
      snapshot: async () => {
        const reads: Record<string, unknown> = {};
        for (const route of routes.filter(
          (candidate) => candidate.method === 'GET' && /\{\w+\}/.test(candidate.path),
        )) {
          reads[route.path] = await call(`GET ${route.path}`, alice, { params });
        }
        reads.list = await call('GET /portfolios', alice);
        if (routes.some((route) => route.path === '/credentials'))
          reads.credentials = await call('GET /credentials', alice);
        // the moment of an export or a positions answer is not data: everything else must be identical
        return JSON.parse(
          JSON.stringify(reads, (key, value) => (key === 'exportedAt' || key === 'asOf' ? undefined : value)),
        );
      },
    };
  });

  const routesWithIds = routes.filter((route) => /\{\w+\}/.test(route.path));

  it('covers every route with a path parameter (guard against an empty sweep)', () => {
    expect(routesWithIds.length).toBeGreaterThanOrEqual(6);
  });

  it("answers 404 (or shows nothing of the owner's) to the second user, and changes nothing", async () => {
    const before = await fixture.snapshot();
    const outcomes: string[] = [];
    const ordered = deletesLast(routesWithIds);
    for (const route of ordered) {
      const key = `${route.method} ${route.path}`;
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '');
      const missing = names.filter((name) => fixture.params[name] === undefined);
      if (missing.length > 0)
        throw new Error(`No tenant-isolation fixture for {${missing.join(', ')}} of ${key}: add one here`);
      const needsBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      if (needsBody && !(key in ATTACK_BODIES))
        throw new Error(`No attack body for ${key}: add a valid one to ATTACK_BODIES`);
      const response = await call(key, mallory, {
        params: fixture.params,
        body: needsBody ? ATTACK_BODIES[key] : undefined,
      });
      const sharedOnly = names.every((name) => SHARED_NAMESPACE_PARAMS.has(name));
      if (sharedOnly) {
        // a ticker is not owned: the attacker may use it, but must see none of the owner's data
        expect({ key, leaked: JSON.stringify(response.body ?? {}).includes('10.5') }).toEqual({
          key,
          leaked: false,
        });
      } else {
        expect({ key, status: response.status }).toEqual({ key, status: 404 });
      }
      outcomes.push(`${key} -> ${response.status}`);
    }
    expect(await fixture.snapshot()).toEqual(before);
    expect(outcomes.length).toBe(routesWithIds.length);
  });

  it('positive control: the owner reaches every one of those routes', async () => {
    const ordered = deletesLast(routesWithIds);
    for (const route of ordered) {
      const key = `${route.method} ${route.path}`;
      const needsBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      const response = await call(key, alice, {
        params: fixture.params,
        body: needsBody ? ATTACK_BODIES[key] : undefined,
      });
      expect({ key, ok: response.status >= 200 && response.status < 300 }).toEqual({ key, ok: true });
    }
  });
});
