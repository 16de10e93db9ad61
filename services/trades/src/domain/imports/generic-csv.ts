/*
 * generic-csv: any delimited file with one header row, read through a saved column mapping
 * (generic-csv-mapping.ts).
 * - Maps each mapped column to its trade field. `type` goes through `typeValues` (exact, then ignoring
 *   case), else is read as a type name (`buy`, `Sell Short`); with no type column the sign of the
 *   quantity tells BUY (positive) from SELL (negative). Quantities and amounts may be written negative
 *   for outgoing types (SELL, WITHDRAWAL, FEE, …); fees may be written negative (commission columns often
 *   are). Numbers: thousands separators, `(1,234.50)` negatives, a decimal comma with
 *   `decimalSeparator: ","`. Dates in `dateFormat` (default YYYY-MM-DD; ISO is always accepted too).
 * - Currency: the `currency` column, else `instrument.currency`, else the portfolio's base currency; the
 *   instrument's currency defaults to the trade's. Asset class: its column (STK/STOCK → EQUITY, OPT →
 *   OPTION, FUT → FUTURE also understood), else OPTION for an OCC symbol (terms read from the code,
 *   21-character padded codes compacted), else EQUITY. An OPTION row with a plain ticker and the terms in
 *   expiry, strike and putCall columns, and no underlying, is an option on that ticker: `underlying` is
 *   derived and the symbol becomes the OCC code. Options without a multiplier column get 100.
 *   `ratio` also reads `2:1` / `2-for-1`.
 * - Fees in another currency: `fees` are in the trade currency unless a `feeCurrency` column names
 *   another; then they are converted at the row's `fxRate` when that currency is the base currency, else
 *   booked as a separate FEE trade in the fee currency (foreign-fees.ts).
 * - Cross-check: a BUY/SELL/short/cover row that also has a value in the `amount` column must have
 *   quantity × price × multiplier (with or without its fees) equal to it, within the rounding of the
 *   figures as written, else a row error (a total cost read as a per-share price never books).
 * - Row errors: a row with fewer or more cells than the header ("N cells, header has M"): nothing of it
 *   is read. Skipped: blank lines (not reported), the header row. Mapped columns that do not apply to a row's
 *   type (an amount on a BUY, a price on a DIVIDEND) are ignored for that row.
 * - File errors: no mapping or an invalid one, no header row, a mapped column missing from the header.
 */
import { canonicalDecimal, Decimal, TRADE_TYPES, type TradeType, type z } from '@kupala/trade-model';
import { crossCheckAmount } from './amount-check';
import { readCsvBatches } from './csv-lines';
import { type DateReader, type DateText, dateReader } from './dates';
import type { DecimalSeparator } from './decimal-text';
import { bookFee, separateFeeRow } from './foreign-fees';
import {
  GENERIC_CSV_FIELDS,
  type GenericCsvField,
  type GenericCsvMapping,
  GenericCsvMappingSchema,
} from './generic-csv-mapping';
import { occSymbol, parseOccSymbol } from './option-symbols';
import { compact, RowDraft, raggedRow, skippedRow } from './row-draft';
import { OUTGOING_TYPES, TRADE_SHAPES, tradeTypeNamed } from './trade-shapes';
import { type BrokerFileInput, ImportFileError, type ParsedRow, type ParseOptions } from './types';

type ColumnIndex = Partial<Record<GenericCsvField, number>>;

