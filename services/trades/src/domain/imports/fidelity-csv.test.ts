import {
  AAPL_DEC26_200_CALL,
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

describe('fidelity-csv', () => {
  it('reads the activity between the leading blank lines and the disclaimer', async () => {
    const rows = await parseAll('fidelity-csv', inChunks(fixtureBytes('fidelity-activity.csv'), 100));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      { row: 4, trade: { type: 'DEPOSIT', amount: '5000', ...usd, tradeDate: '2026-01-02' } },
      {
        row: 5,
        trade: {
          type: 'BUY',
          instrument: usdEquity('AAPL'),
          quantity: '10',
          price: '190.5',
          ...usd,
          tradeDate: '2026-01-05',
          settleDate: '2026-01-07',
        },
      },
      {
        row: 6, // quantity -5 for the sale; Fees ($) 0.02
        trade: {
          type: 'SELL',
          instrument: usdEquity('MSFT'),
          quantity: '5',
          price: '400',
          ...usd,
          fees: '0.02',
          tradeDate: '2026-01-06',
          settleDate: '2026-01-08',
        },
      },
      {
        row: 7, // "-AAPL261218C200"; fees = commission 0.65 + fees 0.04 = 0.69
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          ...usd,
          fees: '0.69',
          tradeDate: '2026-01-21',
          settleDate: '2026-01-22',
        },
      },
      {
        row: 8, // YOU SOLD OPENING TRANSACTION writes a put: a short; fees 0.65 + 0.02 = 0.67
        trade: {
          type: 'SELL_SHORT',
          instrument: {
            assetClass: 'OPTION',
            symbol: 'TSLA260116P00200000',
            currency: 'USD',
            multiplier: '100',
            underlying: 'TSLA',
            expiry: '2026-01-16',
            strike: '200',
            putCall: 'P',
          },
          quantity: '1',
          price: '4.1',
          ...usd,
          fees: '0.67',
          tradeDate: '2026-01-22',
          settleDate: '2026-01-23',
        },
      },
      {
        row: 9,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('AAPL'),
          amount: '2.5',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      {
        row: 10,
        trade: {
          type: 'BUY',
          instrument: usdEquity('SPAXX'),
          quantity: '2.5',
          price: '1',
          ...usd,
          tradeDate: '2026-02-15',
        },
      },
      {
        row: 11,
        trade: {
          type: 'INTEREST',
          instrument: usdEquity('SPAXX'),
          amount: '0.12',
          ...usd,
          tradeDate: '2026-01-31',
        },
      },
      {
        row: 12,
        trade: {
          type: 'TAX',
          instrument: usdEquity('NSRGY'),
          amount: '1.15',
          ...usd,
          tradeDate: '2026-02-20',
        },
      },
      { row: 13, trade: { type: 'WITHDRAWAL', amount: '1000', ...usd, tradeDate: '2026-02-25' } }, // "-1,000"
    ]);
    expect(skipsOf(rows)).toEqual([
      { row: 3, skipped: 'HEADER' },
      { row: 14, skipped: 'UNSUPPORTED' },
      { row: 16, skipped: 'FOOTER' },
      { row: 17, skipped: 'FOOTER' },
      { row: 18, skipped: 'FOOTER' },
    ]);
  });

  it('reports unknown actions and unreadable numbers with their line', async () => {
    const text = [
      'Run Date,Action,Symbol,Description,Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date',
      '01/05/2026, YOU TRADED SOMETHING (Cash), AAPL, APPLE INC,Cash,10,190.5,,,,-1905,01/07/2026',
      '01/05/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,ten,190.5,,,,-1905,01/07/2026',
      '01/05/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,10,190.5,,,,-1905,01/04/2026',
    ].join('\n');

    const rows = await parseAll('fidelity-csv', text);

    expect(errorsOf(rows)).toEqual([
      { row: 2, field: 'type', message: 'Fidelity action "YOU TRADED SOMETHING (Cash)" is not known' },
      {
        row: 3,
        field: 'quantity',
        message: '"ten" in column "Quantity" is not a number (expected digits with "." as decimal separator)',
      },
      { row: 4, field: 'settleDate', message: '"2026-01-04" must not be before tradeDate' },
    ]);
  });

  it.each([
    [
      'a Schwab file',
      fixtureBytes('schwab-current.csv'),
      /^line 1: not a Fidelity activity CSV: the first line should be the "Run Date,Action,…" header$/,
    ],
    [
      'a header without amounts',
      'Run Date,Action,Symbol,Quantity,Price ($)\n',
      /^line 1: not a Fidelity activity CSV: the header lacks "Amount \(\$\)"$/,
    ],
  ])('%s is one file-level error', async (_case, input, message) => {
    await expectOneFileError('fidelity-csv', input, message);
  });
});
