import { InsufficientQuantityError } from '../errors';
import { context } from '../testing';
import { whatIfSale } from '../what-if';
import { threeMsftLots } from './three-msft-lots';

describe('what-if sale under every lot method', () => {
  const ledger = threeMsftLots().buys;
  const { fx, baseCurrency } = context('FIFO');

  it('answers the gain of selling 12 at 70 side by side', () => {
    // Proceeds 12 × 70 = 840 under every method.
    // FIFO: 10 × 50 + 2 × 60 = 620 → 220 (200 of it LONG: the 2024-01-10 lot is over a year old on 2025-02-01).
    // LIFO: 10 × 55 + 2 × 60 = 670 → 170. HIFO: 10 × 60 + 2 × 55 = 710 → 130.
    // AVERAGE: pool 1650 / 30 = 55 → 12 × 55 = 660 → 180 (lots depleted FIFO: 10 of January, LONG, 2 of March).
    const result = whatIfSale(
      ledger,
      { quantity: '12', price: '70', date: '2025-02-01' },
      { fx, baseCurrency },
    );

    const figures = Object.fromEntries(
      Object.entries(result).map(([method, r]) => [
        method,
        [r.proceeds, r.cost, r.realizedGain, r.longTermGain, r.lotsClosed],
      ]),
    );
    expect(figures).toEqual({
      FIFO: ['840', '620', '220', '200', 2],
      LIFO: ['840', '670', '170', '0', 2],
      HIFO: ['840', '710', '130', '0', 2],
      AVERAGE: ['840', '660', '180', '150', 2],
    });
  });

  it('refuses to sell more than the position holds', () => {
    expect(() =>
      whatIfSale(ledger, { quantity: '31', price: '70', date: '2025-02-01' }, { fx, baseCurrency }),
    ).toThrow(InsufficientQuantityError);
  });
});
