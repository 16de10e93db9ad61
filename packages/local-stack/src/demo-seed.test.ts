import { demoPrices } from './demo-seed';

describe('demo prices', () => {
  it('dates the closes yesterday and today (UTC), so the demo positions are not stale right after dev', () => {
    // 00:30 UTC on 2027-03-01: yesterday is 2027-02-28 (not a leap year)
    const prices = demoPrices(new Date('2027-03-01T00:30:00Z'));

    expect(prices.map((price) => price.symbol)).toEqual(['AAPL', 'MSFT']);
    for (const { prices: closes } of prices) {
      expect(closes.map((close) => close.date)).toEqual(['2027-02-28', '2027-03-01']);
    }
  });
});
