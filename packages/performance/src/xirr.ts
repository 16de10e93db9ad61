/** A cash flow from the investor's side: negative when money goes in, positive when it comes out. */
export interface DatedFlow {
  date: string;
  amount: number;
}

export type XirrResult =
  | { rate: number; iterations: number }
  | { rate: null; reason: 'NO_INVESTMENT' | 'NO_RETURN_FLOW' | 'NO_ROOT' | 'NO_TIME' };

const DAY_MS = 86_400_000;
const TOLERANCE = 1e-12;
const MAX_ITERATIONS = 200;
// Brackets tried for a sign change of the net present value, from a near-total loss to 10^6 a year.
const GRID = [
  -0.999999, -0.99, -0.9, -0.5, -0.2, 0, 0.2, 0.5, 1, 2, 5, 10, 100, 1_000, 10_000, 1_000_000,
] as const;

const years = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS / 365;

/**
 * Annualized internal rate of return on actual/365 (Excel's XIRR): the rate r with
 * Σ amount_i / (1 + r)^(days_i / 365) = 0. Rates are not stored amounts, so this runs in binary floating
 * point; the flows come in as exact decimals converted once. Robust root finding: the grid above brackets
 * a sign change (the bracket nearest to 0% when several exist), then Newton steps that stay inside the
 * bracket, bisection otherwise, at most 200 iterations, to 1e-12.
 */
export const xirr = (flows: readonly DatedFlow[]): XirrResult => {
  const first = flows[0];
  const last = flows.at(-1);
  if (first === undefined || last === undefined) return { rate: null, reason: 'NO_INVESTMENT' };
  if (!flows.some((flow) => flow.amount < 0)) return { rate: null, reason: 'NO_INVESTMENT' };
  if (!flows.some((flow) => flow.amount > 0)) return { rate: null, reason: 'NO_RETURN_FLOW' };
  const times = flows.map((flow) => years(first.date, flow.date));
  if (times.every((time) => time === 0)) return { rate: null, reason: 'NO_TIME' };

  const npv = (rate: number) =>
    flows.reduce((sum, flow, index) => sum + flow.amount * (1 + rate) ** -(times[index] ?? 0), 0);
  const slope = (rate: number) =>
    flows.reduce((sum, flow, index) => {
      const time = times[index] ?? 0;
      return sum - time * flow.amount * (1 + rate) ** (-time - 1);
    }, 0);

  let bracket: [number, number] | undefined;
  for (let index = 1; index < GRID.length; index += 1) {
    const lo = GRID[index - 1] ?? 0;
    const hi = GRID[index] ?? 0;
    const atLo = npv(lo);
    const atHi = npv(hi);
    if (atLo === 0) return { rate: lo, iterations: 0 };
    if (Number.isFinite(atLo) && Number.isFinite(atHi) && Math.sign(atLo) !== Math.sign(atHi)) {
      const distance = Math.min(Math.abs(lo), Math.abs(hi));
      const best = bracket === undefined ? Infinity : Math.min(Math.abs(bracket[0]), Math.abs(bracket[1]));
      if (distance < best) bracket = [lo, hi];
    }
  }
  if (bracket === undefined) return { rate: null, reason: 'NO_ROOT' };

  // The net present value is judged relative to the flows' size (floating point cannot do better).
  const scale = flows.reduce((sum, flow) => sum + Math.abs(flow.amount), 0);
  let [lo, hi] = bracket;
  let rate = (lo + hi) / 2;
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration += 1) {
    const value = npv(rate);
    if (Math.abs(value) <= TOLERANCE * scale || hi - lo < TOLERANCE) return { rate, iterations: iteration };
    if (Math.sign(value) === Math.sign(npv(lo))) lo = rate;
    else hi = rate;
    const newton = rate - value / slope(rate);
    const next = Number.isFinite(newton) && newton > lo && newton < hi ? newton : (lo + hi) / 2;
    if (Math.abs(next - rate) < TOLERANCE * (1 + Math.abs(rate)))
      return { rate: next, iterations: iteration };
    rate = next;
  }
  return { rate, iterations: MAX_ITERATIONS };
};
