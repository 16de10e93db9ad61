import { canonicalDecimal, Decimal, decimal } from '@kupala/trade-model';

/** One holding or target candidate; values in the portfolio's base currency. */
export interface RebalancePosition {
  instrumentKey: string;
  /** Current quantity (0 for a target not held yet). */
  quantity: string;
  /** Latest price per quoted unit, in base currency. */
  price: string;
  /** Default "1"; options usually "100". */
  multiplier?: string;
  /** Smallest tradable quantity: "1" (the default) for whole units, e.g. "0.0001" where fractions trade. */
  quantityStep?: string;
}

export interface RebalanceInput {
  positions: readonly RebalancePosition[];
  /** Cash available, in base currency. */
  cash: string;
  /** Target weight per instrumentKey, each 0–1, summing to at most 1 (the rest is the cash target). */
  targets: Readonly<Record<string, string>>;
}

export interface ProposedTrade {
  instrumentKey: string;
  side: 'BUY' | 'SELL';
  quantity: string;
  /** quantity × price × multiplier, before fees. */
  estimatedValue: string;
}

export interface InstrumentDrift {
  instrumentKey: string;
  targetWeight: string;
  currentWeight: string;
  weightAfter: string;
  /** weightAfter − targetWeight: what whole units (and cash) leave. */
  drift: string;
}

export interface RebalanceProposal {
  totalValue: string;
  trades: ProposedTrade[];
  cashAfter: string;
  cashWeightAfter: string;
  drift: InstrumentDrift[];
}

export class RebalanceInputError extends Error {
  override readonly name = 'RebalanceInputError';
}

const WEIGHT_PLACES = 8;
const weight = (value: Decimal, total: Decimal) => canonicalDecimal(value.div(total).round(WEIGHT_PLACES));

interface Line {
  key: string;
  unitValue: Decimal;
  step: Decimal;
  held: Decimal;
  target: Decimal;
  /** Units to trade: + buy, − sell. */
  change: Decimal;
}

/**
 * Trades that bring the weights closest to the targets without spending more cash than there is: every
 * sale to the nearest step (never more than held), every purchase rounded down to a step; if the sales'
 * rounding left too little cash, purchases give back one step at a time, most over-target first; then
 * leftover cash buys one more step of whichever holding is furthest under target where that step reduces
 * its drift. Holdings without a target go to 0. Fees are not estimated. `drift` is what remains per
 * instrument, as a weight.
 */
export const proposeRebalance = (input: RebalanceInput): RebalanceProposal => {
  const targetSum = Object.values(input.targets).reduce(
    (sum, value) => sum.plus(decimal(value)),
    new Decimal(0),
  );
  if (targetSum.gt(1))
    throw new RebalanceInputError(`target weights sum to ${canonicalDecimal(targetSum)}, more than 1`);
  const known = new Set(input.positions.map((position) => position.instrumentKey));
  for (const [key, value] of Object.entries(input.targets)) {
    if (decimal(value).lt(0)) throw new RebalanceInputError(`target weight of ${key} is negative`);
    if (!known.has(key)) throw new RebalanceInputError(`${key} has a target but no price`);
  }

  const lines: Line[] = input.positions.map((position) => {
    const unitValue = decimal(position.price).times(decimal(position.multiplier ?? '1'));
    const step = decimal(position.quantityStep ?? '1');
    if (unitValue.lte(0)) throw new RebalanceInputError(`${position.instrumentKey} has no positive price`);
    if (step.lte(0)) throw new RebalanceInputError(`${position.instrumentKey} has no positive quantity step`);
    return {
      key: position.instrumentKey,
      unitValue,
      step,
      held: decimal(position.quantity),
      target: new Decimal(0),
      change: new Decimal(0),
    };
  });
  const cash = decimal(input.cash);
  const total = lines.reduce((sum, line) => sum.plus(line.held.times(line.unitValue)), cash);
  if (total.lte(0)) throw new RebalanceInputError('the portfolio has no positive value to rebalance');

  for (const line of lines) {
    line.target = decimal(input.targets[line.key] ?? '0').times(total);
    const ideal = line.target.minus(line.held.times(line.unitValue)).div(line.unitValue);
    const steps = ideal.div(line.step);
    if (ideal.lt(0)) {
      // sell to the nearest step, never more than is held (a target of 0 sells everything)
      const sell = steps.abs().round(0, Decimal.roundHalfEven).times(line.step);
      line.change = (line.held.gt(0) && sell.gt(line.held) ? line.held : sell).neg();
    } else line.change = steps.round(0, Decimal.roundDown).times(line.step);
  }

  const valueAfter = (line: Line) => line.held.plus(line.change).times(line.unitValue);
  const cashLeft = () => lines.reduce((left, line) => left.minus(line.change.times(line.unitValue)), cash);
  // give back purchases, one step at a time, most over its target first, until the cash suffices
  for (let guard = 0; cashLeft().lt(0) && guard < 100_000; guard += 1) {
    const buys = lines.filter((line) => line.change.gt(0));
    const giveBack = buys.sort((a, b) => valueAfter(b).minus(b.target).cmp(valueAfter(a).minus(a.target)))[0];
    if (giveBack === undefined) break;
    giveBack.change = giveBack.change.minus(giveBack.step);
  }
  // spend what is left: one more step where it fits and brings the holding closer to its target
  for (let guard = 0; guard < lines.length; guard += 1) {
    const left = cashLeft();
    const candidate = lines
      .filter((line) => {
        const stepValue = line.step.times(line.unitValue);
        return line.target.minus(valueAfter(line)).gt(stepValue.div(2)) && stepValue.lte(left);
      })
      .sort((a, b) => b.target.minus(valueAfter(b)).cmp(a.target.minus(valueAfter(a))))[0];
    if (candidate === undefined) break;
    candidate.change = candidate.change.plus(candidate.step);
  }

  const trades = lines
    .filter((line) => !line.change.eq(0))
    .map(
      (line): ProposedTrade => ({
        instrumentKey: line.key,
        side: line.change.gt(0) ? 'BUY' : 'SELL',
        quantity: canonicalDecimal(line.change.abs()),
        estimatedValue: canonicalDecimal(line.change.abs().times(line.unitValue)),
      }),
    )
    .sort((a, b) =>
      a.side === b.side ? a.instrumentKey.localeCompare(b.instrumentKey) : a.side === 'SELL' ? -1 : 1,
    );
  const cashAfter = cashLeft();
  return {
    totalValue: canonicalDecimal(total),
    trades,
    cashAfter: canonicalDecimal(cashAfter),
    cashWeightAfter: weight(cashAfter, total),
    drift: lines.map((line) => {
      const targetWeight = decimal(input.targets[line.key] ?? '0');
      const after = valueAfter(line).div(total).round(WEIGHT_PLACES);
      return {
        instrumentKey: line.key,
        targetWeight: canonicalDecimal(targetWeight),
        currentWeight: weight(line.held.times(line.unitValue), total),
        weightAfter: canonicalDecimal(after),
        drift: canonicalDecimal(after.minus(targetWeight)),
      };
    }),
  };
};
