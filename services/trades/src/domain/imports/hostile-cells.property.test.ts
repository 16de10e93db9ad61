import fc from 'fast-check';
import { parseAll } from './parse-fixture';
import type { ImportFormat, ImportRow, ParseOptions } from './types';

// Every parser, fed files whose structure is right but whose cells are anything at all — Object.prototype's
// member names above all — answers with trades, skips and row errors: never a TypeError that fails the
// whole import (and, in Lambda, retries it).

const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'prototype',
  '__defineGetter__',
];
const cell = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1,000',
    '$1.00',
    '(2.50)',
    '01/05/2026',
    '2026-01-05',
    '20260105',
    'USD',
    'STK',
  ),
  fc.constantFrom(
    'X(US0000000002) Split 1 for 0',
    'AB(US0000000002) Split 3 for 2',
    'description',
    'dateTime',
  ),
  fc.constantFrom(
    'Buy',
    'Sell',
    'Stock Split',
    'Reverse Split',
    'Withholding Tax',
    'OPT',
    'C',
    'Ep',
    'Order',
    'Trade',
  ),
  fc.string({ maxLength: 12 }),
);
const rowsOf = (width: number) =>
  fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 });

const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;
const csv = (lines: string[][]) => `${lines.map((line) => line.map(csvCell).join(',')).join('\n')}\n`;
const xmlText = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;')
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/g, '');

interface Layout {
  format: ImportFormat;
  options: ParseOptions;
  file: fc.Arbitrary<string>;
}

const header = (names: string) => names.split(',');
const GENERIC = header('Date,Type,Symbol,Class,Qty,Price,Amount,Ccy,Fees,Expiry,Strike,PutCall,Ratio');
const SCHWAB = header('Date,Action,Symbol,Description,Quantity,Price,Fees & Comm,Amount');
const FIDELITY = header(
  'Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date',
);
const FLEX = header(
  'ClientAccountID,CurrencyPrimary,AssetClass,Symbol,Put/Call,TradeID,TradeDate,Quantity,TradePrice,TradeMoney,IBCommission,Buy/Sell,LevelOfDetail',
);
const FLEX_CASH = header(
  'ClientAccountID,CurrencyPrimary,AssetClass,Symbol,DateTime,Amount,Type,TransactionID',
);
const ACTIVITY_TRADES = header(
  'DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Proceeds,Comm/Fee,Code',
);
const ACTIVITY_CASH = header('Currency,Date,Description,Amount');

