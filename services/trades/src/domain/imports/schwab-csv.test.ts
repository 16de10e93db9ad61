import {
  AAPL_DEC26_200_CALL,
  AAPL_JAN26_150_PUT,
  errorsOf,
  expectOneFileError,
  fixtureBytes,
  inChunks,
  parseAll,
  skipsOf,
  tradesOf,
  usd,
  usdEquity,
} from './parse-fixture';

describe('schwab-csv, current layout', () => {
  it('reads every action into its trade; money in "$1,234.56" forms, dates as-of', async () => {
    const rows = await parseAll('schwab-csv', inChunks(fixtureBytes('schwab-current.csv'), 64));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      { row: 2, trade: { type: 'DEPOSIT', amount: '10000.00', ...usd, tradeDate: '2026-01-02' } },
      {
        row: 3,
        trade: {
          type: 'BUY',
          instrument: usdEquity('AAPL'),
          quantity: '10',
          price: '190.50',
          ...usd,
          fees: '1.00',
          tradeDate: '2026-01-05',
        },
      },
      {
        row: 4,
        trade: {
          type: 'SELL',
          instrument: usdEquity('AAPL'),
          quantity: '4',
          price: '195.25',
          ...usd,
          fees: '0.02',
          tradeDate: '2026-01-06',
        },
      },
      {
        row: 5,
        trade: {
          type: 'SELL_SHORT',
          instrument: usdEquity('TSLA'),
          quantity: '5',
          price: '250.00',
          ...usd,
          fees: '0.04',
          tradeDate: '2026-01-07',
        },
      },
      {
        row: 6,
        trade: {
          type: 'BUY_TO_COVER',
          instrument: usdEquity('TSLA'),
          quantity: '5',
          price: '240.00',
          ...usd,
          tradeDate: '2026-01-20',
        },
      },
      {
        row: 7, // "AAPL 12/18/2026 200.00 C" → OCC AAPL261218C00200000, strike "200.00" → "200"
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          ...usd,
          fees: '1.30',
          tradeDate: '2026-01-21',
        },
      },
      {
        row: 8,
        trade: {
          type: 'EXPIRE',
          instrument: AAPL_JAN26_150_PUT,
          quantity: '1',
          ...usd,
          tradeDate: '2026-01-16',
        },
      },
      // "02/17/2026 as of 02/15/2026" books on the as-of date
      {
        row: 9,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('AAPL'),
          amount: '2.50',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      {
        row: 10,
        trade: {
          type: 'TAX',
          instrument: usdEquity('AAPL'),
          amount: '0.38',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      {
        row: 11,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('SCHD'),
          amount: '12.34',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      {
        row: 12,
        trade: {
          type: 'BUY',
          instrument: usdEquity('SCHD'),
          quantity: '0.4512',
          price: '27.35',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      { row: 13, trade: { type: 'INTEREST', amount: '0.87', ...usd, tradeDate: '2026-02-27' } },
      { row: 14, trade: { type: 'FEE', amount: '25.00', ...usd, tradeDate: '2026-02-28' } }, // "($25.00)"
      { row: 15, trade: { type: 'WITHDRAWAL', amount: '500.00', ...usd, tradeDate: '2026-03-02' } }, // Journal out
      // 90 shares added to the 10 bought on line 17 (listed later, dated earlier): (10 + 90) / 10 = 10-for-1
      {
        row: 16,
        trade: { type: 'SPLIT', instrument: usdEquity('NVDA'), ratio: '10', ...usd, tradeDate: '2026-03-03' },
      },
      {
        row: 17,
        trade: {
          type: 'BUY',
          instrument: usdEquity('NVDA'),
          quantity: '10',
          price: '180.00',
          ...usd,
          tradeDate: '2026-02-20',
        },
      },
    ]);
    expect(rows.filter((row) => row.skipped !== undefined)).toEqual([
      { row: 1, errors: [], skipped: 'HEADER' },
    ]);
  });
});

describe('schwab-csv, older layout', () => {
  it('skips the title line and the Transactions Total, and ignores the trailing commas', async () => {
    const rows = await parseAll('schwab-csv', fixtureBytes('schwab-older.csv'));

    expect(errorsOf(rows)).toEqual([]);
    expect(skipsOf(rows)).toEqual([
      { row: 1, skipped: 'TITLE' },
      { row: 2, skipped: 'HEADER' },
      { row: 6, skipped: 'TOTAL' },
    ]);
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
          type: 'DIVIDEND',
          instrument: usdEquity('MSFT'),
          amount: '2.49',
          ...usd,
          tradeDate: '2026-01-05',
        },
      },
      {
        row: 5,
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

describe('schwab-csv, bad rows and wrong files', () => {
  const header = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"';

  it('reports unknown actions, impossible dates, missing symbols, contradicting signs, a refund of nothing in the file', async () => {
    const text = [
      header,
      '"01/05/2026","Spin Cycle","AAPL","","","","",""',
      '"02/30/2026","Buy","AAPL","","1","$1.00","",""',
      '"01/05/2026","Buy","","","1","$1.00","",""',
      '"01/05/2026","Buy","AAPL","","-1","$1.00","",""',
      '"01/05/2026","NRA Tax Adj","AAPL","","","","","$0.38"',
    ].join('\n');

    const rows = await parseAll('schwab-csv', text);

    expect(errorsOf(rows)).toEqual([
      { row: 2, field: 'type', message: 'Schwab action "Spin Cycle" is not known' },
      {
        row: 3,
        field: 'tradeDate',
        message: '"02/30/2026" in column "Date" is not a calendar date (expected MM/DD/YYYY)',
      },
      { row: 4, field: 'instrument.symbol', message: 'is required for "Buy"' },
      {
        row: 5,
        field: 'quantity',
        message: '"-1" in column "Quantity" is negative, which contradicts a BUY',
      },
      {
        row: 6,
        field: 'amount',
        message:
          'a refund or reversal of TAX of 0.38 USD on AAPL that matches no charge in this file; trades keep amounts positive, so import it with the statement that has the original charge, or book the net by hand',
      },
    ]);
  });

  it.each([
    [
      'a Fidelity file',
      fixtureBytes('fidelity-activity.csv').toString('utf8'),
      /^line 3: not a Schwab transactions CSV: the header lacks "Date", "Price", "Amount", "Fees & Comm"$/,
    ],
    ['an empty file', '\n\n', /^the file is empty: no Schwab header row$/],
  ])('%s is one file-level error', async (_case, text, message) => {
    await expectOneFileError('schwab-csv', text, message);
  });
});
