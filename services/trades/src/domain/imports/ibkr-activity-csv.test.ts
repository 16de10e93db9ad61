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
  usdEquity,
} from './parse-fixture';

describe('ibkr-activity-csv', () => {
  it('imports the Trades Data lines, skipping sub-totals, totals, closed lots and other sections', async () => {
    const rows = await parseAll('ibkr-activity-csv', inChunks(fixtureBytes('ibkr-activity.csv'), 40));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 11, // quoted "1,000" shares; Comm/Fee -5
        trade: {
          type: 'BUY',
          instrument: usdEquity('AAPL'),
          quantity: '1000',
          price: '190.5',
          currency: 'USD',
          fees: '5',
          tradeDate: '2026-01-05',
        },
      },
      {
        row: 12, // -400 with code C;P: a (partial) closing sale
        trade: {
          type: 'SELL',
          instrument: usdEquity('AAPL'),
          quantity: '400',
          price: '195.25',
          currency: 'USD',
          fees: '2.01',
          tradeDate: '2026-01-12',
        },
      },
      {
        row: 15, // -5 with code O opens a short
        trade: {
          type: 'SELL_SHORT',
          instrument: usdEquity('TSLA'),
          quantity: '5',
          price: '250',
          currency: 'USD',
          fees: '1',
          tradeDate: '2026-01-13',
        },
      },
      {
        row: 16, // +5 with code C covers it
        trade: {
          type: 'BUY_TO_COVER',
          instrument: usdEquity('TSLA'),
          quantity: '5',
          price: '240',
          currency: 'USD',
          fees: '1',
          tradeDate: '2026-01-20',
        },
      },
      {
        row: 19,
        trade: {
          type: 'BUY',
          instrument: { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR' },
          quantity: '20',
          price: '178.4',
          currency: 'EUR',
          fees: '4',
          tradeDate: '2026-01-22',
        },
      },
      {
        // derivatives are handed on last (they wait for Financial Instrument Information: multiplier 100)
        row: 21,
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          currency: 'USD',
          fees: '1.3',
          tradeDate: '2026-01-21',
        },
      },
      {
        row: 22, // code Ep: expired; Comm/Fee 0 gives no fees
        trade: {
          type: 'EXPIRE',
          instrument: AAPL_JAN26_150_PUT,
          quantity: '1',
          currency: 'USD',
          tradeDate: '2026-01-16',
        },
      },
      {
        row: 23, // expiry and multiplier 50 from Financial Instrument Information; price "6,012.25"
        trade: {
          type: 'BUY',
          instrument: {
            assetClass: 'FUTURE',
            symbol: 'ESH6',
            currency: 'USD',
            expiry: '2026-03-20',
            multiplier: '50',
          },
          quantity: '1',
          price: '6012.25',
          currency: 'USD',
          fees: '2.25',
          tradeDate: '2026-01-26',
        },
      },
      {
        row: 25, // Forex block: "Comm in USD" is the trade's own currency here
        trade: {
          type: 'BUY',
          instrument: { assetClass: 'FX', symbol: 'EUR.USD', currency: 'USD' },
          quantity: '10000',
          price: '1.085',
          currency: 'USD',
          fees: '2',
          tradeDate: '2026-01-26',
        },
      },
      {
        row: 26, // EUR.GBP trades in GBP, its commission is in USD and the statement has no rate …
        trade: {
          type: 'BUY',
          instrument: { assetClass: 'FX', symbol: 'EUR.GBP', currency: 'GBP' },
          quantity: '5000',
          price: '0.8512',
          currency: 'GBP',
          tradeDate: '2026-01-27',
        },
      },
      {
        row: 26, // … so the commission is a FEE of its own, in USD
        trade: {
          type: 'FEE',
          amount: '2',
          currency: 'USD',
          tradeDate: '2026-01-27',
          note: 'commission of the EUR.GBP trade on line 26',
        },
      },
      {
        row: 29, // the Dividends section: the instrument from the description, in the row's currency
        trade: {
          type: 'DIVIDEND',
          instrument: { ...usdEquity('AAPL'), isin: 'US0378331005' },
          amount: '250',
          currency: 'USD',
          tradeDate: '2026-01-15',
          note: 'AAPL(US0378331005) Cash Dividend USD 0.25 per Share (Ordinary Dividend)',
        },
      },
    ]);
    const skips = skipsOf(rows);
    expect(skips.filter(({ skipped }) => skipped !== 'OTHER_SECTION' && skipped !== 'HEADER')).toEqual([
      { row: 13, skipped: 'CLOSED_LOT' },
      { row: 14, skipped: 'SUBTOTAL' },
      { row: 17, skipped: 'SUBTOTAL' },
      { row: 18, skipped: 'TOTAL' },
      { row: 20, skipped: 'TOTAL' },
      { row: 27, skipped: 'TOTAL' },
      { row: 30, skipped: 'TOTAL' },
    ]);
    expect(skips.filter(({ row }) => row >= 28 && row <= 31)).toEqual([
      { row: 28, skipped: 'HEADER' },
      { row: 30, skipped: 'TOTAL' }, // "Dividends,Data,Total,,,250"
      { row: 31, skipped: 'OTHER_SECTION' },
    ]);
  });

  it('gives content-hash fingerprints that differ between the two TSLA trades and repeat on a re-read', async () => {
    const first = await parseAll('ibkr-activity-csv', fixtureBytes('ibkr-activity.csv'));
    const second = await parseAll('ibkr-activity-csv', inChunks(fixtureBytes('ibkr-activity.csv'), 7));

    const fingerprints = first.flatMap((row) => (row.fingerprint === undefined ? [] : [row.fingerprint]));
    expect(fingerprints).toHaveLength(12); // 11 trades and the dividend
    expect(new Set(fingerprints).size).toBe(12);
    expect(second.flatMap((row) => (row.fingerprint === undefined ? [] : [row.fingerprint]))).toEqual(
      fingerprints,
    );
  });

  it('reports a future the statement does not describe, and unsupported categories', async () => {
    const text = [
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Comm/Fee,Code',
      'Trades,Data,Order,Futures,USD,NQH6,"2026-01-26, 10:00:00",1,"21,000",-2.25,O',
      'Trades,Data,Order,CFDs,USD,IBUS500,"2026-01-26, 10:00:00",1,5000,-1,O',
      'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-32, 10:00:00",1,190,-1,O',
      'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:00:00",1,190,-1,Ca',
    ].join('\n');

    const rows = await parseAll('ibkr-activity-csv', text);

    expect(errorsOf(rows)).toEqual([
      {
        row: 2,
        field: 'instrument.expiry',
        message: 'the statement\'s Financial Instrument Information does not list future "NQH6"',
      },
      { row: 3, field: 'instrument.assetClass', message: 'Asset Category "CFDs" is not supported' },
      {
        row: 4,
        field: 'tradeDate',
        message: '"2026-01-32, 10:00:00" in column "Date/Time" is not a calendar date (expected yyyy-MM-dd)',
      },
      { row: 5, field: 'type', message: 'a cancelled trade (code Ca) is not imported' },
    ]);
  });

  it.each([
    [
      'a Flex CSV',
      'ClientAccountID,CurrencyPrimary,AssetClass,Symbol\nU1,USD,STK,AAPL\n',
      /^line 1: not an IBKR activity statement/,
    ],
    [
      'a Trades Data line before its header',
      'Statement,Header,Field Name,Field Value\nTrades,Data,Order,Stocks,USD,AAPL\n',
      /^line 2: a Trades Data line before any Trades Header line$/,
    ],
    [
      'a Trades header without prices',
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity\n',
      /^line 1: the Trades header lacks tprice$/,
    ],
  ])('%s is one file-level error', async (_case, text, message) => {
    await expectOneFileError('ibkr-activity-csv', text, message);
  });
});

