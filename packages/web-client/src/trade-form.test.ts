import { fieldsForTradeType, tradeBodyFromForm } from './trade-form';

const names = (type: Parameters<typeof fieldsForTradeType>[0], required: boolean) =>
  fieldsForTradeType(type)
    .filter((spec) => spec.required === required)
    .map((spec) => spec.field)
    .sort();

describe('trade form fields by type', () => {
  it('asks instrument, quantity and price for security trades', () => {
    expect(names('BUY', true)).toEqual(['currency', 'instrument', 'price', 'quantity', 'tradeDate']);
    expect(names('SELL_SHORT', true)).toEqual(names('BUY', true));
    expect(names('BUY', false)).not.toContain('amount');
  });

  it('asks an amount for cash movements, the instrument optional', () => {
    expect(names('DEPOSIT', true)).toEqual(['amount', 'currency', 'tradeDate']);
    expect(names('DEPOSIT', false)).toContain('instrument');
    expect(names('DEPOSIT', false)).not.toContain('quantity');
  });

  it('asks a ratio for a split and a quantity without price for an expiry', () => {
    expect(names('SPLIT', true)).toEqual(['currency', 'instrument', 'ratio', 'tradeDate']);
    expect(names('EXPIRE', true)).toEqual(['currency', 'instrument', 'quantity', 'tradeDate']);
    expect([...names('EXPIRE', true), ...names('EXPIRE', false)]).not.toContain('price');
  });

  it('builds a body of only that type, dropping empty optionals and keeping decimal strings', () => {
    const body = tradeBodyFromForm(
      'DEPOSIT',
      { amount: ' 1000.10 ', currency: 'EUR', tradeDate: '2026-12-01', quantity: '5', note: '' },
      (text) => ({ symbol: text }),
    );
    expect(body).toEqual({ type: 'DEPOSIT', amount: '1000.10', currency: 'EUR', tradeDate: '2026-12-01' });
  });
});
