import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { faultyDocumentClient, tradesEffectsOn } from '../../testing/faulty-client';
import { entityCounts, partitionItems } from '../../testing/partition';
import { numberedDeposits, tradesApi } from '../../testing/requests';
import { main as getPortfolio } from '../getPortfolio/handler';
import { main as listPortfolios } from '../listPortfolios/handler';
import { main as putImportMapping } from '../putImportMapping/handler';
import { buildHandler } from './handler';

// DynamoDB Local on a shared 2-core machine: hundreds of trades take seconds, not milliseconds
jest.setTimeout(60_000);

const deposits = (count: number) => numberedDeposits(count, 'DEL');

describe('DELETE /portfolios/{portfolioId} that times out half way (DynamoDB Local)', () => {
  let token: string;
  let api: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`delete-${Date.now()}`);
    api = tradesApi(token);
  });
  const portfolioRequest = (portfolioId: string) => ({
    path: `/portfolios/${portfolioId}`,
    routePath: '/portfolios/{portfolioId}',
    pathParameters: { portfolioId },
    token,
  });
  const remove = (handler: ReturnType<typeof buildHandler>, portfolioId: string) =>
    invoke(handler, { method: 'DELETE', ...portfolioRequest(portfolioId) });

  /** A portfolio whose partition needs several purge pages (100 items each): 640 items. */
  const largePortfolio = async () => {
    const portfolioId = await api.createPortfolio();
    for (let batch = 0; batch < 2; batch += 1) {
      const trades = deposits(300).map((trade) => ({ ...trade, externalId: `${trade.externalId}-${batch}` }));
      expect((await api.bookBatch(portfolioId, trades)).statusCode).toBe(201);
    }
    const tradeId = ((await api.list(portfolioId, { limit: '1' })).body as { items: { tradeId: string }[] })
      .items[0]?.tradeId as string;
    expect(
      (await api.amend(portfolioId, tradeId, { ...deposits(1)[0], externalId: 'AMENDED', version: 1 }))
        .statusCode,
    ).toBe(200);
    const mapping = await invoke(putImportMapping, {
      method: 'PUT',
      path: `/portfolios/${portfolioId}/import-mappings/broker`,
      routePath: '/portfolios/{portfolioId}/import-mappings/{name}',
      pathParameters: { portfolioId, name: 'broker' },
      token,
      body: { columns: { tradeDate: 'Date', type: 'Type' } },
    });
    expect(mapping.statusCode).toBe(200);
    // 600 trades + 600 broker-id markers + 1 replaced version + 1 mapping (+ the amend's marker swap)
    const counts = entityCounts(await partitionItems(token, portfolioId));
    expect(counts.TRADE).toBe(600);
    expect(counts.TRADE_VERSION).toBe(1);
    expect(counts.IMPORT_MAPPING).toBe(1);
    return { portfolioId, tradeId };
  };

  it('is invisible from the first moment, and the next DELETE removes everything that was left', async () => {
    const { portfolioId, tradeId } = await largePortfolio();
    const before = (await partitionItems(token, portfolioId)).length;
    // the function "dies" on its third page of deletes: the first two pages (200 items) are gone
    const dying = faultyDocumentClient((name, call) =>
      name === 'BatchWriteCommand' && call > 8 ? new Error('Task timed out (injected)') : undefined,
    );
    const first = await remove(buildHandler(tradesEffectsOn(dying.client)), portfolioId);
    expect(first.statusCode).toBe(500);
    const left = (await partitionItems(token, portfolioId)).length;
    expect(left).toBe(before - 200);

    // gone for every reader and every booking
    expect((await invoke(getPortfolio, { method: 'GET', ...portfolioRequest(portfolioId) })).statusCode).toBe(
      404,
    );
    expect((await api.list(portfolioId)).statusCode).toBe(404);
    expect((await api.get(portfolioId, tradeId)).statusCode).toBe(404);
    expect((await api.versions(portfolioId, tradeId)).statusCode).toBe(404);
    expect((await api.book(portfolioId, deposits(1)[0])).statusCode).toBe(404);
    expect((await api.bookBatch(portfolioId, deposits(2))).statusCode).toBe(404);
    const listed = await invoke(listPortfolios, { method: 'GET', path: '/portfolios', token });
    expect(
      (listed.body as { items: { portfolioId: string }[] }).items.map((p) => p.portfolioId),
    ).not.toContain(portfolioId);

    // the second DELETE finishes: nothing of the portfolio is left, and it is then simply not found
    expect((await remove(buildHandler(), portfolioId)).statusCode).toBe(204);
    expect(await partitionItems(token, portfolioId)).toEqual([]);
    expect((await remove(buildHandler(), portfolioId)).statusCode).toBe(404);
  });

  it('answers 202 DELETING when its time budget runs out, and the next DELETE finishes', async () => {
    const { portfolioId } = await largePortfolio();
    const started = await remove(buildHandler(undefined, {}, 0), portfolioId);
    expect(started.statusCode).toBe(202);
    expect(started.body).toEqual({ portfolioId, status: 'DELETING' });
    expect((await invoke(getPortfolio, { method: 'GET', ...portfolioRequest(portfolioId) })).statusCode).toBe(
      404,
    );
    expect((await remove(buildHandler(), portfolioId)).statusCode).toBe(204);
    expect(await partitionItems(token, portfolioId)).toEqual([]);
  });
});
