import type { TradeInput } from '@kupala/trade-model';
import {
  AAPL_DEC26_200_CALL,
  AAPL_JAN26_150_PUT,
  errorsOf,
  expectOneFileError,
  fixtureBytes,
  inChunks,
  inFileOrder,
  parseAll,
  skipsOf,
  tradesOf,
} from './parse-fixture';

const aapl = {
  assetClass: 'EQUITY',
  symbol: 'AAPL',
  currency: 'USD',
  isin: 'US0378331005',
  multiplier: '1',
} as const;
const tsla = {
  assetClass: 'EQUITY',
  symbol: 'TSLA',
  currency: 'USD',
  isin: 'US88160R1014',
  multiplier: '1',
} as const;
const usd = { currency: 'USD', fxRate: '1' };

/** The statement in fixtures/ibkr-flex.xml, worked out by hand from its attributes. */
const EXPECTED_TRADES: { xmlRow: number; trade: TradeInput }[] = [
  {
    xmlRow: 1,
    trade: {
      type: 'BUY',
      instrument: aapl,
      quantity: '10',
      price: '190.5',
      ...usd,
      fees: '1', // ibCommission -1 USD, taxes 0
      tradeDate: '2026-01-05',
      settleDate: '2026-01-07',
      externalId: 'ibkr:trade:411111001',
    },
  },
  {
    xmlRow: 3, // quantity -4, buySell SELL, openCloseIndicator C
    trade: {
      type: 'SELL',
      instrument: aapl,
      quantity: '4',
      price: '195.25',
      ...usd,
      fees: '1.0012',
      tradeDate: '2026-01-12',
      settleDate: '2026-01-14',
      externalId: 'ibkr:trade:411111002',
    },
  },
  {
    xmlRow: 5, // SELL + O opens a short; fees = |ibCommission| 1 + |taxes| 0.05 = 1.05
    trade: {
      type: 'SELL_SHORT',
      instrument: tsla,
      quantity: '5',
      price: '250',
      ...usd,
      fees: '1.05',
      tradeDate: '2026-01-13',
      settleDate: '2026-01-15',
      externalId: 'ibkr:trade:411111003',
    },
  },
  {
    xmlRow: 6, // BUY + C closes the short
    trade: {
      type: 'BUY_TO_COVER',
      instrument: tsla,
      quantity: '5',
      price: '240',
      ...usd,
      fees: '1',
      tradeDate: '2026-01-20',
      settleDate: '2026-01-22',
      externalId: 'ibkr:trade:411111004',
    },
  },
  {
    xmlRow: 7, // the padded OCC code "AAPL  261218C00200000" becomes the compact one
    trade: {
      type: 'BUY',
      instrument: AAPL_DEC26_200_CALL,
      quantity: '2',
      price: '3.15',
      ...usd,
      fees: '1.3',
      tradeDate: '2026-01-21',
      settleDate: '2026-01-22',
      externalId: 'ibkr:trade:411111005',
    },
  },
  {
    // EUR trade, commission 4.32 USD = the base currency: 4.32 / 1.08 (EUR→USD) = 4 EUR
    xmlRow: 8,
    trade: {
      type: 'BUY',
      instrument: {
        assetClass: 'EQUITY',
        symbol: 'SAP',
        currency: 'EUR',
        isin: 'DE0007164600',
        multiplier: '1',
      },
      quantity: '20',
      price: '178.4',
      currency: 'EUR',
      fees: '4',
      tradeDate: '2026-01-22',
      settleDate: '2026-01-26',
      fxRate: '1.08',
      externalId: 'ibkr:trade:411111006',
    },
  },
  {
    // GBP trade, commission in EUR: neither the trade's currency nor the base, so no fees here …
    xmlRow: 9,
    trade: {
      type: 'BUY',
      instrument: {
        assetClass: 'EQUITY',
        symbol: 'VOD',
        currency: 'GBP',
        isin: 'GB00BH4HKS39',
        multiplier: '1',
      },
      quantity: '1000',
      price: '0.7125',
      currency: 'GBP',
      tradeDate: '2026-01-23',
      settleDate: '2026-01-27',
      fxRate: '1.27',
      externalId: 'ibkr:trade:411111007',
    },
  },
  {
    xmlRow: 9, // … but a FEE of 3 EUR on the same dates
    trade: {
      type: 'FEE',
      amount: '3',
      currency: 'EUR',
      tradeDate: '2026-01-23',
      settleDate: '2026-01-27',
      externalId: 'ibkr:trade:411111007:fee',
      note: 'commission of IBKR trade 411111007',
    },
  },
  {
    xmlRow: 10, // assetCategory CASH: buying 10,000 EUR at 1.085 USD
    trade: {
      type: 'BUY',
      instrument: { assetClass: 'FX', symbol: 'EUR.USD', currency: 'USD', multiplier: '1' },
      quantity: '10000',
      price: '1.085',
      ...usd,
      fees: '2',
      tradeDate: '2026-01-26',
      settleDate: '2026-01-28',
      externalId: 'ibkr:trade:411111008',
    },
  },
  {
    xmlRow: 11, // subCategory ETF
    trade: {
      type: 'BUY',
      instrument: {
        assetClass: 'ETF',
        symbol: 'VTI',
        currency: 'USD',
        isin: 'US9229087690',
        multiplier: '1',
      },
      quantity: '3',
      price: '301.12',
      ...usd,
      fees: '0.35',
      tradeDate: '2026-01-27',
      settleDate: '2026-01-29',
      externalId: 'ibkr:trade:411111009',
    },
  },
  {
    xmlRow: 12, // notes "Ep": the long put expired worthless; commission 0 gives no fees
    trade: {
      type: 'EXPIRE',
      instrument: AAPL_JAN26_150_PUT,
      quantity: '1',
      ...usd,
      tradeDate: '2026-01-16',
      settleDate: '2026-01-19',
      externalId: 'ibkr:trade:411111010',
    },
  },
  // xmlRow 13, the 2.5 AAPL dividend, is reversed in full by row 20 (-2.5): both are skipped as NETTED
  {
    xmlRow: 14, // withholding -0.38 → a TAX of 0.38 on the same instrument
    trade: {
      type: 'TAX',
      instrument: { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD', isin: 'US0378331005' },
      amount: '0.38',
      ...usd,
      tradeDate: '2026-02-15',
      settleDate: '2026-02-15',
      externalId: 'ibkr:cash:902',
      note: 'AAPL(US0378331005) CASH DIVIDEND USD 0.25 PER SHARE - US TAX',
    },
  },
  {
    xmlRow: 15, // a EUR dividend stays in EUR, with its rate
    trade: {
      type: 'DIVIDEND',
      instrument: { assetClass: 'EQUITY', symbol: 'SAP', currency: 'EUR', isin: 'DE0007164600' },
      amount: '44',
      currency: 'EUR',
      tradeDate: '2026-02-16',
      settleDate: '2026-02-16',
      fxRate: '1.09',
      externalId: 'ibkr:cash:903',
      note: 'SAP(DE0007164600) CASH DIVIDEND EUR 2.20 PER SHARE',
    },
  },
  {
    xmlRow: 16,
    trade: {
      type: 'INTEREST',
      amount: '1.23',
      ...usd,
      tradeDate: '2026-02-03',
      settleDate: '2026-02-03',
      externalId: 'ibkr:cash:904',
      note: 'USD CREDIT INT FOR JAN-2026',
    },
  },
  {
    xmlRow: 17,
    trade: {
      type: 'DEPOSIT',
      amount: '5000',
      ...usd,
      tradeDate: '2026-01-02',
      settleDate: '2026-01-02',
      externalId: 'ibkr:cash:905',
      note: 'CASH RECEIPTS / ELECTRONIC FUND TRANSFERS',
    },
  },
  {
    xmlRow: 18,
    trade: {
      type: 'WITHDRAWAL',
      amount: '1000',
      ...usd,
      tradeDate: '2026-02-10',
      settleDate: '2026-02-10',
      externalId: 'ibkr:cash:906',
      note: 'DISBURSEMENT INITIATED BY J. DOE & CO',
    },
  },
  {
    xmlRow: 19,
    trade: {
      type: 'FEE',
      amount: '10',
      ...usd,
      tradeDate: '2026-02-03',
      settleDate: '2026-02-03',
      externalId: 'ibkr:cash:907',
      note: 'P*******:NASDAQ TOTALVIEW FOR FEB 2026',
    },
  },
];

describe('ibkr-flex-xml', () => {
  it('reads the Trades and CashTransactions of a Flex statement, streamed in small chunks', async () => {
    const rows = await parseAll('ibkr-flex-xml', inChunks(fixtureBytes('ibkr-flex.xml'), 50), {
      baseCurrency: 'USD',
    });

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual(EXPECTED_TRADES.map(({ xmlRow, trade }) => ({ row: xmlRow, trade })));
    expect(inFileOrder(rows).filter((row) => row.skipped !== undefined)).toEqual([
      { row: 2, line: 8, errors: [], skipped: 'ORDER_SUMMARY' },
      { row: 4, line: 10, errors: [], skipped: 'CLOSED_LOT' },
      { row: 13, line: 21, errors: [], skipped: 'NETTED', detail: 'reversed by row 20' },
      { row: 20, line: 28, errors: [], skipped: 'NETTED', detail: 'reverses row 13' },
      {
        row: 21,
        line: 29,
        errors: [],
        skipped: 'UNSUPPORTED',
        detail: 'IBKR cash transaction type "Price Adjustments" is not imported',
      },
      { row: 22, line: 30, errors: [], skipped: 'SUBTOTAL' },
    ]);
  });

  it('fingerprints every trade by its IBKR id', async () => {
    const rows = await parseAll('ibkr-flex-xml', fixtureBytes('ibkr-flex.xml').toString('utf8'), {
      baseCurrency: 'USD',
    });

    expect(
      inFileOrder(rows)
        .filter((row) => row.trade !== undefined)
        .map((row) => row.fingerprint),
    ).toEqual(EXPECTED_TRADES.map(({ trade }) => `id:${trade.externalId}`));
  });

  it('books a base-currency commission as a separate FEE when the portfolio base currency is not known', async () => {
    const rows = await parseAll('ibkr-flex-xml', fixtureBytes('ibkr-flex.xml'));

    const sap = tradesOf(rows).filter(({ row }) => row === 8);
    expect(
      sap.map(({ trade }) => [
        trade.type,
        trade.fees,
        'amount' in trade ? trade.amount : undefined,
        trade.currency,
      ]),
    ).toEqual([
      ['BUY', undefined, undefined, 'EUR'],
      ['FEE', undefined, '4.32', 'USD'],
    ]);
  });

  it('reports rows IBKR marks as cancelled, with unsupported categories or unknown currencies', async () => {
    const xml = `<FlexQueryResponse><FlexStatements><FlexStatement><Trades>
<Trade currency="USD" assetCategory="STK" symbol="AAPL" tradeID="1" tradeDate="20260105" quantity="-10" tradePrice="190" buySell="SELL (Ca.)" origTradeID="411111001"/>
<Trade currency="USD" assetCategory="CFD" symbol="IBUS500" tradeID="2" tradeDate="20260105" quantity="1" tradePrice="5000" buySell="BUY"/>
<Trade currency="XXY" assetCategory="STK" symbol="ABC" tradeID="3" tradeDate="20260105" quantity="1" tradePrice="5" buySell="BUY"/>
<Trade currency="USD" assetCategory="STK" symbol="ABC" tradeID="4" tradeDate="20260105" quantity="1" tradePrice="5" ibCommission="0.25" buySell="BUY"/>
</Trades></FlexStatement></FlexStatements></FlexQueryResponse>`;

    const rows = await parseAll('ibkr-flex-xml', xml);

    expect(errorsOf(rows)).toEqual([
      {
        row: 1,
        field: 'type',
        message: 'a cancellation ("SELL (CA.)") is not imported: cancel trade 411111001 in Kupala instead',
      },
      { row: 2, field: 'instrument.assetClass', message: 'IBKR assetCategory "CFD" is not supported' },
      { row: 3, field: 'instrument.currency', message: '"XXY" is not an ISO-4217 currency code' },
      { row: 3, field: 'currency', message: '"XXY" is not an ISO-4217 currency code' },
      {
        row: 4,
        field: 'fees',
        message: 'ibCommission 0.25 is positive (a rebate), which cannot be booked as a fee',
      },
    ]);
  });

  it.each([
    [
      'broken XML',
      '<FlexQueryResponse><FlexStatements><Trades><Trade symbol="A"></Trades>',
      /^the file is not well-formed XML/,
    ],
    [
      'an IBKR error response',
      '<FlexStatementResponse><Status>Fail</Status><ErrorCode>1019</ErrorCode></FlexStatementResponse>',
      /^not an IBKR Flex Query: the root element is <FlexStatementResponse>, not <FlexQueryResponse>$/,
    ],
    ['a CSV file', 'Date,Symbol\n2026-01-05,AAPL\n', /^the file is not well-formed XML/],
    ['an empty file', '', /^the file is empty/],
  ])('%s is one file-level error', async (_case, text, message) => {
    await expectOneFileError('ibkr-flex-xml', text, message);
  });
});

describe('ibkr-flex-csv', () => {
  it.each([
    ['plain sections with a BOM, CRLF and a blank trailing line', 'ibkr-flex.csv'],
    ['section codes and line descriptors (BOF/HEADER/DATA/EOF)', 'ibkr-flex-coded.csv'],
  ])('reads %s into the same trades and fingerprints as the XML', async (_layout, fixture) => {
    const rows = await parseAll('ibkr-flex-csv', inChunks(fixtureBytes(fixture), 33), {
      baseCurrency: 'USD',
    });

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows).map(({ trade }) => trade)).toEqual(EXPECTED_TRADES.map(({ trade }) => trade));
    expect(
      inFileOrder(rows)
        .filter((row) => row.trade !== undefined)
        .map((row) => row.fingerprint),
    ).toEqual(EXPECTED_TRADES.map(({ trade }) => `id:${trade.externalId}`));
  });

  it('numbers CSV rows by their line in the file', async () => {
    const rows = await parseAll('ibkr-flex-csv', fixtureBytes('ibkr-flex.csv'), { baseCurrency: 'USD' });

    // line 1 is the Trades header, 2-11 the ten executions, 12 the Cash Transactions header, 13- the cash
    // rows (13, a dividend, is reversed in full by 20)
    expect(tradesOf(rows).map(({ row }) => row)).toEqual([
      2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19,
    ]);
    expect(skipsOf(rows)).toEqual([
      { row: 1, skipped: 'HEADER' },
      { row: 12, skipped: 'HEADER' },
      { row: 13, skipped: 'NETTED' },
      { row: 20, skipped: 'NETTED' },
      { row: 21, skipped: 'UNSUPPORTED' },
      { row: 22, skipped: 'SUBTOTAL' },
    ]);
  });

  it.each([
    [
      'an activity statement',
      'Statement,Header,Field Name,Field Value\nStatement,Data,BrokerName,Interactive Brokers\n',
      /^line 1: not an IBKR Flex CSV/,
    ],
    [
      'a Trades header without prices',
      'ClientAccountID,CurrencyPrimary,AssetClass,Symbol,Quantity,Buy/Sell\nU1,USD,STK,AAPL,1,BUY\n',
      /^line 1: the Trades header lacks TradePrice, TradeDate or DateTime: add them to the Flex query$/,
    ],
  ])('%s is one file-level error', async (_case, text, message) => {
    await expectOneFileError('ibkr-flex-csv', text, message);
  });
});

