import { Decimal, sumDecimals } from '@kupala/trade-model/decimal';

/** Allocation of a portfolio's market value in base currency, by instrument or by asset class. */
export interface AllocationSlice {
  label: string;
  /** Exact sum of the group's `marketValueBase` (negative for a net short group). */
  value: string;
  /** Share of the gross (absolute) market value, in percent, one place, half-even: "42.5". */
  percent: string;
}

export interface AllocatedPosition {
  instrument: { symbol: string; assetClass: string };
  marketValueBase: string | null;
}

export type AllocationGrouping = 'instrument' | 'assetClass';

/**
 * Groups positions with a price (others have no value to allocate), largest absolute value first. Sums and
 * shares are exact decimals; only the chart's geometry turns `percent` into a number.
 */
export const allocationSlices = (
  positions: readonly AllocatedPosition[],
  grouping: AllocationGrouping,
): AllocationSlice[] => {
  const groups = new Map<string, string[]>();
  for (const position of positions) {
    if (position.marketValueBase === null) continue;
    const label = grouping === 'instrument' ? position.instrument.symbol : position.instrument.assetClass;
    groups.set(label, [...(groups.get(label) ?? []), position.marketValueBase]);
  }
  const sums = [...groups].map(([label, values]) => ({ label, sum: sumDecimals(values) }));
  const gross = sums.reduce<Decimal>((total, { sum }) => total.plus(sum.abs()), new Decimal(0));
  return sums
    .sort((a, b) => b.sum.abs().cmp(a.sum.abs()) || a.label.localeCompare(b.label))
    .map(({ label, sum }) => ({
      label,
      value: sum.toFixed(),
      percent: gross.eq(0) ? '0.0' : sum.abs().times(100).div(gross).toFixed(1),
    }));
};

/** Exact sum of wire decimals as a wire decimal (for cash or totals a client adds up itself). */
export const addWireDecimals = (values: readonly string[]): string => sumDecimals(values).toFixed();