// Maps, not object literals: a cell such as "constructor" must find nothing, not Object.prototype's member.
const ASSET_CLASS_ALIASES: ReadonlyMap<string, string> = new Map([
  ['STK', 'EQUITY'],
  ['STOCK', 'EQUITY'],
  ['STOCKS', 'EQUITY'],
  ['SHARE', 'EQUITY'],
  ['SHARES', 'EQUITY'],
  ['OPT', 'OPTION'],
  ['OPTIONS', 'OPTION'],
  ['FUT', 'FUTURE'],
  ['FUTURES', 'FUTURE'],
  ['FUNDS', 'FUND'],
  ['BONDS', 'BOND'],
]);
const PUT_CALL: ReadonlyMap<string, 'C' | 'P'> = new Map([
  ['C', 'C'],
  ['CALL', 'C'],
  ['P', 'P'],
  ['PUT', 'P'],
]);
const RATIO = /^(\d+(?:\.\d+)?)\s*(?::|-for-|\s+for\s+|\/)\s*(\d+(?:\.\d+)?)$/i;
const RATIO_PLACES = 12;
const NOT_NEGATIVE_PRICE = { contradicts: 'a price' };
const SIGN_RULES: ReadonlyMap<TradeType, 'allowed' | { contradicts: string }> = new Map(
  TRADE_TYPES.map((type) => [type, OUTGOING_TYPES.has(type) ? 'allowed' : { contradicts: `a ${type}` }]),
);
const NOT_NEGATIVE_RATE = { contradicts: 'a rate' };
const NOT_NEGATIVE_TERM = { contradicts: 'a positive contract term' };

