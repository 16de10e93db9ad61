import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { tradesApi } from '../../testing/requests';
import { main as createPortfolio } from '../createPortfolio/handler';

type TradeBody = {
  tradeId: string;
  type: string;
  tradeDate: string;
  instrumentKey?: string;
  status: string;
  version: number;
};

// the first describe block books and lists through the shared request helpers, with the token they were built for
const book = (token: string, portfolioId: string, body: unknown) => tradesApi(token).book(portfolioId, body);
const list = (token: string, portfolioId: string, query: Record<string, string> = {}) =>
  tradesApi(token).list(portfolioId, query);

const aapl = { assetClass: 'EQUITY', symbol: 'aapl', currency: 'USD' };

describe('booking and listing trades against DynamoDB Local', () => {
  let token: string;
  let portfolioId: string;

  beforeAll(async () => {
    token = await tokenFor(`trader-${Date.now()}`);
    const created = await invoke(createPortfolio, {
      method: 'POST',
      path: '/portfolios',
      token,
      body: { name: 'P', baseCurrency: 'USD' },
    });
    portfolioId = (created.body as { portfolioId: string }).portfolioId;
  });

  it('books a trade at version 1 with its instrument keyed and decimals kept exactly', async () => {
    const response = await book(token, portfolioId, {
      type: 'BUY',
      instrument: aapl,
      quantity: '10.5000',
      price: '190.50',
      fees: '1.00',
      currency: 'USD',
      tradeDate: '2026-01-05',
    });
    expect(response.statusCode).toBe(201);
    expect(response.body).toMatchObject({
      type: 'BUY',
      instrumentKey: 'EQUITY:AAPL:USD',
      instrument: { symbol: 'AAPL', multiplier: '1' },
      quantity: '10.5000',
      price: '190.50',
      status: 'ACTIVE',
      version: 1,
      portfolioId,
    });
  });

  it('lists in application order: tradeDate, then booking order, whatever the booking sequence', async () => {
    const { body } = await invoke(createPortfolio, {
      method: 'POST',
      path: '/portfolios',
      token,
      body: { name: 'Order', baseCurrency: 'USD' },
    });
    const id = (body as { portfolioId: string }).portfolioId;
    // booked out of date order: 03-02 first, then a back-dated 01-02, then two on 02-01
    const booked = [];
    for (const [date, amount] of [
      ['2026-03-02', '3'],
      ['2026-01-02', '1'],
      ['2026-02-01', '2a'],
      ['2026-02-01', '2b'],
    ] as const) {
      const response = await book(token, id, {
        type: 'DEPOSIT',
        amount: amount.startsWith('2') ? '2' : amount,
        note: amount,
        currency: 'USD',
        tradeDate: date,
      });
      booked.push(response.body as TradeBody & { note: string });
    }
    const listed = (await list(token, id)).body as { items: (TradeBody & { note: string })[] };
    expect(listed.items.map((trade) => trade.note)).toEqual(['1', '2a', '2b', '3']);

    const filtered = (await list(token, id, { from: '2026-02-01', to: '2026-02-28' })).body as {
      items: { note: string }[];
    };
    expect(filtered.items.map((trade) => trade.note)).toEqual(['2a', '2b']);
  });

  it('filters by symbol and type and pages with a cursor', async () => {
    const { body } = await invoke(createPortfolio, {
      method: 'POST',
      path: '/portfolios',
      token,
      body: { name: 'Filters', baseCurrency: 'USD' },
    });
    const id = (body as { portfolioId: string }).portfolioId;
    await book(token, id, { type: 'DEPOSIT', amount: '1000', currency: 'USD', tradeDate: '2026-01-01' });
    for (let day = 2; day <= 6; day += 1) {
      await book(token, id, {
        type: 'BUY',
        instrument: aapl,
        quantity: '1',
        price: '100',
        currency: 'USD',
        tradeDate: `2026-01-0${day}`,
      });
    }
    await book(token, id, {
      type: 'BUY',
      instrument: { ...aapl, symbol: 'MSFT' },
      quantity: '1',
      price: '400',
      currency: 'USD',
      tradeDate: '2026-01-03',
    });

    const bySymbol = (await list(token, id, { symbol: 'AAPL' })).body as { items: TradeBody[] };
    expect(bySymbol.items).toHaveLength(5);
    const byType = (await list(token, id, { type: 'DEPOSIT' })).body as { items: TradeBody[] };
    expect(byType.items.map((trade) => trade.type)).toEqual(['DEPOSIT']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await list(token, id, { limit: '3', ...(cursor === null ? {} : { cursor }) })).body as {
        items: TradeBody[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((trade) => trade.tradeId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    // a cursor is valid only for the query it came from: tampered or reused elsewhere it is a 400, never a 500
    const january = (await list(token, id, { limit: '2', from: '2026-01-01', to: '2026-01-31' })).body as {
      nextCursor: string;
    };
    const key = JSON.parse(Buffer.from(january.nextCursor, 'base64url').toString('utf8')) as Record<
      string,
      string
    >;
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const refused = [
      ['reused with a range it is outside of', january.nextCursor, { from: '2026-03-01', to: '2026-03-31' }],
      ['another sort key', encode({ ...key, gsi1sk: 'ZZZ' }), {}],
      ['an extra attribute', encode({ ...key, extra: 'x' }), {}],
      ['a missing attribute', encode({ pk: key.pk, gsi1pk: key.gsi1pk, gsi1sk: key.gsi1sk }), {}],
      ['not base64url JSON', 'bm90IGpzb24', {}],
    ] as const;
    for (const [reason, forged, range] of refused) {
      const response = await list(token, id, { ...range, cursor: forged });
      expect({ reason, status: response.statusCode }).toEqual({ reason, status: 400 });
    }
    const sameQuery = await list(token, id, {
      limit: '2',
      from: '2026-01-01',
      to: '2026-01-31',
      cursor: january.nextCursor,
    });
    expect(sameQuery.statusCode).toBe(200);
  });

  it('rejects an invalid trade with field details and writes nothing', async () => {
    const { body } = await invoke(createPortfolio, {
      method: 'POST',
      path: '/portfolios',
      token,
      body: { name: 'Bad', baseCurrency: 'USD' },
    });
    const id = (body as { portfolioId: string }).portfolioId;
    const response = await book(token, id, {
      type: 'SPLIT',
      instrument: aapl,
      currency: 'USD',
      tradeDate: '2026-13-01',
    });
    expect(response.statusCode).toBe(400);
    const paths = (response.body as { error: { details: { path: string }[] } }).error.details.map(
      (detail) => detail.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['ratio', 'tradeDate']));
    expect(((await list(token, id)).body as { items: unknown[] }).items).toEqual([]);
  });

  it('answers 404 for a portfolio that does not exist and writes nothing', async () => {
    const response = await book(token, '01J0000000000000000000000Z', {
      type: 'DEPOSIT',
      amount: '1',
      currency: 'USD',
      tradeDate: '2026-01-01',
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('Idempotency-Key on trade booking', () => {
  const deposit = { type: 'DEPOSIT', amount: '100', currency: 'USD', tradeDate: '2026-01-02' };

  it('replays the original response for the same key and body, and books once', async () => {
    const api = tradesApi(await tokenFor(`idem-${Date.now()}`));
    const portfolioId = await api.createPortfolio();
    const first = await api.book(portfolioId, deposit, { 'Idempotency-Key': 'key-1' });
    const replay = await api.book(portfolioId, { ...deposit }, { 'Idempotency-Key': 'key-1' });
    expect(first.statusCode).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(((await api.list(portfolioId)).body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('answers 409 for the same key with another body, and books nothing more', async () => {
    const api = tradesApi(await tokenFor(`idem2-${Date.now()}`));
    const portfolioId = await api.createPortfolio();
    await api.book(portfolioId, deposit, { 'Idempotency-Key': 'key-2' });
    const conflict = await api.book(
      portfolioId,
      { ...deposit, amount: '200' },
      { 'Idempotency-Key': 'key-2' },
    );
    expect(conflict.statusCode).toBe(409);
    expect(((await api.list(portfolioId)).body as { items: unknown[] }).items).toHaveLength(1);
  });

  it('scopes keys per user: two users with the same key and body get two independent trades', async () => {
    const alice = tradesApi(await tokenFor(`idem-a-${Date.now()}`));
    const bob = tradesApi(await tokenFor(`idem-b-${Date.now()}`));
    const alicePortfolio = await alice.createPortfolio();
    const bobPortfolio = await bob.createPortfolio();
    const a = await alice.book(alicePortfolio, deposit, { 'Idempotency-Key': 'shared-key' });
    const b = await bob.book(bobPortfolio, deposit, { 'Idempotency-Key': 'shared-key' });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect((a.body as { tradeId: string }).tradeId).not.toBe((b.body as { tradeId: string }).tradeId);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
  });

  it('does not keep a failed request: the key can be used again once the request is valid', async () => {
    const api = tradesApi(await tokenFor(`idem3-${Date.now()}`));
    const missing = await api.book('01J0000000000000000000000Z', deposit, { 'Idempotency-Key': 'key-3' });
    expect(missing.statusCode).toBe(404);
    const portfolioId = await api.createPortfolio();
    expect((await api.book(portfolioId, deposit, { 'Idempotency-Key': 'key-3' })).statusCode).toBe(201);
  });
});