const LAYOUTS: Layout[] = [
  {
    format: 'generic-csv',
    options: {
      baseCurrency: 'USD',
      mapping: {
        columns: {
          tradeDate: 'Date',
          type: 'Type',
          'instrument.symbol': 'Symbol',
          'instrument.assetClass': 'Class',
          quantity: 'Qty',
          price: 'Price',
          amount: 'Amount',
          currency: 'Ccy',
          fees: 'Fees',
          'instrument.expiry': 'Expiry',
          'instrument.strike': 'Strike',
          'instrument.putCall': 'PutCall',
          ratio: 'Ratio',
        },
        typeValues: { B: 'BUY' },
      },
    },
    file: rowsOf(GENERIC.length).map((rows) => csv([GENERIC, ...rows])),
  },
  {
    format: 'schwab-csv',
    options: { existingTradesOf: async () => [{ type: 'BUY', tradeDate: '2000-01-01', quantity: '10' }] },
    file: rowsOf(SCHWAB.length).map((rows) => csv([SCHWAB, ...rows])),
  },
  {
    format: 'fidelity-csv',
    options: {},
    file: rowsOf(FIDELITY.length).map((rows) => csv([FIDELITY, ...rows])),
  },
  {
    format: 'ibkr-flex-csv',
    options: { baseCurrency: 'USD' },
    file: fc
      .tuple(rowsOf(FLEX.length), rowsOf(FLEX_CASH.length))
      .map(([trades, cash]) => csv([FLEX, ...trades, FLEX_CASH, ...cash])),
  },
  {
    format: 'ibkr-activity-csv',
    options: {},
    file: fc
      .tuple(
        rowsOf(ACTIVITY_TRADES.length),
        rowsOf(ACTIVITY_CASH.length),
        fc.constantFrom('Dividends', 'Withholding Tax', 'Fees', 'Interest', 'Corporate Actions'),
      )
      .map(([trades, cash, section]) =>
        csv([
          ['Trades', 'Header', ...ACTIVITY_TRADES],
          ...trades.map((cells) => ['Trades', 'Data', ...cells]),
          [section, 'Header', ...ACTIVITY_CASH],
          ...cash.map((cells) => [section, 'Data', ...cells]),
        ]),
      ),
  },
  {
    format: 'ibkr-flex-xml',
    options: { baseCurrency: 'USD' },
    file: fc
      .array(
        fc.tuple(
          fc.constantFrom(
            'Trade',
            'CashTransaction',
            'CorporateAction',
            'Order',
            'constructor',
            '__proto__',
            'toString',
          ),
          fc.array(
            fc.tuple(
              fc.constantFrom(
                ...FLEX.map((name) => name.replace(/[^A-Za-z]/g, '')),
                'type',
                'amount',
                'description',
                'dateTime',
                'constructor',
                '__proto__',
              ),
              cell,
            ),
            {
              maxLength: 10,
            },
          ),
        ),
        { maxLength: 8 },
      )
      .map((elements) => {
        const tags = elements.map(([name, attributes]) => {
          const unique = new Map(attributes);
          const text = [...unique].map(([key, value]) => `${key}="${xmlText(value)}"`).join(' ');
          return `<${name} ${text}/>`;
        });
        return `<FlexQueryResponse><FlexStatements><FlexStatement><Trades>${tags.join('')}</Trades><CashTransactions>${tags.join('')}</CashTransactions><CorporateActions>${tags.join('')}</CorporateActions></FlexStatement></FlexStatements></FlexQueryResponse>`;
      }),
  },
  {
    format: 'kupala-json',
    options: {},
    file: fc
      .array(
        fc.dictionary(
          fc.oneof(
            fc.constantFrom(...PROTOTYPE_NAMES, 'type', 'amount', 'instrument'),
            fc.string({ maxLength: 6 }),
          ),
          cell,
        ),
        {
          maxLength: 8,
        },
      )
      .map((trades) => JSON.stringify({ format: 'kupala-json', version: 1, trades })),
  },
];

const isWellFormed = (row: ImportRow) =>
  row.row > 0 &&
  ((row.trade !== undefined && row.fingerprint !== undefined && row.errors.length === 0) ||
    (row.skipped !== undefined && row.errors.length === 0) ||
    (row.trade === undefined && row.errors.length > 0));

describe('hostile cells (property)', () => {
  it.each(LAYOUTS)(
    '$format: any cell is a trade, a skip or a row error — never a crash',
    async ({ format, options, file }) => {
      await fc.assert(
        fc.asyncProperty(file, async (text) => {
          const rows = await parseAll(format, text, options);

          expect(rows.filter((row) => !isWellFormed(row))).toEqual([]);
        }),
        { numRuns: 300 },
      );
    },
  );

  it.each([
    [
      'schwab-csv',
      `${SCHWAB.join(',')}\n01/05/2026,constructor,AAPL,,1,$1.00,,-$1.00\n`,
      'Schwab action "constructor" is not known',
    ],
    [
      'ibkr-activity-csv',
      `Trades,Header,${ACTIVITY_TRADES.join(',')}\nTrades,Data,Order,__proto__,USD,AAPL,2026-01-05,1,1,-1,0,O\n`,
      'Asset Category "__proto__" is not supported',
    ],
    [
      'ibkr-flex-csv',
      `${FLEX.join(',')}\nU1,USD,toString,AAPL,,1,20260105,1,1,1,0,BUY,EXECUTION\n`,
      'IBKR assetCategory "TOSTRING" is not supported',
    ],
  ] as const)(
    '%s: a prototype member name in a lookup column is an unknown value',
    async (format, text, message) => {
      const rows = await parseAll(format, text, {});

      expect(rows.flatMap((row) => row.errors).map((error) => error.message)).toContain(message);
    },
  );
});