const mappingProblems = (error: z.core.$ZodError): string =>
  error.issues
    .map((issue) => `${['mapping', ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ');

const indexColumns = (mapping: GenericCsvMapping, header: string[], line: number): ColumnIndex => {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  header.forEach((name, position) => {
    if (!exact.has(name)) exact.set(name, position);
    const key = name.toLowerCase();
    if (!loose.has(key)) loose.set(key, position);
  });
  const index: ColumnIndex = {};
  const missing: string[] = [];
  for (const [field, column] of Object.entries(mapping.columns) as [GenericCsvField, string][]) {
    const position = exact.get(column) ?? loose.get(column.trim().toLowerCase());
    if (position === undefined) missing.push(`"${column}" (${field})`);
    else index[field] = position;
  }
  if (missing.length > 0) {
    throw new ImportFileError(
      `the header row has no column ${missing.join(', ')}; its columns are ${header.map((name) => `"${name}"`).join(', ')}`,
      { line },
    );
  }
  return index;
};

/** A small memo for values that repeat down a file (dates, types, instruments); cleared when full. */
class Memo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  set(key: string, value: V): V {
    if (this.values.size >= this.capacity) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}

const MEMO_SIZE = 4096;
// The instrument's details beyond its symbol: when any is mapped, they take part in the instrument's memo key.
const INSTRUMENT_FIELDS = GENERIC_CSV_FIELDS.filter(
  (field) => field.startsWith('instrument.') && field !== 'instrument.symbol',
);

class GenericCsvReader {
  private readonly readDate: DateReader;
  private readonly separator: DecimalSeparator;
  private readonly typeValues = new Map<string, TradeType>();
  private readonly looseTypeValues = new Map<string, TradeType>();
  private readonly types = new Memo<TradeType | null>(256);
  private readonly dates = new Memo<DateText | undefined>(MEMO_SIZE);
  private readonly instruments = new Memo<Record<string, unknown>>(MEMO_SIZE);
  private readonly mapsInstrumentDetails: boolean;

  constructor(
    private readonly mapping: GenericCsvMapping,
    private readonly index: ColumnIndex,
    private readonly baseCurrency: string | undefined,
  ) {
    const readDate = dateReader(mapping.dateFormat ?? 'YYYY-MM-DD');
    this.readDate = (raw) => this.dates.get(raw) ?? this.dates.set(raw, readDate(raw));
    this.separator = mapping.decimalSeparator ?? '.';
    for (const [value, type] of Object.entries(mapping.typeValues ?? {})) {
      this.typeValues.set(value, type);
      this.looseTypeValues.set(value.trim().toLowerCase(), type);
    }
    this.mapsInstrumentDetails = INSTRUMENT_FIELDS.some((field) => index[field] !== undefined);
  }

  private column(field: GenericCsvField): string {
    return this.mapping.columns[field] ?? field;
  }

  private cell(cells: string[], field: GenericCsvField): string | undefined {
    const position = this.index[field];
    if (position === undefined) return undefined;
    const value = cells[position];
    return value === undefined || value === '' ? undefined : value;
  }

  private typeOf(raw: string): TradeType | undefined {
    const known = this.types.get(raw);
    if (known !== undefined) return known ?? undefined;
    const type =
      this.typeValues.get(raw) ?? this.looseTypeValues.get(raw.trim().toLowerCase()) ?? tradeTypeNamed(raw);
    return this.types.set(raw, type ?? null) ?? undefined;
  }

  private direction(cells: string[], draft: RowDraft): TradeType | undefined {
    if (this.index.type === undefined) {
      const signed = draft.number('quantity', this.cell(cells, 'quantity'), this.column('quantity'));
      if (signed === undefined) {
        return draft.fail('quantity', 'is required: without a type column its sign gives the direction');
      }
      return signed.negative ? 'SELL' : 'BUY';
    }
    const raw = this.cell(cells, 'type');
    if (raw === undefined) return draft.fail('type', `column "${this.column('type')}" is empty`);
    const type = this.typeOf(raw);
    if (type === undefined) {
      draft.fail(
        'type',
        `"${raw}" in column "${this.column('type')}" is not a trade type; map it with typeValues`,
      );
    }
    return type;
  }

  read(cells: string[], line: number, out: ParsedRow[]): void {
    const draft = new RowDraft(line, this.separator);
    const type = this.direction(cells, draft);
    if (type === undefined) {
      out.push(draft.failed());
      return;
    }
    const shape = TRADE_SHAPES[type];
    const negative = SIGN_RULES.get(type) ?? 'allowed';
    const currencyCell = this.cell(cells, 'currency') ?? this.cell(cells, 'instrument.currency');
    const currency = currencyCell === undefined ? this.baseCurrency : currencyCell.toUpperCase();
    if (currency === undefined) {
      draft.fail(
        'currency',
        'is required: no currency column has a value and the portfolio has no base currency',
      );
    }
    const candidate: Record<string, unknown> = { type };
    const symbol = this.cell(cells, 'instrument.symbol');
    if (symbol !== undefined) candidate.instrument = this.instrument(cells, draft, symbol, currency);
    else if (shape.instrument === 'required') {
      draft.fail(
        'instrument.symbol',
        `is required for a ${type} (column "${this.column('instrument.symbol')}" is empty)`,
      );
    }
    if (shape.quantity) {
      const quantity = draft.magnitude(
        'quantity',
        this.cell(cells, 'quantity'),
        this.column('quantity'),
        negative,
      );
      if (quantity !== undefined) candidate.quantity = quantity;
    }
    if (shape.price) {
      const price = draft.magnitude(
        'price',
        this.cell(cells, 'price'),
        this.column('price'),
        NOT_NEGATIVE_PRICE,
      );
      if (price !== undefined) candidate.price = price;
    }
    if (shape.amount) {
      const amount = draft.magnitude('amount', this.cell(cells, 'amount'), this.column('amount'), negative);
      if (amount !== undefined) candidate.amount = amount;
    }
    if (shape.ratio) {
      const ratio = this.ratio(cells, draft);
      if (ratio !== undefined) candidate.ratio = ratio;
    }
    if (currency !== undefined) candidate.currency = currency;
    const fxRate = draft.magnitude(
      'fxRate',
      this.cell(cells, 'fxRate'),
      this.column('fxRate'),
      NOT_NEGATIVE_RATE,
    );
    const fee = draft.magnitude('fees', this.cell(cells, 'fees'), this.column('fees'), 'allowed');
    const feeCurrency = this.cell(cells, 'feeCurrency')?.toUpperCase() ?? currency;
    const booking =
      fee === undefined || feeCurrency === undefined
        ? {}
        : bookFee({ amount: fee, currency: feeCurrency }, { currency, fxRate }, this.baseCurrency);
    if (booking.fees !== undefined) candidate.fees = booking.fees;
    const amountCell = shape.price && !shape.amount ? this.cell(cells, 'amount') : undefined;
    if (amountCell !== undefined) this.crossCheck(draft, type, candidate, amountCell);
    const rawTradeDate = this.cell(cells, 'tradeDate');
    const tradeDate = draft.date('tradeDate', rawTradeDate, this.column('tradeDate'), this.readDate);
    if (rawTradeDate === undefined)
      draft.fail('tradeDate', `is required (column "${this.column('tradeDate')}" is empty)`);
    if (tradeDate !== undefined) candidate.tradeDate = tradeDate;
    const settleDate = draft.date(
      'settleDate',
      this.cell(cells, 'settleDate'),
      this.column('settleDate'),
      this.readDate,
    );
    if (settleDate !== undefined) candidate.settleDate = settleDate;
    if (fxRate !== undefined) candidate.fxRate = fxRate;
    const externalId = this.cell(cells, 'externalId');
    if (externalId !== undefined) candidate.externalId = externalId;
    const note = this.cell(cells, 'note');
    if (note !== undefined) candidate.note = note;
    // Without a currency nothing else about the row can be checked meaningfully.
    out.push(currency === undefined ? draft.failed() : draft.result(candidate));
    if (booking.separate !== undefined) {
      out.push(
        separateFeeRow(
          { row: line },
          booking.separate,
          { tradeDate, settleDate },
          externalId,
          `fees of the ${type} on line ${line}`,
        ),
      );
    }
  }

  /** The row's instrument; rows naming the same one share an object (validation never mutates it). */
  private instrument(
    cells: string[],
    draft: RowDraft,
    rawSymbol: string,
    currency: string | undefined,
  ): Record<string, unknown> {
    let key = `${rawSymbol}\u001f${currency ?? ''}`;
    if (this.mapsInstrumentDetails) {
      for (const field of INSTRUMENT_FIELDS) key += `\u001f${this.cell(cells, field) ?? ''}`;
    }
    const known = this.instruments.get(key);
    if (known !== undefined) return known;
    const errorsBefore = draft.errors.length;
    const instrument = this.buildInstrument(cells, draft, rawSymbol, currency);
    return draft.errors.length === errorsBefore ? this.instruments.set(key, instrument) : instrument;
  }

  private buildInstrument(
    cells: string[],
    draft: RowDraft,
    rawSymbol: string,
    currency: string | undefined,
  ): Record<string, unknown> {
    const occ = parseOccSymbol(rawSymbol);
    const rawClass = this.cell(cells, 'instrument.assetClass')?.toUpperCase();
    const assetClass =
      rawClass === undefined
        ? occ === undefined
          ? 'EQUITY'
          : 'OPTION'
        : (ASSET_CLASS_ALIASES.get(rawClass) ?? rawClass);
    const isOption = assetClass === 'OPTION';
    const rawPutCall = this.cell(cells, 'instrument.putCall');
    const putCall = rawPutCall === undefined ? undefined : PUT_CALL.get(rawPutCall.toUpperCase());
    if (rawPutCall !== undefined && putCall === undefined) {
      draft.fail(
        'instrument.putCall',
        `"${rawPutCall}" in column "${this.column('instrument.putCall')}" is not C, P, CALL or PUT`,
      );
    }
    const multiplier = draft.magnitude(
      'instrument.multiplier',
      this.cell(cells, 'instrument.multiplier'),
      this.column('instrument.multiplier'),
      NOT_NEGATIVE_TERM,
    );
    const expiry = draft.date(
      'instrument.expiry',
      this.cell(cells, 'instrument.expiry'),
      this.column('instrument.expiry'),
      this.readDate,
    );
    const strike = draft.magnitude(
      'instrument.strike',
      this.cell(cells, 'instrument.strike'),
      this.column('instrument.strike'),
      NOT_NEGATIVE_TERM,
    );
    const underlyingCell = this.cell(cells, 'instrument.underlying');
    // A plain ticker with the contract's terms in their own columns is an option on that ticker: it gets
    // the OCC code as its symbol, as every other importer's options do.
    const contract =
      isOption &&
      occ === undefined &&
      underlyingCell === undefined &&
      expiry !== undefined &&
      strike !== undefined &&
      putCall !== undefined
        ? { underlying: rawSymbol, expiry, strike: canonicalDecimal(strike), putCall }
        : undefined;
    const symbol =
      contract !== undefined
        ? occSymbol(contract)
        : occ !== undefined && /\s/.test(rawSymbol)
          ? occSymbol(occ)
          : rawSymbol;
    return compact({
      assetClass,
      symbol,
      currency: this.cell(cells, 'instrument.currency')?.toUpperCase() ?? currency,
      isin: this.cell(cells, 'instrument.isin')?.toUpperCase(),
      multiplier: multiplier ?? (isOption ? '100' : undefined),
      underlying: underlyingCell ?? contract?.underlying ?? (isOption ? occ?.underlying : undefined),
      expiry: expiry ?? (isOption ? occ?.expiry : undefined),
      strike: contract?.strike ?? strike ?? (isOption ? occ?.strike : undefined),
      putCall: putCall ?? (isOption ? occ?.putCall : undefined),
    });
  }

  /** A security row that also fills the amount column: its total must agree with quantity × price. */
  private crossCheck(
    draft: RowDraft,
    type: TradeType,
    candidate: Record<string, unknown>,
    amountCell: string,
  ): void {
    const amount = draft.number('amount', amountCell, this.column('amount'));
    const instrument = candidate.instrument as Record<string, unknown> | undefined;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    crossCheckAmount(draft, {
      type,
      quantity: text(candidate.quantity),
      price: text(candidate.price),
      multiplier: text(instrument?.multiplier) ?? '1',
      charges: [text(candidate.fees)],
      amount,
      column: this.column('amount'),
      chargesIncluded: 'either',
    });
  }

  private ratio(cells: string[], draft: RowDraft): string | undefined {
    const raw = this.cell(cells, 'ratio');
    if (raw === undefined) return undefined;
    const pair = RATIO.exec(raw.trim());
    if (pair === null) return draft.magnitude('ratio', raw, this.column('ratio'), { contradicts: 'a ratio' });
    const [, newUnits = '1', oldUnits = '1'] = pair;
    if (new Decimal(oldUnits).eq(0)) return draft.fail('ratio', `"${raw}" divides by zero`);
    return canonicalDecimal(new Decimal(newUnits).div(oldUnits).round(RATIO_PLACES, Decimal.roundHalfEven));
  }
}

export async function* parseGenericCsv(
  input: BrokerFileInput,
  options: ParseOptions,
): AsyncGenerator<ParsedRow[]> {
  if (options.mapping === undefined) throw new ImportFileError('a generic-csv import needs a column mapping');
  const checked = GenericCsvMappingSchema.safeParse(options.mapping);
  if (!checked.success)
    throw new ImportFileError(`the mapping is invalid: ${mappingProblems(checked.error)}`);
  const mapping = checked.data;
  let reader: GenericCsvReader | undefined;
  let width = 0;
  for await (const batch of readCsvBatches(input, { delimiter: mapping.delimiter ?? ',' })) {
    const out: ParsedRow[] = [];
    for (const { line, cells } of batch) {
      if (cells.length === 0) continue;
      if (reader === undefined) {
        reader = new GenericCsvReader(mapping, indexColumns(mapping, cells, line), options.baseCurrency);
        width = cells.length;
        out.push(skippedRow(line, 'HEADER'));
        continue;
      }
      if (cells.length !== width) out.push(raggedRow(line, cells.length, width));
      else reader.read(cells, line, out);
    }
    yield out;
  }
  if (reader === undefined) throw new ImportFileError('the file is empty: it has no header row');
}
