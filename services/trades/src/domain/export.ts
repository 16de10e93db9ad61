import type { Portfolio, Trade } from '@kupala/trade-model';

export const EXPORT_FORMAT = 'kupala-json' as const;
export const EXPORT_VERSION = 1 as const;

// Server-assigned fields an import would assign anew; `status` stays so an import can skip cancelled trades.
const SERVER_FIELDS = new Set([
  'tradeId',
  'portfolioId',
  'instrumentKey',
  'version',
  'createdAt',
  'updatedAt',
]);

/** A trade as the owner booked it (decimals exactly as sent), plus its status. */
export const exportedTrade = (trade: Trade): Record<string, unknown> =>
  Object.fromEntries(Object.entries(trade).filter(([field]) => !SERVER_FIELDS.has(field)));

/** The lossless `kupala-json` document of a portfolio: its settings and every trade in application order. */
export const exportDocument = (portfolio: Portfolio, trades: readonly Trade[], exportedAt: string) => ({
  format: EXPORT_FORMAT,
  version: EXPORT_VERSION,
  exportedAt,
  portfolio: {
    name: portfolio.name,
    baseCurrency: portfolio.baseCurrency,
    lotMethod: portfolio.lotMethod,
    ...(portfolio.commissionSchedule === undefined
      ? {}
      : { commissionSchedule: portfolio.commissionSchedule }),
  },
  trades: trades.map(exportedTrade),
});

/** The portfolio part of an export (its settings, no server-assigned fields). */
const exportedPortfolio = (portfolio: Portfolio) => exportDocument(portfolio, [], '').portfolio;

/**
 * The same document as `exportDocument`, as JSON text pieces produced while the trades are read page by
 * page: one page of trades is held at a time, never the whole portfolio.
 */
export async function* exportJsonPieces(
  portfolio: Portfolio,
  pages: AsyncIterable<readonly Trade[]>,
  exportedAt: string,
): AsyncGenerator<string> {
  const head = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    portfolio: exportedPortfolio(portfolio),
  };
  yield `${JSON.stringify(head).slice(0, -1)},"trades":[`;
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${first ? '' : ','}${page.map((trade) => JSON.stringify(exportedTrade(trade))).join(',')}`;
    first = false;
  }
  yield ']}';
}

/** Small enough to answer inline (the whole text), or too large: the pieces read so far, then the rest. */
export type SizedExport = { kind: 'INLINE'; text: string } | { kind: 'LARGE'; pieces: AsyncIterable<string> };

/**
 * Reads pieces until they pass `inlineBytes`: an export that ends first is answered inline; a larger one
 * goes on as a stream (the pieces already read first), so only `inlineBytes` are ever held to decide.
 */
export const sizeExport = async (
  pieces: AsyncIterable<string>,
  inlineBytes: number,
): Promise<SizedExport> => {
  const iterator = pieces[Symbol.asyncIterator]();
  const head: string[] = [];
  let bytes = 0;
  while (bytes <= inlineBytes) {
    const next = await iterator.next();
    if (next.done) return { kind: 'INLINE', text: head.join('') };
    head.push(next.value);
    bytes += Buffer.byteLength(next.value);
  }
  return {
    kind: 'LARGE',
    pieces: (async function* () {
      yield* head.splice(0);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    })(),
  };
};
