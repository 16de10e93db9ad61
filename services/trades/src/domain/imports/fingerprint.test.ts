import type { TradeInput } from '@kupala/trade-model';
import { Fingerprinter, tradeContent } from './fingerprint';
import { inChunks, parseAll } from './parse-fixture';
import type { ImportRow } from './types';

const header = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"';
const buyAaplTwice = [
  '"01/05/2026","Buy","AAPL","APPLE INC","10","$190.50","$0.50","-$1,905.50"',
  '"01/05/2026","Buy","AAPL","APPLE INC","10","$190.50","$0.50","-$1,905.50"',
];
const sellAapl = '"01/12/2026","Sell","AAPL","APPLE INC","5","$195.00","$0.02","$974.98"';
const dividend = '"01/15/2026","Qualified Dividend","AAPL","APPLE INC","","","","$2.50"';
const buyMsft = '"01/25/2026","Buy","MSFT","MICROSOFT CORP","2","$410.00","","-$820.00"';

/** January 1-20 and, later, a statement for January 5-31 that repeats part of it. */
const januaryFirstHalf = [header, ...buyAaplTwice, sellAapl, dividend].join('\r\n');
const januaryOverlapping = [header, ...buyAaplTwice, sellAapl, buyMsft].join('\r\n');

const fingerprints = (rows: ImportRow[]) =>
  rows.flatMap((row) => (row.fingerprint === undefined ? [] : [row.fingerprint]));

describe('fingerprints', () => {
  it('are the same when the same file is imported again, however it is streamed', async () => {
    const first = fingerprints(await parseAll('schwab-csv', januaryFirstHalf));
    const again = fingerprints(await parseAll('schwab-csv', inChunks(januaryFirstHalf, 5)));

    expect(first).toHaveLength(4);
    expect(again).toEqual(first);
  });

  it('keep two identical fills on one day as two trades', async () => {
    const [fillOne, fillTwo] = fingerprints(await parseAll('schwab-csv', januaryFirstHalf));

    expect(fillOne).not.toBe(fillTwo);
    expect(fillOne?.replace(/:1$/, ':2')).toBe(fillTwo);
  });

  it('match on the rows an overlapping later statement repeats, and only on those', async () => {
    const earlier = fingerprints(await parseAll('schwab-csv', januaryFirstHalf));
    const later = fingerprints(await parseAll('schwab-csv', januaryOverlapping));

    const alreadyImported = new Set(earlier);
    expect(later.filter((fingerprint) => alreadyImported.has(fingerprint))).toEqual(earlier.slice(0, 3));
    expect(later.filter((fingerprint) => !alreadyImported.has(fingerprint))).toHaveLength(1); // the MSFT buy
  });

  it('use the broker id when there is one, and refuse the same id twice in a file', () => {
    const fingerprinter = new Fingerprinter();
    const trade: TradeInput = {
      type: 'DEPOSIT',
      amount: '1',
      currency: 'USD',
      tradeDate: '2026-01-05',
      externalId: 'T-1',
    };

    expect(fingerprinter.take(trade, 2)).toBe('id:T-1');
    expect(fingerprinter.take({ ...trade, amount: '2' }, 7)).toEqual({
      row: 7,
      field: 'externalId',
      message: '"T-1" was already used on row 2',
    });
  });
});

describe('tradeContent', () => {
  const option: TradeInput = {
    type: 'BUY',
    instrument: {
      assetClass: 'OPTION',
      symbol: 'aapl261218c00200000',
      currency: 'USD',
      underlying: 'aapl',
      expiry: '2026-12-18',
      strike: '200.00',
      putCall: 'C',
      multiplier: '100',
    },
    quantity: '2.0',
    price: '3.150',
    currency: 'USD',
    fees: '0',
    tradeDate: '2026-01-21',
    note: 'from the old spreadsheet',
  };

  it('is the same for the same trade written differently: decimals, case, a zero fee, a note', () => {
    const sameTrade: TradeInput = {
      ...option,
      instrument: { ...option.instrument, symbol: 'AAPL261218C00200000', underlying: 'AAPL', strike: '200' },
      quantity: '2',
      price: '3.15',
      fees: undefined,
      note: undefined,
    } as TradeInput;

    expect(tradeContent(sameTrade)).toBe(tradeContent(option));
  });

  it('differs when anything economic differs', () => {
    const variants: TradeInput[] = [
      { ...option, price: '3.16' } as TradeInput,
      { ...option, tradeDate: '2026-01-22' },
      { ...option, fees: '0.65' },
      { ...option, type: 'SELL' } as TradeInput,
      { ...option, instrument: { ...option.instrument, putCall: 'P' } } as TradeInput,
      { ...option, instrument: { ...option.instrument, multiplier: '10' } } as TradeInput,
    ];

    expect(new Set(variants.map(tradeContent)).size).toBe(variants.length);
    for (const variant of variants) expect(tradeContent(variant)).not.toBe(tradeContent(option));
  });
});

describe('fingerprints are a stored format', () => {
  // A changed algorithm would make every earlier import look new, and a re-import would book it all twice.
  // The values below were computed outside the code (node's crypto over the documented canonical text),
  // e.g. sha256("type=BUY␟quantity=10␟price=190.5␟currency=USD␟fees=1␟tradeDate=2026-01-05␟instrument{
  // assetClass=EQUITY␟symbol=AAPL␟currency=USD␟multiplier=1␟}"), base64url, first 22 characters.
  it('pins the content hash of a buy and of a deposit, and the broker-id form', () => {
    const fingerprinter = new Fingerprinter();

    const buy = fingerprinter.take(
      {
        type: 'BUY',
        instrument: { assetClass: 'EQUITY', symbol: 'aapl', currency: 'USD' },
        quantity: '10.00',
        price: '190.50',
        currency: 'USD',
        fees: '1.0',
        tradeDate: '2026-01-05',
        note: 'not part of the identity',
      },
      2,
    );
    const deposit = fingerprinter.take(
      { type: 'DEPOSIT', amount: '500', currency: 'USD', tradeDate: '2026-01-02' },
      3,
    );
    const sameDepositAgain = fingerprinter.take(
      { type: 'DEPOSIT', amount: '500.00', currency: 'USD', tradeDate: '2026-01-02' },
      4,
    );
    const withId = fingerprinter.take(
      { type: 'DEPOSIT', amount: '1', currency: 'USD', tradeDate: '2026-01-02', externalId: 'ibkr:cash:901' },
      5,
    );

    expect(buy).toBe('hash:iTXluyuMTop1zsw_CES3gb:1');
    expect(deposit).toBe('hash:Ysy925RRB31-TFN1836Srw:1');
    expect(sameDepositAgain).toBe('hash:Ysy925RRB31-TFN1836Srw:2');
    expect(withId).toBe('id:ibkr:cash:901');
  });
});