describe('ibkr-flex-xml: corporate actions', () => {
  it('books a split from <CorporateAction>, its ratio from the description; skips the other actions', async () => {
    const xml = [
      '<FlexQueryResponse queryName="q" type="AF"><FlexStatements count="1"><FlexStatement accountId="U1">',
      '<CorporateActions>',
      '<CorporateAction assetCategory="STK" subCategory="ETF" symbol="SCHD" currency="USD" reportDate="20241011" dateTime="20241010;202500" description="SCHD(US8085247976) SPLIT 3 FOR 1 (SCHD, SCHWAB US DIVIDEND EQUITY ETF, US8085247976)" quantity="200" type="FS" transactionID="1"/>',
      '<CorporateAction assetCategory="STK" symbol="ABC" currency="USD" dateTime="20241012" description="ABC(US0000000002) SPINOFF 1 FOR 10 (XYZ, XYZ CORP, US0000000003)" type="SO"/>',
      '</CorporateActions></FlexStatement></FlexStatements></FlexQueryResponse>',
    ].join('\n');

    const rows = await parseAll('ibkr-flex-xml', xml, { baseCurrency: 'USD' });

    expect(errorsOf(rows)).toEqual([]);
    expect(tradesOf(rows)).toEqual([
      {
        row: 1, // 3 for 1; an ETF by its subCategory, as its trades are booked
        trade: {
          type: 'SPLIT',
          instrument: { assetClass: 'ETF', symbol: 'SCHD', currency: 'USD' },
          ratio: '3',
          currency: 'USD',
          tradeDate: '2024-10-10',
          note: 'SCHD(US8085247976) SPLIT 3 FOR 1 (SCHD, SCHWAB US DIVIDEND EQUITY ETF, US8085247976)',
        },
      },
    ]);
    expect(rows.find((row) => row.row === 2)).toMatchObject({ skipped: 'UNSUPPORTED', line: 4 });
  });
});

