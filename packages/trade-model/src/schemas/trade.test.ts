import * as z from '../zod';
import { TRADE_TYPES, TradeInputSchema } from './trade';

const aapl = { assetClass: 'EQUITY', symbol: 'AAPL', currency: 'USD' };
const option = {
  assetClass: 'OPTION',
  symbol: 'AAPL261218C00200000',
  currency: 'USD',
  multiplier: '100',
  underlying: 'AAPL',
  expiry: '2026-12-18',
  strike: '200',
  putCall: 'C',
};
const base = { currency: 'USD', tradeDate: '2026-03-02' };

const validExamples: Record<(typeof TRADE_TYPES)[number], object> = {
  BUY: { ...base, type: 'BUY', instrument: aapl, quantity: '10', price: '190.50', fees: '1.00' },
  SELL: { ...base, type: 'SELL', instrument: aapl, quantity: '4', price: '200' },
  SELL_SHORT: { ...base, type: 'SELL_SHORT', instrument: option, quantity: '2', price: '3.15' },
  BUY_TO_COVER: { ...base, type: 'BUY_TO_COVER', instrument: option, quantity: '2', price: '1.05' },
  DEPOSIT: { ...base, type: 'DEPOSIT', amount: '10000' },
  WITHDRAWAL: { ...base, type: 'WITHDRAWAL', amount: '250.75' },
  DIVIDEND: { ...base, type: 'DIVIDEND', instrument: aapl, amount: '2.40' },
  INTEREST: { ...base, type: 'INTEREST', amount: '0.31' },
  FEE: { ...base, type: 'FEE', amount: '5' },
  TAX: { ...base, type: 'TAX', instrument: aapl, amount: '0.36' },
  SPLIT: { ...base, type: 'SPLIT', instrument: aapl, ratio: '4' },
  TRANSFER_IN: { ...base, type: 'TRANSFER_IN', instrument: aapl, quantity: '5', price: '150' },
  TRANSFER_OUT: { ...base, type: 'TRANSFER_OUT', amount: '100' },
  EXPIRE: { ...base, type: 'EXPIRE', instrument: option, quantity: '2' },
};

const issuesOf = (input: unknown) => {
  const result = z.safeParse(TradeInputSchema, input);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('TradeInputSchema', () => {
  it.each(TRADE_TYPES)('accepts a well-formed %s', (type) => {
    expect(issuesOf(validExamples[type])).toEqual([]);
  });

  it.each([
    ['a SPLIT without ratio', { ...base, type: 'SPLIT', instrument: aapl }, 'ratio'],
    ['a BUY without instrument', { ...base, type: 'BUY', quantity: '1', price: '1' }, 'instrument'],
    ['a BUY with a zero quantity', { ...validExamples.BUY, quantity: '0' }, 'quantity'],
    ['a negative price', { ...validExamples.BUY, price: '-1' }, 'price'],
    ['a number instead of a decimal string', { ...validExamples.BUY, quantity: 10 }, 'quantity'],
    ['an exponent', { ...validExamples.BUY, price: '1e3' }, 'price'],
    ['13 decimal places', { ...validExamples.BUY, price: '1.0000000000001' }, 'price'],
    ['an unknown currency', { ...validExamples.DEPOSIT, currency: 'XYZ' }, 'currency'],
    ['a lower-case currency', { ...validExamples.DEPOSIT, currency: 'usd' }, 'currency'],
    ['an impossible date', { ...validExamples.DEPOSIT, tradeDate: '2026-02-30' }, 'tradeDate'],
    ['an absurd date', { ...validExamples.DEPOSIT, tradeDate: '3026-01-01' }, 'tradeDate'],
    ['settlement before the trade', { ...validExamples.BUY, settleDate: '2026-03-01' }, 'settleDate'],
    [
      'an option without strike',
      { ...validExamples.SELL_SHORT, instrument: { ...option, strike: undefined } },
      'instrument.strike',
    ],
    [
      'a strike on a stock',
      { ...validExamples.BUY, instrument: { ...aapl, strike: '5' } },
      'instrument.strike',
    ],
    [
      'EXPIRE on a stock',
      { ...base, type: 'EXPIRE', instrument: aapl, quantity: '1' },
      'instrument.assetClass',
    ],
    [
      'a price in another currency than the instrument',
      { ...validExamples.BUY, currency: 'EUR' },
      'currency',
    ],
    ['an owner field', { ...validExamples.DEPOSIT, owner: 'someone-else' }, ''],
    ['an unknown type', { ...base, type: 'GIFT', amount: '1' }, 'type'],
    [
      'a securities transfer without price',
      { ...base, type: 'TRANSFER_IN', instrument: aapl, quantity: '5' },
      'price',
    ],
    ['a cash transfer without amount', { ...base, type: 'TRANSFER_OUT' }, 'amount'],
    [
      'a symbol with the key separator',
      { ...validExamples.BUY, instrument: { ...aapl, symbol: 'AA:PL' } },
      'instrument.symbol',
    ],
    ['an overlong note', { ...validExamples.DEPOSIT, note: 'x'.repeat(1001) }, 'note'],
  ])('rejects %s, naming the field', (_case, input, path) => {
    const issues = issuesOf(input);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((issue) => issue.startsWith(`${path}:`))).toBe(true);
  });

  it('needs no instrument for cash movements', () => {
    expect(issuesOf({ ...base, type: 'DEPOSIT', amount: '1' })).toEqual([]);
  });
});

describe('error messages', () => {
  it('reports one clear message per problem (a lower-case currency is not also "unknown")', () => {
    const issues = issuesOf({ ...validExamples.DEPOSIT, currency: 'usd' });
    expect(issues).toEqual(['currency: must be a three-letter ISO-4217 code in upper case, e.g. "USD"']);
  });
});