describe('ibkr-activity-csv: executions and cash sections', () => {
  const msft = { ...usdEquity('MSFT') };
  const withIsin = (symbol: string, isin: string) => ({ ...usdEquity(symbol), isin });

  it('books executions once (not their Order line too) and every cash section in its own currency', async () => {
    const rows = await parseAll('ibkr-activity-csv', inChunks(fixtureBytes('ibkr-activity-cash.csv'), 33));

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      // the 300-share Order on line 5 is the sum of its executions on lines 6 and 7 (100 + 200)
      {
        row: 6,
        trade: {
          type: 'BUY',
          instrument: msft,
          quantity: '100',
          price: '400',
          currency: 'USD',
          fees: '0.5',
          tradeDate: '2026-03-02',
        },
      },
      {
        row: 7,
        trade: {
          type: 'BUY',
          instrument: msft,
          quantity: '200',
          price: '400',
          currency: 'USD',
          fees: '1',
          tradeDate: '2026-03-02',
        },
      },
      {
        row: 8, // an Order without execution lines is the trade
        trade: {
          type: 'BUY',
          instrument: usdEquity('KO'),
          quantity: '50',
          price: '60.25',
          currency: 'USD',
          fees: '1',
          tradeDate: '2026-03-03',
        },
      },
      {
        row: 12,
        trade: {
          type: 'DEPOSIT',
          amount: '150000',
          currency: 'USD',
          tradeDate: '2026-03-01',
          note: 'Electronic Fund Transfer',
        },
      },
      {
        row: 13, // a negative amount in EUR: a withdrawal in EUR
        trade: {
          type: 'WITHDRAWAL',
          amount: '500',
          currency: 'EUR',
          tradeDate: '2026-03-20',
          note: 'Disbursement Initiated by Jane Doe',
        },
      },
      {
        row: 16,
        trade: {
          type: 'DIVIDEND',
          instrument: withIsin('MSFT', 'US5949181045'),
          amount: '249',
          currency: 'USD',
          tradeDate: '2026-03-12',
          note: 'MSFT(US5949181045) Cash Dividend USD 0.83 per Share (Ordinary Dividend)',
        },
      },
      {
        row: 17,
        trade: {
          type: 'DIVIDEND',
          instrument: withIsin('KO', 'US1912161007'),
          amount: '25.5',
          currency: 'USD',
          tradeDate: '2026-03-16',
          note: 'KO(US1912161007) Cash Dividend USD 0.51 per Share (Ordinary Dividend)',
        },
      },
      // line 20 (-74.7) is undone by the refund on line 21 (+74.7): neither is booked
      {
        row: 22,
        trade: {
          type: 'TAX',
          instrument: withIsin('MSFT', 'US5949181045'),
          amount: '37.35',
          currency: 'USD',
          tradeDate: '2026-03-12',
          note: 'MSFT(US5949181045) Cash Dividend USD 0.83 per Share - US Tax',
        },
      },
      {
        row: 23, // -7.65 with 2.55 of it refunded on line 24: 7.65 - 2.55 = 5.10
        trade: {
          type: 'TAX',
          instrument: withIsin('KO', 'US1912161007'),
          amount: '5.1',
          currency: 'USD',
          tradeDate: '2026-03-16',
          note: 'KO(US1912161007) Cash Dividend USD 0.51 per Share - US Tax (net of 2.55 refunded on row 24)',
        },
      },
      {
        row: 25, // withholding on interest names no security: no instrument
        trade: {
          type: 'TAX',
          amount: '0.5',
          currency: 'USD',
          tradeDate: '2026-03-31',
          note: 'Withholding @ 20% on Credit Interest for Mar-2026',
        },
      },
      {
        row: 28,
        trade: {
          type: 'INTEREST',
          amount: '2.5',
          currency: 'USD',
          tradeDate: '2026-03-31',
          note: 'USD Credit Interest for Mar-2026',
        },
      },
      {
        row: 29, // debit interest is a charge
        trade: {
          type: 'FEE',
          amount: '1.2',
          currency: 'EUR',
          tradeDate: '2026-03-31',
          note: 'EUR Debit Interest for Mar-2026',
        },
      },
      {
        row: 32,
        trade: {
          type: 'FEE',
          amount: '10',
          currency: 'USD',
          tradeDate: '2026-03-05',
          note: 'Market data: US Securities Snapshot Bundle',
        },
      },
    ]);
    // the file's withholding: -74.7 + 74.7 - 37.35 - 7.65 + 2.55 - 0.5 = -42.95 = its Total line;
    // booked: 37.35 + 5.1 + 0.5 = 42.95
    expect(
      skipsOf(rows).filter(({ skipped }) => skipped !== 'OTHER_SECTION' && skipped !== 'HEADER'),
    ).toEqual([
      { row: 5, skipped: 'ORDER_SUMMARY' },
      { row: 9, skipped: 'SUBTOTAL' },
      { row: 10, skipped: 'TOTAL' },
      { row: 14, skipped: 'TOTAL' },
      { row: 18, skipped: 'TOTAL' },
      { row: 20, skipped: 'NETTED' },
      { row: 21, skipped: 'NETTED' },
      { row: 24, skipped: 'NETTED' },
      { row: 26, skipped: 'TOTAL' },
      { row: 30, skipped: 'TOTAL' },
      { row: 33, skipped: 'TOTAL' },
    ]);
    expect(rows.find((row) => row.row === 34)).toMatchObject({
      skipped: 'OTHER_SECTION',
      detail: 'section "Mark-to-Market Performance Summary" is not imported',
    });
  });

  it('reports executions that do not add up to their order, a dividend naming no security, a refund of nothing', async () => {
    const text = [
      'Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,T. Price,Proceeds,Comm/Fee,Code',
      'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-05, 10:00:00",30,190,-5700,-1,O',
      'Trades,Data,Trade,Stocks,USD,AAPL,"2026-01-05, 10:00:00",20,190,-3800,-1,O',
      'Trades,Data,Order,Stocks,USD,AAPL,"2026-01-06, 10:00:00",10,19,-1900,-1,O',
      'Dividends,Header,Currency,Date,Description,Amount',
      'Dividends,Data,USD,2026-01-15,Cash Dividend USD 0.25 per Share,2.5',
      'Withholding Tax,Header,Currency,Date,Description,Amount,Code',
      'Withholding Tax,Data,USD,2026-01-15,AAPL(US0378331005) Cash Dividend - US Tax,0.38,',
    ].join('\n');

    const rows = await parseAll('ibkr-activity-csv', text);

    expect(errorsOf(rows)).toEqual([
      {
        row: 2, // 30 ordered, 20 executed
        field: 'quantity',
        message: "the order's quantity 30 differs from its 1 execution lines' total 20",
      },
      {
        row: 4, // 10 × 19 = 190, not the 1,900 of Proceeds: a price misread by ten
        field: 'price',
        message:
          'quantity × price × multiplier is 190 but column "Proceeds" says 1900: the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
      },
      {
        row: 6,
        field: 'instrument.symbol',
        message:
          'the description "Cash Dividend USD 0.25 per Share": it should start with the security, like "PEP(US7134481081) Cash Dividend …"',
      },
      {
        row: 8,
        field: 'amount',
        message:
          'a refund or reversal of TAX of 0.38 USD on AAPL that matches no charge in this file; trades keep amounts positive, so import it with the statement that has the original charge, or book the net by hand',
      },
    ]);
    expect(tradesOf(rows).map(({ row }) => row)).toEqual([3]);
  });

  it('refuses IBKR\'s "Transaction History" report, naming it', async () => {
    const text = [
      'Statement,Header,Field Name,Field Value',
      'Statement,Data,Title,Transaction History',
      'Transaction History,Header,Date,Account,Description,Transaction Type,Symbol,Quantity,Price,Gross Amount ,Commission,Net Amount',
      'Transaction History,Data,2025-08-15,U1,VANG S&P500 USDD,Sell,VUSD,-50.0,100.00,4500.00,-2.50,4497.50',
    ].join('\n');

    await expectOneFileError(
      'ibkr-activity-csv',
      text,
      /^line 2: this is an IBKR "Transaction History" report, not an activity statement/,
    );
    await expectOneFileError(
      'ibkr-activity-csv',
      text.split('\n').slice(2).join('\n'),
      /^line 1: a "Transaction History" section: this is IBKR's Transaction History report/,
    );
  });

  it('refuses a file with none of the sections it reads, listing those it found', async () => {
    const text = [
      'Statement,Header,Field Name,Field Value',
      'Statement,Data,Title,Realized Summary',
      'Summary,Header,Field Name,Field Value',
      'Summary,Data,Base Currency,GBP',
    ].join('\n');

    await expectOneFileError(
      'ibkr-activity-csv',
      text,
      /^not an IBKR activity statement with trades or cash: no Trades, Deposits & Withdrawals, Dividends, Withholding Tax, Interest or Fees section; the file has "Statement", "Summary"$/,
    );
  });
});

