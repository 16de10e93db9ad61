import { PriceHistoryQuerySchema } from './market-data';
import { CommissionScheduleSchema, UpdatePortfolioBodySchema } from './portfolio';
import { ListTradesQuerySchema, TradeInputSchema } from './trade';

// Cross-field rules run even after a field failed its own pattern (zod continues past a failed regex):
// they must refuse, never throw (a throw inside validation was a 500).
describe('cross-field rules over invalid fields', () => {
  it.each(['', 'abc', '-1', '1e5', ' 1'])(
    'a commission schedule with maximum %j is a validation issue',
    (maximum) => {
      const result = UpdatePortfolioBodySchema.safeParse({
        commissionSchedule: { currency: 'USD', minimum: '1', maximum },
      });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(
        'commissionSchedule.maximum',
      );
    },
  );

  it('still compares minimum and maximum when both are decimals', () => {
    const result = CommissionScheduleSchema.safeParse({ currency: 'USD', minimum: '5', maximum: '1' });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['minimum must not exceed maximum']);
  });

  it.each(['', 'x', '1.2.3'])('a FEE with fees %j is a validation issue', (fees) => {
    const result = TradeInputSchema.safeParse({
      type: 'FEE',
      amount: '5',
      fees,
      currency: 'USD',
      tradeDate: '2026-01-02',
    });
    expect(result.success).toBe(false);
  });
});

describe('every list with a date range refuses a start after its end', () => {
  it.each([
    ['trades', ListTradesQuerySchema],
    ['price history', PriceHistoryQuerySchema],
  ] as const)('%s: from 2025-06-30 to 2023-12-31 is refused at `to`', (_list, schema) => {
    const result = schema.safeParse({ from: '2025-06-30', to: '2023-12-31' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['to'], message: 'must not be before from' }),
    ]);
    expect(schema.safeParse({ from: '2023-12-31', to: '2023-12-31' }).success).toBe(true);
  });
});
