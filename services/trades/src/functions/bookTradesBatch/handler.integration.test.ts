import { tokenFor } from '@kupala/local-stack';
import { tradesApi } from '../../testing/requests';

const deposit = (amount: string, externalId?: string) => ({
  type: 'DEPOSIT',
  amount,
  currency: 'USD',
  tradeDate: '2026-01-02',
  ...(externalId === undefined ? {} : { externalId }),
});

describe('batch booking and broker ids against DynamoDB Local', () => {
  let api: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    api = tradesApi(await tokenFor(`batch-${Date.now()}`));
  });

  it('books 120 trades in one call, in the order sent (several transactions)', async () => {
    const portfolioId = await api.createPortfolio();
    const trades = Array.from({ length: 120 }, (_, index) => deposit(String(index + 1)));
    const response = await api.bookBatch(portfolioId, trades);
    expect(response.statusCode).toBe(201);
    const items = (response.body as { items: { amount: string }[] }).items;
    expect(items.map((trade) => trade.amount)).toEqual(trades.map((trade) => trade.amount));
    const listed = (await api.list(portfolioId, { limit: '500' })).body as { items: unknown[] };
    expect(listed.items).toHaveLength(120);
  });

  it('books nothing when one row is invalid, naming the row', async () => {
    const portfolioId = await api.createPortfolio();
    const response = await api.bookBatch(portfolioId, [deposit('1'), deposit('-5'), deposit('3')]);
    expect(response.statusCode).toBe(400);
    const details = (response.body as { error: { details: { path: string }[] } }).error.details;
    expect(details.map((detail) => detail.path)).toEqual(['trades.1.amount']);
    expect(((await api.list(portfolioId)).body as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses more than 500 trades', async () => {
    const portfolioId = await api.createPortfolio();
    const response = await api.bookBatch(
      portfolioId,
      Array.from({ length: 501 }, () => deposit('1')),
    );
    expect(response.statusCode).toBe(400);
  });

  it('detects broker externalId duplicates: within a batch, against booked trades, and on single booking', async () => {
    const portfolioId = await api.createPortfolio();
    const repeated = await api.bookBatch(portfolioId, [deposit('1', 'IB-1'), deposit('2', 'IB-1')]);
    expect(repeated.statusCode).toBe(409);
    expect((repeated.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'trades.1.externalId',
    );

    expect((await api.bookBatch(portfolioId, [deposit('1', 'IB-1'), deposit('2', 'IB-2')])).statusCode).toBe(
      201,
    );
    const again = await api.bookBatch(portfolioId, [deposit('3', 'IB-3'), deposit('2', 'IB-2')]);
    expect(again.statusCode).toBe(409);
    expect((again.body as { error: { details: { path: string }[] } }).error.details[0]?.path).toBe(
      'trades.1.externalId',
    );
    expect((await api.book(portfolioId, deposit('9', 'IB-1'))).statusCode).toBe(409);

    const listed = (await api.list(portfolioId)).body as { items: { externalId: string }[] };
    expect(listed.items.map((trade) => trade.externalId).sort()).toEqual(['IB-1', 'IB-2']);

    // the same broker id in another portfolio is another trade
    const other = await api.createPortfolio();
    expect((await api.book(other, deposit('1', 'IB-1'))).statusCode).toBe(201);
  });
});
