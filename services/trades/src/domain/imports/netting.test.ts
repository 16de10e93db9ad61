import { RefundNetting } from './netting';
import type { ParsedRow } from './types';

const tax = (row: number, amount: string, tradeDate: string, reverses = false): ParsedRow => ({
  row,
  errors: [],
  candidate: {
    type: 'TAX',
    instrument: { assetClass: 'EQUITY', symbol: 'KO', currency: 'USD' },
    amount,
    currency: 'USD',
    tradeDate,
  },
  ...(reverses ? { reverses: true as const } : {}),
});

const run = (rows: ParsedRow[]) => {
  const netting = new RefundNetting();
  return [...rows.flatMap((row) => netting.take(row)), ...netting.end()];
};

describe('netting refunds with the charges they undo', () => {
  it('matches a refund listed before its charge, preferring the same amount on the same date', () => {
    const out = run([
      tax(2, '3', '2026-01-10', true), // refund first, as a statement sorted by report date may have it
      tax(3, '3', '2026-01-09'),
      tax(4, '3', '2026-01-10'),
      tax(5, '1', '2026-01-10'),
    ]);

    expect(
      out.map(({ row, skipped, detail, candidate }) => ({ row, skipped, detail, amount: candidate?.amount })),
    ).toEqual([
      { row: 3, skipped: undefined, detail: undefined, amount: '3' },
      { row: 4, skipped: 'NETTED', detail: 'reversed by row 2', amount: undefined },
      { row: 5, skipped: undefined, detail: undefined, amount: '1' },
      { row: 2, skipped: 'NETTED', detail: 'reverses row 4', amount: undefined },
    ]);
  });

  it('nets a partial refund into a larger charge, and leaves other currencies and instruments alone', () => {
    const eur: ParsedRow = {
      ...tax(3, '9', '2026-01-09'),
      candidate: { ...tax(3, '9', '2026-01-09').candidate, currency: 'EUR' },
    };

    const out = run([tax(2, '7.65', '2026-01-09'), eur, tax(4, '2.55', '2026-01-09', true)]);

    // 7.65 - 2.55 = 5.10
    expect(out.find((row) => row.row === 2)?.candidate).toMatchObject({
      amount: '5.1',
      note: '(net of 2.55 refunded on row 4)',
    });
    expect(out.find((row) => row.row === 3)?.candidate).toMatchObject({ amount: '9', currency: 'EUR' });
    expect(out.find((row) => row.row === 4)).toMatchObject({
      skipped: 'NETTED',
      detail: 'netted into row 2',
    });
  });

  it('a refund larger than every charge of its kind is a row error, and nothing of it is booked', () => {
    const out = run([tax(2, '1', '2026-01-09'), tax(3, '2', '2026-01-09', true)]);

    expect(out.find((row) => row.row === 2)?.candidate).toMatchObject({ amount: '1' });
    expect(out.find((row) => row.row === 3)).toEqual({
      row: 3,
      errors: [
        {
          row: 3,
          field: 'amount',
          message:
            'a refund or reversal of TAX of 2 USD on KO that matches no charge in this file; trades keep amounts positive, so import it with the statement that has the original charge, or book the net by hand',
        },
      ],
    });
  });
});
