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
