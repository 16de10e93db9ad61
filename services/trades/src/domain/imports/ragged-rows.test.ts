import type { GenericCsvMapping } from './generic-csv-mapping';
import { errorsOf, parseAll, tradesOf, usd, usdEquity } from './parse-fixture';
import type { ImportFormat, ParseOptions } from './types';

const GENERIC_MAPPING: GenericCsvMapping = {
  columns: {
    tradeDate: 'Date',
    type: 'Type',
    'instrument.symbol': 'Symbol',
    quantity: 'Qty',
    price: 'Price',
    currency: 'Ccy',
    fees: 'Fees',
  },
};

interface Case {
  format: ImportFormat;
  options: ParseOptions;
  /** A well-formed file: the good row is on `goodLine`. */
  lines: string[];
  goodLine: number;
  /** The good row cut short by its last cell, and the good row with one cell too many. */
  short: string;
  long: string;
  /** Cells of the header line (IBKR activity counts its section and kind cells too). */
  headerCells: number;
}

const CASES: Case[] = [
  {
    format: 'generic-csv',
    options: { mapping: GENERIC_MAPPING },
    lines: ['Date,Type,Symbol,Qty,Price,Ccy,Fees', '2026-01-05,BUY,AAPL,10,190.5,USD,1'],
    goodLine: 2,
    short: '2026-01-05,BUY,AAPL,10,190.5,USD', // the fees cell is missing
    long: '2026-01-05,BUY,AAPL,10,190,5,USD,1', // a decimal comma split the price in two
    headerCells: 7,
  },
  {
    format: 'schwab-csv',
    options: {},
    lines: [
      'Date,Action,Symbol,Description,Quantity,Price,Fees & Comm,Amount',
      '01/05/2026,Buy,AAPL,APPLE INC,10,$190.50,$1.00,"-$1,906.00"',
    ],
    goodLine: 2,
    short: '01/05/2026,Buy,AAPL,APPLE INC,10,$190.50,$1.00',
    long: '01/05/2026,Buy,AAPL,APPLE INC,10,$190.50,$1.00,"-$1,906.00",x',
    headerCells: 8,
  },
  {
    format: 'fidelity-csv',
    options: {},
    lines: [
      'Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date',
      '01/05/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,10,190.5,,,,-1905,01/07/2026',
    ],
    goodLine: 2,
    short: '01/05/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,10,190.5,,,,-1905',
    long: '01/05/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,10,190.5,,,,,-1905,01/07/2026',
    headerCells: 12,
  },
  {
    format: 'ibkr-activity-csv',
    options: {},
    lines: [
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Proceeds,Comm/Fee,Code',
      'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:31:02",10,190.5,-1905,-1,O',
    ],
    goodLine: 2,
    short: 'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:31:02",10,190.5,-1905,-1',
    long: 'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:31:02",10,190.5,,-1905,-1,O',
    headerCells: 12,
  },
  {
    format: 'ibkr-flex-csv',
    options: { baseCurrency: 'USD' },
    lines: [
      'ClientAccountID,CurrencyPrimary,AssetClass,Symbol,TradeID,TradeDate,Quantity,TradePrice,IBCommission,IBCommissionCurrency,Buy/Sell',
      'U1,USD,STK,AAPL,7001,20260105,10,190.5,-1,USD,BUY',
    ],
    goodLine: 2,
    short: 'U1,USD,STK,AAPL,7002,20260105,10,190.5,-1,USD',
    long: 'U1,USD,STK,AAPL,7003,20260105,10,190,5,-1,USD,BUY',
    headerCells: 11,
  },
];

describe('a row with fewer or more cells than its header', () => {
  it.each(CASES)(
    '$format: the well-formed file books its row',
    async ({ format, options, lines, goodLine }) => {
      const rows = await parseAll(format, `${lines.join('\n')}\n`, options);

      expect(errorsOf(rows)).toEqual([]);
      expect(tradesOf(rows).map(({ row }) => row)).toEqual([goodLine]);
    },
  );

  it.each(CASES)(
    '$format: a cut-short row and a row with a cell too many are row errors naming their line; nothing of them is booked',
    async ({ format, options, lines, short, long, headerCells }) => {
      const rows = await parseAll(format, `${[...lines, short, long].join('\n')}\n`, options);

      const shortCells = headerCells - 1;
      const longCells = headerCells + 1;
      expect(errorsOf(rows)).toEqual([
        { row: 3, field: 'row', message: `${shortCells} cells, header has ${headerCells}` },
        { row: 4, field: 'row', message: `${longCells} cells, header has ${headerCells}` },
      ]);
      expect(tradesOf(rows).map(({ row }) => row)).toEqual([2]);
    },
  );

  it("schwab-csv: the older layout's trailing comma on every line is not a ragged row", async () => {
    const text = [
      '"Transactions  for account XXXX-1234 as of 01/31/2026 10:30 PM ET",',
      '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount",',
      '"01/05/2026","Buy","MSFT","MICROSOFT CORP","3","$410.10","","-$1230.30",',
      '"01/07/2026","Sell","MSFT","MICROSOFT CORP","1","$415.00","$0.01","$414.99"',
      '"01/08/2026","Sell","MSFT","MICROSOFT CORP","1","$415.00","$0.01","$414.99",,',
      '"Transactions Total","","","","","","","-$815.31",',
    ].join('\n');

    const rows = await parseAll('schwab-csv', text);

    // line 4 has no trailing comma (8 cells), line 5 two of them: only 10 cells is too many
    expect(errorsOf(rows)).toEqual([{ row: 5, field: 'row', message: '10 cells, header has 8' }]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 3,
        trade: {
          type: 'BUY',
          instrument: usdEquity('MSFT'),
          quantity: '3',
          price: '410.10',
          ...usd,
          tradeDate: '2026-01-05',
        },
      },
      {
        row: 4,
        trade: {
          type: 'SELL',
          instrument: usdEquity('MSFT'),
          quantity: '1',
          price: '415.00',
          ...usd,
          fees: '0.01',
          tradeDate: '2026-01-07',
        },
      },
    ]);
  });
});
