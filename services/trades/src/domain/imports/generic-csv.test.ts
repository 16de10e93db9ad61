import type { GenericCsvMapping } from './generic-csv-mapping';
import {
  AAPL_DEC26_200_CALL,
  errorsOf,
  fixtureBytes,
  GENERIC_EU_SEMICOLON_MAPPING,
  inChunks,
  inFileOrder,
  parseAll,
  skipsOf,
  tradesOf,
} from './parse-fixture';

const sap = { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR', isin: 'DE0007164600' };
const aapl = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD', isin: 'US0378331005' };

describe('generic-csv: a semicolon file with a BOM, CRLF, decimal commas and blank trailing lines', () => {
  it('reads every row into the trade the columns describe', async () => {
    const rows = await parseAll('generic-csv', inChunks(fixtureBytes('generic-eu-semicolon.csv'), 16), {
      mapping: GENERIC_EU_SEMICOLON_MAPPING,
      baseCurrency: 'EUR',
    });

    expect(errorsOf(rows)).toEqual([]);
    expect(skipsOf(rows)).toEqual([{ row: 1, skipped: 'HEADER' }]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 2, // "10.000,00" with a decimal comma; "eur" upper-cased
        trade: {
          type: 'DEPOSIT',
          amount: '10000.00',
          currency: 'EUR',
          tradeDate: '2026-01-02',
          note: 'Startkapital',
        },
      },
      {
        row: 3, // quoted "1.200" shares at "178,40"; the fee "(9,90)" is an accounting negative: 9.90
        trade: {
          type: 'BUY',
          instrument: sap,
          quantity: '1200',
          price: '178.40',
          currency: 'EUR',
          fees: '9.90',
          tradeDate: '2026-01-05',
          externalId: 'A-1001',
        },
      },
      {
        // the EUR 1.00 fee is in the base currency: 1.00 / 0.9200 (USD→EUR) = 1.0869565217… → 1.08695652 USD
        row: 4,
        trade: {
          type: 'BUY',
          instrument: aapl,
          quantity: '10',
          price: '190.50',
          currency: 'USD',
          fees: '1.08695652',
          tradeDate: '2026-01-06',
          fxRate: '0.9200',
          externalId: 'A-1002',
        },
      },
      {
        row: 5, // "-4" for a sale; the GBP fee is neither USD nor the EUR base: a FEE of its own follows
        trade: {
          type: 'SELL',
          instrument: aapl,
          quantity: '4',
          price: '195.00',
          currency: 'USD',
          tradeDate: '2026-01-07',
          fxRate: '0.9200',
          externalId: 'A-1003',
        },
      },
      {
        row: 5,
        trade: {
          type: 'FEE',
          amount: '2.00',
          currency: 'GBP',
          tradeDate: '2026-01-07',
          externalId: 'A-1003:fee',
          note: 'fees of the SELL on line 5',
        },
      },
      {
        row: 6, // padded 21-character OCC code → compact symbol, terms from the code, 100 per contract
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          currency: 'USD',
          fees: '1.30',
          tradeDate: '2026-01-08',
          externalId: 'A-1004',
        },
      },
      {
        row: 7,
        trade: {
          type: 'DIVIDEND',
          instrument: aapl,
          amount: '2.40',
          currency: 'USD',
          tradeDate: '2026-01-15',
          note: 'Quartalsdividende; netto',
        },
      },
      {
        row: 8, // withholding written "-0,36": a TAX of 0.36
        trade: { type: 'TAX', instrument: aapl, amount: '0.36', currency: 'USD', tradeDate: '2026-01-15' },
      },
      {
        row: 9, // "2:1" = 2 new per old
        trade: { type: 'SPLIT', instrument: sap, ratio: '2', currency: 'EUR', tradeDate: '2026-01-20' },
      },
    ]);
  });

  it('gives each trade a fingerprint: the broker id when mapped, else a content hash', async () => {
    const rows = await parseAll('generic-csv', fixtureBytes('generic-eu-semicolon.csv').toString('utf8'), {
      mapping: GENERIC_EU_SEMICOLON_MAPPING,
      baseCurrency: 'EUR',
    });

    const fingerprints = inFileOrder(rows)
      .filter((row) => row.trade !== undefined)
      .map((row) => row.fingerprint);
    expect(fingerprints.slice(1, 6)).toEqual([
      'id:A-1001',
      'id:A-1002',
      'id:A-1003',
      'id:A-1003:fee',
      'id:A-1004',
    ]);
    expect(fingerprints[0]).toMatch(/^hash:[\w-]{22}:1$/);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });
});

