import { tokenFor } from '@kupala/local-stack';
import { invoke } from '@kupala/trade-model/testing';
import { exportSideEffects } from '../../sideEffects';
import { tradesApi } from '../../testing/requests';
import { buildHandler } from './handler';

// DynamoDB Local on a shared 2-core machine: hundreds of trades take seconds, not milliseconds
jest.setTimeout(60_000);

const deposits = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    type: 'DEPOSIT',
    amount: `${index + 1}.25`,
    currency: 'USD',
    tradeDate: `2026-01-${String((index % 28) + 1).padStart(2, '0')}`,
    note: `deposit ${index + 1}`,
  }));

describe('GET …/export: inline when small, streamed to S3 when large (local S3 + DynamoDB Local)', () => {
  let token: string;
  let api: ReturnType<typeof tradesApi>;
  beforeAll(async () => {
    token = await tokenFor(`export-${Date.now()}`);
    api = tradesApi(token);
  });
  const exportWith = (inlineBytes: number, portfolioId: string) =>
    invoke(buildHandler(exportSideEffects, {}, inlineBytes), {
      method: 'GET',
      path: `/portfolios/${portfolioId}/export`,
      routePath: '/portfolios/{portfolioId}/export',
      pathParameters: { portfolioId },
      token,
    });

  it('streams a large export (several pages) to S3 and answers a download URL for the same document', async () => {
    const portfolioId = await api.createPortfolio({
      name: 'Big one',
      baseCurrency: 'USD',
      lotMethod: 'LIFO',
    });
    expect((await api.bookBatch(portfolioId, deposits(500))).statusCode).toBe(201);
    expect((await api.bookBatch(portfolioId, deposits(700).slice(500))).statusCode).toBe(201);

    const inline = await exportWith(100 * 1024 * 1024, portfolioId);
    expect(inline.statusCode).toBe(200);
    const document = inline.body as { trades: { amount: string }[]; exportedAt: string };
    expect(document.trades).toHaveLength(700);

    // a 4 KB inline limit: 700 trades of ~110 bytes each are far beyond it
    const large = await exportWith(4096, portfolioId);
    expect(large.statusCode).toBe(200);
    const answer = large.body as { downloadUrl: string; bytes: number; format: string; exportedAt: string };
    expect(answer).toMatchObject({ format: 'kupala-json', version: 1 });
    expect(answer).not.toHaveProperty('trades');
    const download = await fetch(answer.downloadUrl);
    expect(download.status).toBe(200);
    const text = await download.text();
    expect(Buffer.byteLength(text)).toBe(answer.bytes);
    const downloaded = JSON.parse(text) as typeof document;
    // the same document as the inline one, but for the moment of export
    expect({ ...downloaded, exportedAt: 'x' }).toEqual({ ...document, exportedAt: 'x' });
    expect(downloaded.exportedAt).toBe(answer.exportedAt);
    // every amount once, in application order: the first of January gets deposits 1, 29, 57, …
    expect(downloaded.trades.slice(0, 3).map((trade) => trade.amount)).toEqual(['1.25', '29.25', '57.25']);
  });

  it("answers 404 for another user's portfolio, with no upload", async () => {
    const portfolioId = await api.createPortfolio();
    const other = await tokenFor(`export-other-${Date.now()}`);
    const response = await invoke(buildHandler(exportSideEffects, {}, 0), {
      method: 'GET',
      path: `/portfolios/${portfolioId}/export`,
      routePath: '/portfolios/{portfolioId}/export',
      pathParameters: { portfolioId },
      token: other,
    });
    expect(response.statusCode).toBe(404);
  });
});