describe('ibkr-flex: executions cross-checked against tradeMoney', () => {
  it('refuses an execution whose price does not explain its tradeMoney', async () => {
    const xml = [
      '<FlexQueryResponse queryName="q" type="AF"><FlexStatements count="1"><FlexStatement accountId="U1"><Trades>',
      '<Trade assetCategory="STK" symbol="AAPL" currency="USD" tradeID="1" tradeDate="20260105" quantity="10" tradePrice="190.5" tradeMoney="1905" ibCommission="-1" ibCommissionCurrency="USD" buySell="BUY" levelOfDetail="EXECUTION"/>',
      '<Trade assetCategory="OPT" symbol="AAPL  261218C00200000" currency="USD" tradeID="2" tradeDate="20260105" quantity="2" tradePrice="315" multiplier="100" tradeMoney="630" ibCommission="-1" ibCommissionCurrency="USD" buySell="BUY" levelOfDetail="EXECUTION"/>',
      '</Trades></FlexStatement></FlexStatements></FlexQueryResponse>',
    ].join('\n');

    const rows = await parseAll('ibkr-flex-xml', xml, { baseCurrency: 'USD' });

    // 10 × 190.5 = 1,905 agrees; 2 × 315 × 100 = 63,000 is not the 630 the option cost (a price in cents)
    expect(errorsOf(rows)).toEqual([
      {
        row: 2,
        field: 'price',
        message:
          'quantity × price × multiplier is 63000 but column "tradeMoney" says 630: the price is not per unit of quantity (a bond quoted per 100 of face value, a total read as a price?)',
      },
    ]);
    expect(tradesOf(rows).map(({ row }) => row)).toEqual([1]);
  });
});
