import { TRADE_TYPES, type TradeInput, TradeInputSchema, type TradeType } from '@kupala/trade-model';
import fc from 'fast-check';
import { GENERIC_DATE_FORMATS, type GenericDateFormat } from './dates';
import { GENERIC_CSV_FIELDS, type GenericCsvField, type GenericCsvMapping } from './generic-csv-mapping';
import { occSymbol } from './option-symbols';
import { inChunks, parseAll, tradesOf } from './parse-fixture';
import { OUTGOING_TYPES } from './trade-shapes';

// Valid trades of every type, built field by field, then written to a CSV the way a user's spreadsheet might
// (any delimiter, decimal comma, thousands separators, its own date layout and type words, negative sells).

const positive = fc
  .tuple(
    fc.integer({ min: 0, max: 9_999_999 }),
    fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined }),
  )
  .map(([whole, fraction]) => (fraction === undefined ? `${whole}` : `${whole}.${fraction}`))
  .filter((value) => /[1-9]/.test(value));
const nonNegative = fc.oneof(positive, fc.constant('0'));
const currency = fc.constantFrom('USD', 'EUR', 'GBP', 'CHF', 'JPY');
const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));
const ticker = fc.stringMatching(/^[A-Z][A-Z0-9]{0,4}$/);
const note = fc
  .stringMatching(/^[A-Za-z0-9 ,;|"'\n€é-]{1,30}$/)
  .filter((text) => text.trim().length > 0 && text === text.trim());

const instrument = (currencyCode: string, kind: 'any' | 'derivative') => {
  const option = fc
    .record({
      underlying: ticker,
      expiry: isoDate.filter((date) => date >= '2000-01-01'),
      strike: positive,
      putCall: fc.constantFrom('C' as const, 'P' as const),
      multiplier: fc.constantFrom('100', '10'),
    })
    .map((terms) => ({
      assetClass: 'OPTION',
      symbol: occSymbol(terms),
      currency: currencyCode,
      ...terms,
    }));
  const future = fc
    .record({ symbol: ticker, expiry: isoDate, multiplier: positive })
    .map((terms) => ({ assetClass: 'FUTURE', currency: currencyCode, ...terms }));
  const plain = fc
    .record(
      {
        assetClass: fc.constantFrom('EQUITY', 'ETF', 'FUND', 'BOND', 'CRYPTO'),
        symbol: ticker,
        isin: fc.constantFrom('US0378331005', 'DE0007164600'),
      },
      { requiredKeys: ['assetClass', 'symbol'] },
    )
    .map((fields) => ({ ...fields, currency: currencyCode }));
  return kind === 'derivative' ? fc.oneof(option, future) : fc.oneof(plain, option, future);
};

const common = (type: TradeType) =>
  fc.record(
    {
      currency,
      tradeDate: isoDate,
      settleDays: fc.integer({ min: 0, max: 5 }),
      fxRate: positive,
      note,
      fees: type === 'FEE' ? fc.constant(undefined) : nonNegative,
    },
    { requiredKeys: ['currency', 'tradeDate'] },
  );

const settle = (tradeDate: string, days: number | undefined) => {
  if (days === undefined) return undefined;
  const date = new Date(`${tradeDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  const iso = date.toISOString().slice(0, 10);
  return iso <= '2100-12-31' ? iso : undefined;
};

const tradeOf = (type: TradeType): fc.Arbitrary<TradeInput> =>
  common(type)
    .chain(({ settleDays, ...base }): fc.Arbitrary<object> => {
      const fields = { ...base, settleDate: settle(base.tradeDate, settleDays) };
      const withInstrument = (kind: 'any' | 'derivative') => instrument(base.currency, kind);
      switch (type) {
        case 'BUY':
        case 'SELL':
        case 'SELL_SHORT':
        case 'BUY_TO_COVER':
          return fc
            .record({ instrument: withInstrument('any'), quantity: positive, price: nonNegative })
            .map((extra) => ({ type, ...fields, ...extra }));
        case 'DIVIDEND':
          return fc
            .record({ instrument: withInstrument('any'), amount: positive })
            .map((extra) => ({ type, ...fields, ...extra }));
        case 'SPLIT':
          return fc
            .record({ instrument: withInstrument('any'), ratio: positive })
            .map((extra) => ({ type, ...fields, ...extra }));
        case 'EXPIRE':
          return fc
            .record({ instrument: withInstrument('derivative'), quantity: positive })
            .map((extra) => ({ type, ...fields, ...extra }));
        case 'TRANSFER_IN':
        case 'TRANSFER_OUT':
          return fc
            .oneof(
              fc.record({ amount: positive }),
              fc.record({ instrument: withInstrument('any'), quantity: positive, price: nonNegative }),
            )
            .map((extra) => ({ type, ...fields, ...extra }));
        default:
          return fc
            .record({ amount: positive, instrument: withInstrument('any') }, { requiredKeys: ['amount'] })
            .map((extra) => ({ type, ...fields, ...extra }));
      }
    })
    .map((trade) => JSON.parse(JSON.stringify(trade)) as TradeInput);

const validTrade = fc
  .constantFrom(...TRADE_TYPES)
  .chain(tradeOf)
  .filter((trade) => TradeInputSchema.safeParse(trade).success);

// Every field a mapping can name but feeCurrency: the trades written here carry their fees in the trade currency.
const FIELDS = GENERIC_CSV_FIELDS.filter((field) => field !== 'feeCurrency');

interface Layout {
  delimiter: ',' | ';' | '\t' | '|';
  decimalSeparator: '.' | ',';
  dateFormat: GenericDateFormat;
  typeWords: boolean;
  thousands: boolean;
  negativeStyle: '-' | '()';
  crlf: boolean;
}

const layout = fc.record<Layout>({
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  decimalSeparator: fc.constantFrom('.', ','),
  dateFormat: fc.constantFrom(...GENERIC_DATE_FORMATS),
  typeWords: fc.boolean(),
  thousands: fc.boolean(),
  negativeStyle: fc.constantFrom('-', '()'),
  crlf: fc.boolean(),
});

const writeDate = (iso: string, format: GenericDateFormat) => {
  const [year = '', month = '', day = ''] = iso.split('-');
  return format.replace('YYYY', year).replace('MM', month).replace('DD', day);
};

const writeNumber = (value: string, style: Layout, negative: boolean) => {
  const [whole = '', fraction] = value.split('.');
  const grouping = style.decimalSeparator === '.' ? ',' : '.';
  const grouped = style.thousands ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) : whole;
  const text = fraction === undefined ? grouped : `${grouped}${style.decimalSeparator}${fraction}`;
  if (!negative) return text;
  return style.negativeStyle === '-' ? `-${text}` : `(${text})`;
};

const NUMBERS = new Set([
  'quantity',
  'price',
  'amount',
  'ratio',
  'fees',
  'fxRate',
  'instrument.multiplier',
  'instrument.strike',
]);
const DATES = new Set(['tradeDate', 'settleDate', 'instrument.expiry']);
const typeWord = (type: string) => `${type[0]}${type.slice(1).toLowerCase()} (file word)`;

const cellValue = (trade: TradeInput, field: GenericCsvField): string | undefined => {
  const [head = '', tail] = field.split('.');
  const holder = (tail === undefined ? trade : trade.instrument) as Record<string, unknown> | undefined;
  const value = holder?.[tail ?? head];
  return typeof value === 'string' ? value : undefined;
};

const writeFile = (trades: TradeInput[], style: Layout): { text: string; lines: number[] } => {
  const quote = (cell: string) =>
    cell.includes(style.delimiter) || /["\r\n]/.test(cell) || /^\s|\s$/.test(cell)
      ? `"${cell.replace(/"/g, '""')}"`
      : cell;
  const end = style.crlf ? '\r\n' : '\n';
  const rows = [FIELDS.map((field) => `Col ${field}`).join(style.delimiter)];
  const lines: number[] = [];
  let line = 2;
  trades.forEach((trade, index) => {
    lines.push(line);
    const cells = FIELDS.map((field) => {
      if (field === 'externalId') return `EXT-${index}`;
      if (field === 'type') return style.typeWords ? typeWord(trade.type) : trade.type.toLowerCase();
      const value = cellValue(trade, field);
      if (value === undefined) return '';
      if (DATES.has(field)) return writeDate(value, style.dateFormat);
      if (NUMBERS.has(field)) {
        const negative =
          (field === 'quantity' || field === 'amount') && OUTGOING_TYPES.has(trade.type) && index % 2 === 0;
        return writeNumber(value, style, negative);
      }
      return value;
    });
    for (const cell of cells) line += (cell.match(/\r\n|\r|\n/g) ?? []).length;
    line += 1;
    rows.push(cells.map(quote).join(style.delimiter));
  });
  return { text: rows.join(end) + end, lines };
};

const mappingFor = (style: Layout): GenericCsvMapping => ({
  columns: Object.fromEntries(FIELDS.map((field) => [field, `Col ${field}`])),
  dateFormat: style.dateFormat,
  delimiter: style.delimiter,
  decimalSeparator: style.decimalSeparator,
  ...(style.typeWords
    ? {
        typeValues: Object.fromEntries(TRADE_TYPES.map((type) => [typeWord(type), type])),
      }
    : {}),
});

describe('generic-csv round trip (property)', () => {
  it('parses random valid trades written to CSV with a mapping back to the same trades, on their lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(validTrade, { minLength: 1, maxLength: 8 }),
        layout,
        fc.integer({ min: 1, max: 97 }),
        async (trades, style, chunk) => {
          const expected = trades.map((trade, index) => ({ ...trade, externalId: `EXT-${index}` }));
          const { text, lines } = writeFile(trades, style);

          const rows = await parseAll('generic-csv', inChunks(text, chunk), { mapping: mappingFor(style) });

          expect(rows.flatMap((row) => row.errors)).toEqual([]);
          expect(tradesOf(rows)).toEqual(expected.map((trade, index) => ({ row: lines[index], trade })));
        },
      ),
      { numRuns: 200 },
    );
  });
});