describe('ibkr-activity-csv: corporate actions', () => {
  it('books a split with the ratio its description gives, once for all its legs; other actions are skipped', async () => {
    const text = [
      'Corporate Actions,Header,Asset Category,Currency,Report Date,Date/Time,Description,Quantity,Proceeds,Value,Realized P/L,Code',
      'Corporate Actions,Data,Stocks,USD,2024-06-10,"2024-06-07, 20:25:00","NVDA(US67066G1040) Split 10 for 1 (NVDA, NVIDIA CORP, US67066G1040)",90,0,0,0,',
      'Corporate Actions,Data,Stocks,USD,2024-06-10,"2024-06-10, 20:25:00","GE(US3696041033) Split 1 for 8 (GE, GENERAL ELECTRIC CO, US3696044089)",-800,0,0,0,',
      'Corporate Actions,Data,Stocks,USD,2024-06-10,"2024-06-10, 20:25:00","GE(US3696041033) Split 1 for 8 (GE.NEW, GENERAL ELECTRIC CO, US3696044089)",100,0,0,0,',
      'Corporate Actions,Data,Stocks,USD,2024-07-01,"2024-07-01, 20:25:00","XYZ(US0000000002) Merged(Acquisition) WITH US0000000003 1 for 1",-50,0,0,0,',
      'Corporate Actions,Data,Total,,,,,,0,0,0,',
    ].join('\n');

    const rows = await parseAll('ibkr-activity-csv', text);

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 2, // 10 for 1 → ratio 10/1
        trade: {
          type: 'SPLIT',
          instrument: usdEquity('NVDA'),
          ratio: '10',
          currency: 'USD',
          tradeDate: '2024-06-07',
          note: 'NVDA(US67066G1040) Split 10 for 1 (NVDA, NVIDIA CORP, US67066G1040)',
        },
      },
      {
        row: 3, // 1 for 8 → 1/8 = 0.125
        trade: {
          type: 'SPLIT',
          instrument: usdEquity('GE'),
          ratio: '0.125',
          currency: 'USD',
          tradeDate: '2024-06-10',
          note: 'GE(US3696041033) Split 1 for 8 (GE, GENERAL ELECTRIC CO, US3696044089)',
        },
      },
    ]);
    expect(rows.filter((row) => row.skipped !== undefined && row.skipped !== 'HEADER')).toEqual([
      { row: 4, errors: [], skipped: 'NON_ECONOMIC', detail: 'another leg of the split booked on row 3' },
      {
        row: 5,
        errors: [],
        skipped: 'UNSUPPORTED',
        detail:
          'corporate action "XYZ(US0000000002) Merged(Acquisition) WITH US0000000003 1 for 1" is not imported; book it by hand',
      },
      { row: 6, errors: [], skipped: 'TOTAL' },
    ]);
  });
});
