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

describe('fidelity-csv: the account download with its name line, bonds, and its footer', () => {
  const treasuryNote = { assetClass: 'BOND', symbol: '9128285B2', currency: 'USD', multiplier: '0.01' };
  const treasuryBill = { assetClass: 'BOND', symbol: '912796RC5', currency: 'USD', multiplier: '0.01' };

  it('prices Treasuries in percent of par and books their accrued interest; name line and footer skipped', async () => {
    const rows = await parseAll('fidelity-csv', inChunks(fixtureBytes('fidelity-bonds.csv'), 45));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 6, // 5,000 face at 98.5 % of par = 5000 × 98.5 / 100 = 4,925; + 12.5 accrued = the 4,937.5 paid
        trade: {
          type: 'BUY',
          instrument: treasuryNote,
          quantity: '5000',
          price: '98.5',
          ...usd,
          tradeDate: '2026-03-02',
          settleDate: '2026-03-03',
        },
      },
      {
        row: 6,
        trade: {
          type: 'FEE',
          amount: '12.5',
          ...usd,
          tradeDate: '2026-03-02',
          settleDate: '2026-03-03',
          note: 'accrued interest paid with the purchase of 9128285B2 on line 6',
        },
      },
      {
        row: 7, // 2,000 × 99.1 / 100 = 1,982
        trade: {
          type: 'SELL',
          instrument: treasuryBill,
          quantity: '2000',
          price: '99.1',
          ...usd,
          tradeDate: '2026-03-10',
          settleDate: '2026-03-11',
        },
      },
      {
        row: 8, // 3 × 210.25 + 0.65 + 0.01 = 631.41
        trade: {
          type: 'BUY',
          instrument: usdEquity('AAPL'),
          quantity: '3',
          price: '210.25',
          ...usd,
          fees: '0.66',
          tradeDate: '2026-03-11',
          settleDate: '2026-03-12',
        },
      },
    ]);
    expect(skipsOf(rows)).toEqual([
      { row: 3, skipped: 'TITLE' },
      { row: 5, skipped: 'HEADER' },
      { row: 11, skipped: 'FOOTER' },
      { row: 12, skipped: 'FOOTER' },
      { row: 14, skipped: 'FOOTER' }, // "Date downloaded" 03/15/2026, 9:11 AM: text after a quote, read leniently
    ]);
  });

  it('a bond row whose amount says it was priced per unit is a row error, not a position 100 times too big', async () => {
    const text = [
      'Run Date,Action,Symbol,Security Description,Security Type,Quantity,Price ($),Commission ($),Fees ($),Accrued Interest ($),Amount ($),Settlement Date',
      '03/12/2026, YOU BOUGHT, 912796RC5, UNITED STATES TREAS BILLS ZERO CPN 0.00000% 06/18/2026,Cash,10,99.1,,,,-991,',
      '03/13/2026, YOU BOUGHT APPLE INC (AAPL) (Cash), AAPL, APPLE INC,Cash,3,"2"10.25,,,,-630.75,',
    ].join('\n');

    const rows = await parseAll('fidelity-csv', text);

    expect(errorsOf(rows)).toEqual([
      {
        row: 2, // 10 × 99.1 / 100 = 9.91, not 991
        field: 'price',
        message:
          'quantity × price × multiplier with fees is 9.91 but column "Amount ($)" says 991: the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
      },
      { row: 3, field: 'row', message: 'is not valid CSV: text after the closing quote of a field' },
    ]);
  });

  it('reads the "all accounts" download, whose columns have no "($)"', async () => {
    const text = [
      'Run Date,Account,Account Number,Action,Symbol,Description,Type,Exchange Quantity,Exchange Currency,Currency,Price,Quantity,Exchange Rate,Commission,Fees,Accrued Interest,Amount,Settlement Date',
      '12/03/2025,"IRA Account","111111111","DIVIDEND RECEIVED VANGUARD TOTAL BND (BND) (Cash)",BND,"VANGUARD TOTAL BND",Cash,0,,USD,,0.000,0,,,,713.08,',
      '12/03/2025,"IRA Account","111111111","REINVESTMENT VANGUARD TOTAL BND (BND) (Cash)",BND,"VANGUARD TOTAL BND",Cash,0,,USD,74.29,9.598,0,,,,-713.08,',
      '',
      'Date downloaded 12/03/2025 3:00 pm',
    ].join('\n');

    const rows = await parseAll('fidelity-csv', text);

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 2,
        trade: {
          type: 'DIVIDEND',
          instrument: usdEquity('BND'),
          amount: '713.08',
          ...usd,
          tradeDate: '2025-12-03',
        },
      },
      {
        row: 3, // 9.598 × 74.29 = 713.03542 ≈ 713.08 within the rounding of 74.29 (± 0.005 × 9.598) and 9.598
        trade: {
          type: 'BUY',
          instrument: usdEquity('BND'),
          quantity: '9.598',
          price: '74.29',
          ...usd,
          tradeDate: '2025-12-03',
        },
      },
    ]);
  });
});
