/*
 * kupala-json: Kupala's own lossless export,
 * `{ "format": "kupala-json", "version": 1, "portfolio": {…}, "trades": [ {TradeInput…}, … ] }`.
 * - Streamed (json-members.ts): only one element of `trades` is held at a time, so there is no limit on
 *   the file's size; one element may have at most 64 KB of text and any other member 1 MB.
 * - `format` and `version` must come before `trades`, as the export writes them, so a file of another
 *   kind is refused before any of its rows; other top-level members than format, version, exportedAt,
 *   portfolio and trades are file errors. `portfolio` is not applied: the import goes into an existing
 *   portfolio, which gives the base currency and lot method.
 * - Rows: the 1-based ordinal of the element in `trades`; `line` is the line it starts on.
 * - Each element is a TradeInput, validated strictly and kept exactly as written (decimals included):
 *   an export of the imported portfolio gives the same trades. The fields the server adds to a booked
 *   trade (tradeId, portfolioId, instrumentKey, status, version, createdAt, updatedAt) may be present and
 *   are dropped; an element with status CANCELLED is skipped (CANCELLED). Fees are already in the trade
 *   currency as booked: no conversion. Fingerprints: `externalId` when the trade has one (so re-importing
 *   an export into the portfolio it came from books nothing twice), else the content hash.
 * - File errors: not JSON, not one object, another format or version, `trades` before them, a member too
 *   large, a broken element.
 */
import { JsonMemberScanner } from './json-members';
import { skippedRow } from './row-draft';
import { decodeText } from './text-input';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

export const KUPALA_JSON_FORMAT = 'kupala-json';
export const KUPALA_JSON_VERSION = 1;
const LIMITS = { element: 64 * 1024, member: 1024 * 1024 };
const MEMBERS = new Set(['format', 'version', 'exportedAt', 'portfolio', 'trades']);
const SERVER_FIELDS = [
  'tradeId',
  'portfolioId',
  'instrumentKey',
  'status',
  'version',
  'createdAt',
  'updatedAt',
];

const parseText = (text: string, line: number): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportFileError(
      `the file is not valid JSON here (${error instanceof Error ? error.message : String(error)})`,
      {
        line,
        cause: error,
      },
    );
  }
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const elementRow = (value: unknown, row: number, line: number): ParsedRow => {
  if (!isObject(value))
    return { row, line, errors: [{ row, field: 'trade', message: 'must be a JSON object' }] };
  if (value.status === 'CANCELLED') return skippedRow(row, 'CANCELLED', undefined, line);
  const candidate: Record<string, unknown> = { ...value };
  for (const field of SERVER_FIELDS) delete candidate[field];
  return { row, line, candidate, errors: [] };
};

export async function* parseKupalaJson(
  input: BrokerFileInput,
  _options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  const scanner = new JsonMemberScanner('trades', LIMITS);
  const seen = new Set<string>();
  let ordinal = 0;
  for await (const chunk of decodeText(input)) {
    const out: ParsedRow[] = [];
    for (const event of scanner.feed(chunk)) {
      if (event.kind === 'element') {
        out.push(elementRow(parseText(event.text, event.line), ++ordinal, event.line));
        continue;
      }
      if (!MEMBERS.has(event.key))
        throw new ImportFileError(`"${event.key}" is not a member of a kupala-json file`, {
          line: event.line,
        });
      if (seen.has(event.key))
        throw new ImportFileError(`"${event.key}" appears twice`, { line: event.line });
      seen.add(event.key);
      if (event.kind === 'array-start') {
        if (!seen.has('format') || !seen.has('version')) {
          throw new ImportFileError('"format" and "version" must come before "trades"', { line: event.line });
        }
        continue;
      }
      const value = parseText(event.text, event.line);
      if (event.key === 'format' && value !== KUPALA_JSON_FORMAT) {
        throw new ImportFileError(`not a kupala-json file: "format" is ${JSON.stringify(value)}`, {
          line: event.line,
        });
      }
      if (event.key === 'version' && value !== KUPALA_JSON_VERSION) {
        throw new ImportFileError(
          `kupala-json version ${JSON.stringify(value)} is not supported (expected ${KUPALA_JSON_VERSION})`,
          { line: event.line },
        );
      }
      if (event.key === 'trades')
        throw new ImportFileError('"trades" must be an array', { line: event.line });
    }
    if (out.length > 0) yield out;
  }
  scanner.finish();
  if (!seen.has('format')) throw new ImportFileError('not a kupala-json file: no "format" member');
  if (!seen.has('version')) throw new ImportFileError('the kupala-json file has no "version"');
}