describe('generic-csv: rows that cannot be trades', () => {
  const mapping: GenericCsvMapping = {
    columns: {
      tradeDate: 'Date',
      type: 'Type',
      'instrument.symbol': 'Symbol',
      quantity: 'Qty',
      price: 'Price',
      currency: 'Ccy',
    },
    dateFormat: 'MM/DD/YYYY',
  };
  const file = [
    'Date,Type,Symbol,Qty,Price,Ccy',
    '01/05/2026,BUY,AAPL,10,190.5,XYZ',
    '01/05/2026,BUY,AAPL,"12,3,4",190.5,USD',
    '02/30/2026,BUY,AAPL,10,190.5,USD',
    '01/05/2026,BUY,AAPL,-10,190.5,USD',
    '01/05/2026,BUY,,10,190.5,USD',
    '01/05/2026,SWAP,AAPL,10,190.5,USD',
    '01/05/1800,BUY,AAPL,10,190.5,USD',
    '01/05/2026,BUY,AAPL,10,1.1234567890123,USD',
    '01/05/2026,SELL,AAPL,10,190.5,USD',
  ].join('\n');

  it('reports each problem with its line, the trade field and what is wrong', async () => {
    const rows = await parseAll('generic-csv', file, { mapping });

    expect(errorsOf(rows)).toEqual([
      { row: 2, field: 'instrument.currency', message: '"XYZ" is not an ISO-4217 currency code' },
      { row: 2, field: 'currency', message: '"XYZ" is not an ISO-4217 currency code' },
      {
        row: 3,
        field: 'quantity',
        message: '"12,3,4" in column "Qty" is not a number (expected digits with "." as decimal separator)',
      },
      {
        row: 4,
        field: 'tradeDate',
        message: '"02/30/2026" in column "Date" is not a calendar date (expected MM/DD/YYYY)',
      },
      { row: 5, field: 'quantity', message: '"-10" in column "Qty" is negative, which contradicts a BUY' },
      { row: 6, field: 'instrument.symbol', message: 'is required for a BUY (column "Symbol" is empty)' },
      {
        row: 7,
        field: 'type',
        message: '"SWAP" in column "Type" is not a trade type; map it with typeValues',
      },
      { row: 8, field: 'tradeDate', message: '"1800-01-05" must be between 1900-01-01 and 2100-12-31' },
      {
        row: 9,
        field: 'price',
        message: '"1.1234567890123" must be a decimal string such as "1234.56" (at most 12 decimal places)',
      },
    ]);
    expect(tradesOf(rows).map(({ row }) => row)).toEqual([10]);
  });

  it('takes BUY or SELL from the sign of the quantity when no type column is mapped', async () => {
    const { type: _type, ...columns } = mapping.columns;
    const rows = await parseAll(
      'generic-csv',
      'Date,Symbol,Qty,Price,Ccy\n01/05/2026,AAPL,-3,10,USD\n01/06/2026,AAPL,5,11,USD\n',
      {
        mapping: { ...mapping, columns },
      },
    );

    expect(
      tradesOf(rows).map(({ trade }) => [trade.type, 'quantity' in trade ? trade.quantity : undefined]),
    ).toEqual([
      ['SELL', '3'],
      ['BUY', '5'],
    ]);
  });

  it('falls back on the portfolio base currency when no currency column has a value', async () => {
    const { currency: _currency, ...columns } = mapping.columns;
    const text = 'Date,Type,Symbol,Qty,Price\n01/05/2026,buy,AAPL,1,10\n';

    const withBase = await parseAll('generic-csv', text, {
      mapping: { ...mapping, columns },
      baseCurrency: 'CHF',
    });
    const withoutBase = await parseAll('generic-csv', text, { mapping: { ...mapping, columns } });

    expect(tradesOf(withBase)[0]?.trade).toMatchObject({
      type: 'BUY',
      currency: 'CHF',
      instrument: { currency: 'CHF' },
    });
    expect(errorsOf(withoutBase)).toEqual([
      {
        row: 2,
        field: 'currency',
        message: 'is required: no currency column has a value and the portfolio has no base currency',
      },
    ]);
  });
});

