import { tokenFor } from '@kupala/local-stack';
import { tradesApi } from '../../testing/requests';

type TradeBody = {
  tradeId: string;
  version: number;
  status: string;
  quantity?: string;
  tradeDate: string;
  createdAt: string;
};
const aapl = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' };
const buy = {
  type: 'BUY',
  instrument: aapl,
  quantity: '10',
  price: '100',
  currency: 'USD',
  tradeDate: '2026-02-02',
};

describe('trade lifecycle against DynamoDB Local: amend, cancel, audit', () => {
  let api: ReturnType<typeof tradesApi>;
  let portfolioId: string;
  beforeAll(async () => {
    api = tradesApi(await tokenFor(`lifecycle-${Date.now()}`));
    portfolioId = await api.createPortfolio();
  });

  it('amends with the current version, keeps id and creation time, and audits every version', async () => {
    const booked = (await api.book(portfolioId, buy)).body as TradeBody;
    const amended = await api.amend(portfolioId, booked.tradeId, {
      ...buy,
      quantity: '12',
      tradeDate: '2026-02-01',
      version: 1,
    });
    expect(amended.statusCode).toBe(200);
    expect(amended.body).toMatchObject({
      tradeId: booked.tradeId,
      version: 2,
      quantity: '12',
      createdAt: booked.createdAt,
    });

    // the listing follows the new trade date
    const listed = (await api.list(portfolioId, { from: '2026-02-01', to: '2026-02-01' })).body as {
      items: TradeBody[];
    };
    expect(listed.items.map((trade) => trade.tradeId)).toEqual([booked.tradeId]);

    const versions = (await api.versions(portfolioId, booked.tradeId)).body as { items: TradeBody[] };
    expect(versions.items.map((version) => [version.version, version.quantity])).toEqual([
      [1, '10'],
      [2, '12'],
    ]);
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const booked = (await api.book(portfolioId, buy)).body as TradeBody;
    await api.amend(portfolioId, booked.tradeId, { ...buy, quantity: '11', version: 1 });
    const stale = await api.amend(portfolioId, booked.tradeId, { ...buy, quantity: '99', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await api.get(portfolioId, booked.tradeId)).body).toMatchObject({ version: 2, quantity: '11' });
  });

  it('lets exactly one of 50 concurrent amends of one version win, and loses none of the audit', async () => {
    const booked = (await api.book(portfolioId, buy)).body as TradeBody;
    const attempts = Array.from({ length: 50 }, (_, index) =>
      api.amend(portfolioId, booked.tradeId, { ...buy, quantity: String(index + 1), version: 1 }),
    );
    const responses = await Promise.all(attempts);
    const winners = responses.filter((response) => response.statusCode === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.statusCode === 409)).toHaveLength(49);

    const current = (await api.get(portfolioId, booked.tradeId)).body as TradeBody;
    expect(current.version).toBe(2);
    const winner = winners[0]?.body as TradeBody | undefined;
    expect(current.quantity).toBe(winner?.quantity);
    const versions = (await api.versions(portfolioId, booked.tradeId)).body as { items: TradeBody[] };
    expect(versions.items.map((version) => version.version)).toEqual([1, 2]);
  });

  it('cancels: status CANCELLED, history kept, repeat is harmless, amend refused', async () => {
    const booked = (await api.book(portfolioId, buy)).body as TradeBody;
    const cancelled = await api.cancel(portfolioId, booked.tradeId);
    expect(cancelled).toMatchObject({ statusCode: 200, body: { status: 'CANCELLED', version: 2 } });
    expect((await api.cancel(portfolioId, booked.tradeId)).body).toMatchObject({
      status: 'CANCELLED',
      version: 2,
    });
    expect((await api.amend(portfolioId, booked.tradeId, { ...buy, version: 2 })).statusCode).toBe(409);
    const versions = (await api.versions(portfolioId, booked.tradeId)).body as { items: TradeBody[] };
    expect(versions.items.map((version) => version.status)).toEqual(['ACTIVE', 'CANCELLED']);
  });

  it('answers 404 for an unknown trade id', async () => {
    expect((await api.get(portfolioId, '01J0000000000000000000000Z')).statusCode).toBe(404);
    expect(
      (await api.amend(portfolioId, '01J0000000000000000000000Z', { ...buy, version: 1 })).statusCode,
    ).toBe(404);
    expect((await api.cancel(portfolioId, '01J0000000000000000000000Z')).statusCode).toBe(404);
  });
});
