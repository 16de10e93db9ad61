import type { Portfolio, Trade } from '@kupala/trade-model';
import { exportDocument, exportJsonPieces, sizeExport } from './export';

const portfolio: Portfolio = {
  portfolioId: '01JPORTFOLIO0000000000000A',
  name: 'Core',
  baseCurrency: 'USD',
  lotMethod: 'FIFO',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const trade = (n: number): Trade => ({
  tradeId: `01JTRADE${String(n).padStart(18, '0')}`,
  portfolioId: portfolio.portfolioId,
  type: 'DEPOSIT',
  amount: `${n}.50`,
  currency: 'USD',
  tradeDate: '2026-01-02',
  status: 'ACTIVE',
  version: 1,
  createdAt: '2026-01-02T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
});
const pagesOf = (...pages: Trade[][]) =>
  (async function* () {
    yield* pages;
  })();
const join = async (pieces: AsyncIterable<string>) => {
  let text = '';
  for await (const piece of pieces) text += piece;
  return text;
};
const AT = '2026-03-01T08:30:00.000Z';

describe('streamed kupala-json export', () => {
  it('is the same document as the whole-portfolio export, page by page (empty pages too)', async () => {
    const trades = [1, 2, 3, 4, 5].map(trade);
    const pieces = exportJsonPieces(portfolio, pagesOf([], trades.slice(0, 2), [], trades.slice(2)), AT);
    expect(JSON.parse(await join(pieces))).toEqual(exportDocument(portfolio, trades, AT));
  });

  it('is a valid document with no trades at all', async () => {
    const text = await join(exportJsonPieces(portfolio, pagesOf(), AT));
    expect(JSON.parse(text)).toEqual(exportDocument(portfolio, [], AT));
  });

  it('answers inline up to the limit and otherwise streams every piece, the ones read first included', async () => {
    const pieces = () =>
      (async function* () {
        yield 'aaaa';
        yield 'bbbb';
        yield 'cccc';
      })();
    // 12 bytes in all: a limit of 12 keeps it inline
    await expect(sizeExport(pieces(), 12)).resolves.toEqual({ kind: 'INLINE', text: 'aaaabbbbcccc' });
    // a limit of 5 is passed after the second piece (8 bytes): the rest streams after those two
    const large = await sizeExport(pieces(), 5);
    expect(large.kind).toBe('LARGE');
    if (large.kind === 'LARGE') expect(await join(large.pieces)).toBe('aaaabbbbcccc');
  });
});
