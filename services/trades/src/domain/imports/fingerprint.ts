import { hash } from 'node:crypto';
import type { TradeInput } from '@kupala/trade-model';
import type { RowError } from './types';

// The content of a trade in a fixed order; any member not listed here (a field added to the model later)
// is appended sorted, so it still counts.
const TRADE_ORDER = [
  'type',
  'quantity',
  'price',
  'amount',
  'ratio',
  'currency',
  'fees',
  'tradeDate',
  'settleDate',
  'fxRate',
];
const DECIMALS = new Set(['quantity', 'price', 'amount', 'ratio', 'fees', 'fxRate', 'multiplier', 'strike']);
const UPPER = new Set(['symbol', 'underlying']);
const INSTRUMENT_ORDER = [
  'assetClass',
  'symbol',
  'currency',
  'isin',
  'multiplier',
  'underlying',
  'expiry',
  'strike',
  'putCall',
];
const LEFT_OUT = new Set(['note', 'externalId', 'instrument', ...TRADE_ORDER]);
const SEPARATOR = '\u001f';
// 22 base64url characters: the first 132 bits of the SHA-256.
const DIGEST_CHARS = 22;

/** "200.00" → "200", "-0" → "0"; the value has passed TradeInputSchema (no exponent, no leading zeros). */
const canonical = (value: string): string => {
  const text = value.includes('.') ? value.replace(/\.?0+$/, '') : value;
  return text === '-0' ? '0' : text;
};

const member = (name: string, value: unknown): string => {
  if (typeof value !== 'string') return `${name}=${JSON.stringify(value)}${SEPARATOR}`;
  if (DECIMALS.has(name)) return `${name}=${canonical(value)}${SEPARATOR}`;
  return `${name}=${UPPER.has(name) ? value.trim().toUpperCase() : value}${SEPARATOR}`;
};

const instrumentContent = (instrument: Record<string, unknown>): string => {
  let text = '';
  for (const name of INSTRUMENT_ORDER) {
    const value = name === 'multiplier' ? (instrument.multiplier ?? '1') : instrument[name];
    if (value !== undefined) text += member(name, value);
  }
  return text;
};

/**
 * The economic content of a trade in one canonical text: decimals canonical ("200.00" = "200"), the
 * instrument as it is stored (upper-case symbols, multiplier 1 when absent), a zero fee the same as none.
 * `note` and `externalId` are left out: a note is commentary, not identity.
 */
export const tradeContent = (trade: TradeInput): string => {
  const fields = trade as Record<string, unknown>;
  let text = '';
  for (const name of TRADE_ORDER) {
    const value = fields[name];
    if (value === undefined || (name === 'fees' && canonical(String(value)) === '0')) continue;
    text += member(name, value);
  }
  if (trade.instrument !== undefined) text += `instrument{${instrumentContent(trade.instrument)}}`;
  const others: string[] = [];
  for (const name in fields) if (!LEFT_OUT.has(name) && fields[name] !== undefined) others.push(name);
  if (others.length > 0) for (const name of others.sort()) text += member(name, fields[name]);
  return text;
};

/**
 * Fingerprints decide what a re-import skips, so they must not change between two imports of the same
 * trade and must differ between two real trades.
 *
 * - With a broker id (`externalId`: IBKR's tradeID/transactionID, namespaced per broker by the parsers;
 *   a mapped id column in generic-csv; kept in a kupala-json export) the fingerprint is `id:<externalId>`.
 *   Two formats of the same broker (IBKR Flex XML and Flex CSV) give the same ids, so an overlapping
 *   statement in the other format also imports nothing twice. A broker id repeated within one file is
 *   a row error rather than a silent duplicate.
 * - Without one (Schwab, Fidelity, IBKR activity statements, most generic files) it is
 *   `hash:<first 132 bits of SHA-256 of tradeContent, base64url>:<n>` where n counts the same content within the
 *   file (1, 2, …): two identical fills on one day stay two trades, and a later statement that repeats
 *   both maps them onto the same two fingerprints.
 *
 * Limitation of the content hash: identical trades are told apart only by their order within a file.
 * If two identical trades (same day, instrument, quantity, price, fees) arrive in two different files
 * that do not both contain the other (e.g. one file per execution venue), the second file's trade is
 * taken for the first one and skipped. A corrected row (another price) is a new trade, not an update.
 */
export class Fingerprinter {
  private readonly occurrences = new Map<string, number>();
  private readonly idRows = new Map<string, number>();

  /** The trade's fingerprint, or an error when its broker id was already used in this file. */
  take(trade: TradeInput, row: number): string | RowError {
    if (trade.externalId !== undefined) {
      const first = this.idRows.get(trade.externalId);
      if (first !== undefined) {
        return {
          row,
          field: 'externalId',
          message: `"${trade.externalId}" was already used on row ${first}`,
        };
      }
      this.idRows.set(trade.externalId, row);
      return `id:${trade.externalId}`;
    }
    const digest = hash('sha256', tradeContent(trade), 'base64url').slice(0, DIGEST_CHARS);
    const occurrence = (this.occurrences.get(digest) ?? 0) + 1;
    this.occurrences.set(digest, occurrence);
    return `hash:${digest}:${occurrence}`;
  }
}