describe('generic-csv: files that are not what the mapping describes', () => {
  const mapping: GenericCsvMapping = {
    columns: {
      tradeDate: 'Date',
      type: 'Type',
      'instrument.symbol': 'Symbol',
      quantity: 'Qty',
      price: 'Price',
    },
  };

  it.each([
    [
      'a header without a mapped column',
      'Date,Type,Ticker,Qty,Price\n2026-01-05,BUY,AAPL,1,2\n',
      mapping,
      'line 1: the header row has no column "Symbol" (instrument.symbol); its columns are "Date", "Type", "Ticker", "Qty", "Price"',
    ],
    ['an empty file', '\r\n\r\n', mapping, 'the file is empty: it has no header row'],
    [
      'a broken quote',
      'Date,Type,Symbol,Qty,Price\n2026-01-05,BUY,"AAPL,1,2\n',
      mapping,
      'line 2: the file is not valid CSV (a quoted field is never closed)',
    ],
    [
      'an invalid mapping',
      'Date\n',
      { columns: { tradeDate: 'Date', 'instrument.sector': 'Sector' } } as unknown as GenericCsvMapping,
      'the mapping is invalid: mapping.columns: Unrecognized key: "instrument.sector"; mapping.columns.type: is required unless a quantity column gives the direction by its sign',
    ],
  ])('%s is one file-level error on row 0 and nothing else', async (_case, text, fileMapping, message) => {
    const rows = await parseAll('generic-csv', text, { mapping: fileMapping });

    expect(rows.at(-1)).toEqual({ row: 0, errors: [{ row: 0, field: 'file', message }] });
    expect(tradesOf(rows)).toEqual([]);
  });

  it('needs a mapping at all', async () => {
    expect(await parseAll('generic-csv', 'a\n')).toEqual([
      { row: 0, errors: [{ row: 0, field: 'file', message: 'a generic-csv import needs a column mapping' }] },
    ]);
  });
});

describe('generic-csv: an option given as a ticker and its terms', () => {
  it('derives the underlying and the OCC symbol when there is no underlying column', async () => {
    const mapping = {
      columns: {
        tradeDate: 'Date',
        type: 'Side',
        'instrument.assetClass': 'Class',
        'instrument.symbol': 'Ticker',
        'instrument.expiry': 'Expiry',
        'instrument.strike': 'Strike',
        'instrument.putCall': 'Right',
        quantity: 'Qty',
        price: 'Price',
        currency: 'Ccy',
      },
    } as const;
    const text = [
      'Date,Side,Class,Ticker,Expiry,Strike,Right,Qty,Price,Ccy',
      '2026-01-21,BUY,OPTION,AAPL,2026-12-18,200.00,CALL,2,3.15,USD',
      '2026-01-22,SELL_SHORT,OPT,TSLA,2026-01-16,200,P,1,4.10,USD',
    ].join('\n');

    const rows = await parseAll('generic-csv', text, { mapping });

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 2,
        trade: {
          type: 'BUY',
          instrument: AAPL_DEC26_200_CALL,
          quantity: '2',
          price: '3.15',
          currency: 'USD',
          tradeDate: '2026-01-21',
        },
      },
      {
        row: 3,
        trade: {
          type: 'SELL_SHORT',
          instrument: {
            assetClass: 'OPTION',
            symbol: 'TSLA260116P00200000', // TSLA, 2026-01-16, put, strike 200 × 1000 in 8 digits
            currency: 'USD',
            multiplier: '100',
            underlying: 'TSLA',
            expiry: '2026-01-16',
            strike: '200',
            putCall: 'P',
          },
          quantity: '1',
          price: '4.10',
          currency: 'USD',
          tradeDate: '2026-01-22',
        },
      },
    ]);
  });
});

describe('generic-csv: a trade row that also gives its total', () => {
  const mapping = {
    columns: {
      tradeDate: 'Date',
      type: 'Side',
      'instrument.symbol': 'Ticker',
      quantity: 'Qty',
      price: 'Price',
      amount: 'Total',
      fees: 'Fees',
      currency: 'Ccy',
    },
  } as const;

  it('accepts a total with or without the fees, and refuses one the price does not explain', async () => {
    const text = [
      'Date,Side,Ticker,Qty,Price,Total,Fees,Ccy',
      '2026-01-05,BUY,AAPL,10,190.50,1906.00,1.00,USD', // 10 × 190.50 + 1.00 = 1,906.00
      '2026-01-06,SELL,AAPL,4,195.25,781.00,0.02,USD', // 4 × 195.25 = 781.00 (fees not taken off)
      '2026-01-07,BUY,MSFT,2,820.00,820.00,,USD', // a total read as the price: 2 × 820 = 1,640
    ].join('\n');

    const rows = await parseAll('generic-csv', text, { mapping });

    expect(errorsOf(rows)).toEqual([
      {
        row: 4,
        field: 'price',
        message:
          'quantity × price × multiplier with fees is 1640 but column "Total" says 820: the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
      },
    ]);
    expect(tradesOf(rows).map(({ row }) => row)).toEqual([2, 3]);
  });
});
