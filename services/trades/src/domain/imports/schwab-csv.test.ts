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

describe('schwab-csv: every documented action, and splits from the shares held', () => {
  const header = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"';
  // Schwab lists newest first; the portfolio already holds NVDA and TNXP from before the file's period
  const existing = new Map([
    ['NVDA', [{ type: 'BUY', tradeDate: '2023-01-05', quantity: '4' }]],
    [
      'TNXP',
      [
        { type: 'BUY', tradeDate: '2023-02-01', quantity: '105' },
        // booked inside the file's period (e.g. by an earlier import of this file): not counted again
        { type: 'BUY', tradeDate: '2024-06-13', quantity: '1000' },
      ],
    ],
  ]);
  const asked: string[] = [];
  const options = {
    existingTradesOf: async (symbol: string) => {
      asked.push(symbol);
      return existing.get(symbol) ?? [];
    },
  };
  const text = [
    header,
    '"06/10/2024","Reverse Split","TNXP","TONIX PHARMA HLDGS","10","","",""',
    '"06/10/2024","Reverse Split","890260854","TONIX PHARMA HLDGS XXXREVERSE SPLIT EFF: 06/10/24","-105","","",""',
    '"07/15/2024 as of 07/12/2024","Stock Split","AVGO","BROADCOM INC","90","$170.067","",""',
    '"06/13/2024","Buy","AVGO","BROADCOM INC","10","$1680.00","","-$16800.00"',
    '"04/30/2023","Name Change","NEWH","NEWHYDROGEN INC","1,000","","",""',
    '"08/25/2023","Conversion","AMC","AMC ENTERTAINMENT CLASS A","34","","",""',
    '"08/24/2023","Advisor Fee","","TO ADVISOR","","","","-$519.67"',
    '"06/20/2023","Special Non Qual Div","TSLX","SIXTH STREET SPECIALTY L","","","","$11.41"',
    '"03/28/2023","Long Term Cap Gain Reinvest","DGLRX","BNY MELLON GLOBAL STOCK - I","","","","$99.02"',
    '"11/07/2023","Internal Transfer","","TDA TO DW&O TRANSFER","","","","$7.06"',
    '"11/07/2023","Non-Qualified Div","","TDA TRAN - NON-TAXABLE DIVIDENDS (CMF)","","","","$72.06"',
    '"05/01/2023","Stock Split","NVDA","NVIDIA CORP","36","","",""',
    '"07/07/2025 as of 07/03/2025","Assigned","DELL 07/03/2025 125.00 C","CALL DELL TECHNOLOGIES","5","","",""',
  ].join('\n');

  it('maps each action, derives split ratios from the file and the portfolio, skips the non-economic', async () => {
    const rows = await parseAll('schwab-csv', inChunks(text, 50), options);

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 2, // 105 held (bought 2023-02-01, before the file's first date 2023-03-28) → 10: 1-for-10
        trade: {
          type: 'SPLIT',
          instrument: usdEquity('TNXP'),
          ratio: '0.1',
          ...usd,
          tradeDate: '2024-06-10',
        },
      },
      {
        row: 4, // the 10 bought on line 5 plus the 90 added: (10 + 90) / 10
        trade: { type: 'SPLIT', instrument: usdEquity('AVGO'), ratio: '10', ...usd, tradeDate: '2024-07-12' },
      },
      {
        row: 5,
        trade: {
          type: 'BUY',
          instrument: usdEquity('AVGO'),
          quantity: '10',
          price: '1680.00',
          ...usd,
          tradeDate: '2024-06-13',
        },
      },
      { row: 8, trade: { type: 'FEE', amount: '519.67', ...usd, tradeDate: '2023-08-24' } },
      {
        row: 9,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('TSLX'),
          amount: '11.41',
          ...usd,
          tradeDate: '2023-06-20',
        },
      },
      {
        row: 10,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('DGLRX'),
          amount: '99.02',
          ...usd,
          tradeDate: '2023-03-28',
        },
      },
      { row: 11, trade: { type: 'DEPOSIT', amount: '7.06', ...usd, tradeDate: '2023-11-07' } },
      // a dividend naming no security (a money fund's) is income all the same: INTEREST
      { row: 12, trade: { type: 'INTEREST', amount: '72.06', ...usd, tradeDate: '2023-11-07' } },
      {
        row: 13, // the 4 held before the file + 36 added = 40: 10-for-1
        trade: { type: 'SPLIT', instrument: usdEquity('NVDA'), ratio: '10', ...usd, tradeDate: '2023-05-01' },
      },
      {
        row: 14, // the short call assigned: closed at 0 (the stock leg is a Sell row of its own)
        trade: {
          type: 'EXPIRE',
          instrument: {
            assetClass: 'OPTION',
            symbol: 'DELL250703C00125000',
            currency: 'USD',
            multiplier: '100',
            underlying: 'DELL',
            expiry: '2025-07-03',
            strike: '125',
            putCall: 'C',
          },
          quantity: '5',
          ...usd,
          tradeDate: '2025-07-03',
        },
      },
    ]);
    expect(rows.filter((row) => row.skipped !== undefined && row.skipped !== 'HEADER')).toEqual([
      {
        row: 3,
        errors: [],
        skipped: 'NON_ECONOMIC',
        detail: '"Reverse Split": the old security\'s shares, replaced by the split',
      },
      {
        row: 6,
        errors: [],
        skipped: 'NON_ECONOMIC',
        detail: '"Name Change": a new name or symbol for the same holding moves no cash',
      },
      {
        row: 7,
        errors: [],
        skipped: 'UNSUPPORTED',
        detail:
          '"Conversion": this corporate action changes holdings in a way a row does not say; book it by hand',
      },
    ]);
    expect([...new Set(asked)].sort()).toEqual(['AVGO', 'NVDA', 'TNXP']);
  });

  it('a split of a holding nobody knows, or with no clean ratio, is a row error saying so', async () => {
    const rows = await parseAll(
      'schwab-csv',
      [
        header,
        '"08/28/2023","Stock Div Dist","AMC","AMC ENTERTAINMENT CLASS A","4","","",""',
        '"09/01/2023","Stock Split","XYZ","XYZ CORP","337","","",""',
        '"08/01/2023","Buy","XYZ","XYZ CORP","1,000","$1.00","","-$1,000.00"',
      ].join('\n'),
      options,
    );

    expect(errorsOf(rows)).toEqual([
      {
        row: 2,
        field: 'ratio',
        message:
          '"Stock Div Dist" of 4 AMC shares added on 2023-08-28: no shares are held before that date (0) (counted from this file and the portfolio\'s trades before 2023-08-01)',
      },
      {
        row: 3,
        field: 'ratio',
        message:
          '"Stock Split" of 337 XYZ shares added on 2023-09-01: 1000 held becoming 1337 is not a clean split ratio (p/q with p, q up to 50) (counted from this file and the portfolio\'s trades before 2023-08-01)',
      },
    ]);
  });

  it('a price that does not explain the amount is a row error, not a position', async () => {
    const rows = await parseAll(
      'schwab-csv',
      [header, '"01/05/2026","Buy","XYZ","XYZ CORP","10","$5.00","$1.00","-$5,001.00"'].join('\n'),
    );

    // 10 × 5.00 + 1.00 = 51.00, not 5,001.00
    expect(errorsOf(rows)).toEqual([
      {
        row: 2,
        field: 'price',
        message:
          'quantity × price × multiplier with fees is 51 but column "Amount" says 5001: the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
      },
    ]);
    expect(tradesOf(rows)).toEqual([]);
  });
});
