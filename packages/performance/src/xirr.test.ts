import { xirr } from './xirr';

describe('xirr (actual/365)', () => {
  it("matches Microsoft's published XIRR example: 0.373362535", () => {
    // Excel's XIRR documentation: −10000 on 2008-01-01, 2750 on 2008-03-01, 4250 on 2008-10-30,
    // 3250 on 2009-02-15, 2750 on 2009-04-01 → 37.3362535%
    const result = xirr([
      { date: '2008-01-01', amount: -10000 },
      { date: '2008-03-01', amount: 2750 },
      { date: '2008-10-30', amount: 4250 },
      { date: '2009-02-15', amount: 3250 },
      { date: '2009-04-01', amount: 2750 },
    ]);
    expect(result.rate).toBeCloseTo(0.373362535, 8);
  });

  it('finds a near-total loss below −99% (the bracket reaches down there)', () => {
    // −1000 then +1 a year (365 days) later: 1 / 1000 − 1 = −0.999
    expect(
      xirr([
        { date: '2025-01-01', amount: -1000 },
        { date: '2026-01-01', amount: 1 },
      ]).rate,
    ).toBeCloseTo(-0.999, 10);
  });

  it('names why there is no rate', () => {
    expect(xirr([])).toEqual({ rate: null, reason: 'NO_INVESTMENT' });
    expect(xirr([{ date: '2025-01-01', amount: 5 }])).toEqual({ rate: null, reason: 'NO_INVESTMENT' });
    expect(
      xirr([
        { date: '2025-01-01', amount: -5 },
        { date: '2025-06-01', amount: -1 },
      ]),
    ).toEqual({
      rate: null,
      reason: 'NO_RETURN_FLOW',
    });
    expect(
      xirr([
        { date: '2025-01-01', amount: -5 },
        { date: '2025-01-01', amount: 6 },
      ]),
    ).toEqual({
      rate: null,
      reason: 'NO_TIME',
    });
    // −1000 + 100 / x − 1000 / x² < 0 for every x = 1 + r > 0 (its maximum, at x = 20, is −997.5)
    expect(
      xirr([
        { date: '2024-01-01', amount: -1000 },
        { date: '2024-12-31', amount: 100 },
        { date: '2025-12-31', amount: -1000 },
      ]),
    ).toEqual({ rate: null, reason: 'NO_ROOT' });
  });
});
