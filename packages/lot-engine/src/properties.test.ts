import { canonicalDecimal, Decimal, type Trade } from '@kupala/trade-model';
import fc from 'fast-check';
import {
  applyTrade,
  clonePosition,
  emptyPosition,
  formatClosedLot,
  positionSummary,
  replayPosition,
  replayPositionEach,
} from './engine';
import { toBig } from './hybrid';
import { toScaled } from './scaled';
import { context, equity, trades } from './testing';
import { LOT_METHODS, type PositionState, type ScaledClosedLot } from './types';
import { openLots, valuePosition } from './valuation';

const sap = equity('SAP', 'EUR');
const ctxOf = (method: (typeof LOT_METHODS)[number]) => context(method, 'USD', () => undefined);

type Step =
  | { kind: 'buy' | 'sell'; quantity: number; cents: number; feeCents: number; rate: string }
  | { kind: 'split'; ratio: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.integer({ min: 1, max: 60 }),
      cents: fc.integer({ min: 1, max: 50_000 }),
      feeCents: fc.integer({ min: 0, max: 500 }),
      rate: fc.constantFrom('1.1', '0.95', '1.2345'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('split' as const), ratio: fc.constantFrom('2', '3', '0.5') }),
  },
);

const money = (cents: number) => new Decimal(cents).div(100).toFixed();

/**
 * Turns steps into a valid ledger of one EUR instrument: `buy` adds to the side held (BUY, or SELL_SHORT when
 * short), `sell` reduces it (SELL / BUY_TO_COVER) by at most what is held, or opens a short when flat; when
 * `flat`, a last trade closes what is left. The held quantity is followed with big.js, apart from the engine.
 */
const ledgerOf = (steps: readonly Step[], flat: boolean) => {
  const trade = trades();
  const ledger: Trade[] = [];
  let held = new Decimal(0);
  let day = 0;
  const date = () => new Date(Date.UTC(2024, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);
  const execute = (
    type: Trade['type'],
    quantity: Decimal,
    s: { cents: number; feeCents: number; rate: string },
  ) => {
    ledger.push(
      trade(type, date(), {
        instrument: sap,
        quantity: canonicalDecimal(quantity),
        price: money(s.cents),
        fees: money(s.feeCents),
        fxRate: s.rate,
      }),
    );
  };
  for (const s of steps) {
    if (s.kind === 'split') {
      if (held.eq(0)) continue;
      ledger.push(trade('SPLIT', date(), { instrument: sap, ratio: s.ratio }));
      held = held.times(s.ratio);
      continue;
    }
    const quantity = new Decimal(s.quantity);
    if (s.kind === 'buy') {
      execute(held.lt(0) ? 'SELL_SHORT' : 'BUY', quantity, s);
      held = held.lt(0) ? held.minus(quantity) : held.plus(quantity);
    } else if (held.eq(0)) {
      execute('SELL_SHORT', quantity, s);
      held = held.minus(quantity);
    } else {
      const part = quantity.gt(held.abs()) ? held.abs() : quantity;
      execute(held.gt(0) ? 'SELL' : 'BUY_TO_COVER', part, s);
      held = held.gt(0) ? held.minus(part) : held.plus(part);
    }
  }
  if (flat && !held.eq(0)) {
    execute(held.gt(0) ? 'SELL' : 'BUY_TO_COVER', held.abs(), { cents: 12_345, feeCents: 99, rate: '1.05' });
    held = new Decimal(0);
  }
  return { ledger, held };
};

/** What the security trades did to cash, with big.js: once flat, that is the realized P&L. */
const cashOf = (ledger: readonly Trade[], base: boolean): string => {
  let total = new Decimal(0);
  for (const t of ledger) {
    if (t.quantity === undefined || t.price === undefined) continue;
    const notional = new Decimal(t.quantity).times(t.price);
    const fees = new Decimal(t.fees ?? '0');
    const cash =
      t.type === 'BUY' || t.type === 'BUY_TO_COVER' ? notional.plus(fees).neg() : notional.minus(fees);
    total = total.plus(base ? cash.times(t.fxRate ?? '1').round(12, Decimal.roundHalfEven) : cash);
  }
  return canonicalDecimal(total);
};

const steps = fc.array(step, { minLength: 1, maxLength: 40 });

// Hundreds of generated ledgers per property: give a loaded machine time.
jest.setTimeout(60_000);

describe('lot engine properties', () => {
  it('conserves quantity: the position and its lots hold what was bought, sold and split', () => {
    fc.assert(
      fc.property(steps, fc.constantFrom(...LOT_METHODS), (generated, method) => {
        const { ledger, held } = ledgerOf(generated, false);

        const { state } = replayPosition(ledger, ctxOf(method), emptyPosition(sap));

        expect(state.quantity).toBe(canonicalDecimal(held));
        const lots = openLots(state).reduce((sum, lot) => sum.plus(lot.quantity), new Decimal(0));
        expect(canonicalDecimal(lots)).toBe(canonicalDecimal(held));
      }),
      { numRuns: 150 },
    );
  });

  it('once flat, realizes the same total under every method: what the trades did to cash', () => {
    fc.assert(
      fc.property(steps, (generated) => {
        const { ledger } = ledgerOf(generated, true);

        const results = LOT_METHODS.map(
          (method) => replayPosition(ledger, ctxOf(method), emptyPosition(sap)).state,
        );

        for (const state of results) {
          expect([state.quantity, state.costBasis, state.costBasisBase]).toEqual(['0', '0', '0']);
          expect(state.realizedPnl).toBe(cashOf(ledger, false));
          expect(state.realizedPnlBase).toBe(cashOf(ledger, true));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('applied one trade at a time through JSON storage, equals a full replay', () => {
    fc.assert(
      fc.property(steps, fc.constantFrom(...LOT_METHODS), (generated, method) => {
        const { ledger } = ledgerOf(generated, false);
        const ctx = ctxOf(method);

        let stored = JSON.stringify(emptyPosition(sap));
        const closed = [];
        for (const t of ledger) {
          const { state, closedLots } = applyTrade(JSON.parse(stored) as PositionState, t, ctx);
          stored = JSON.stringify(state);
          closed.push(...closedLots);
        }
        const replay = replayPosition(ledger, ctx, emptyPosition(sap));

        expect(clonePosition(JSON.parse(stored))).toEqual(clonePosition(replay.state));
        expect(closed).toEqual(replay.closedLots.toArray());
      }),
      { numRuns: 100 },
    );
  });

  it('values a position read back from its summary (no lots, size independent of history) like the full state', () => {
    fc.assert(
      fc.property(steps, fc.constantFrom(...LOT_METHODS), (generated, method) => {
        const { ledger } = ledgerOf(generated, false);
        const { state } = replayPosition(ledger, ctxOf(method), emptyPosition(sap));
        const mark = {
          price: '123.45',
          time: '2024-06-03T00:00:00.000Z',
          previousClose: '120',
          stale: false,
        };
        const ctx = context(method, 'USD', () => '1.0875');

        const stored = JSON.parse(JSON.stringify(positionSummary(state))) as PositionState;

        expect(stored.lots).toEqual([]);
        expect(valuePosition(stored, mark, ctx)).toEqual(valuePosition(state, mark, ctx));
        expect(valuePosition(stored, undefined, ctx)).toEqual(valuePosition(state, undefined, ctx));
        // the summary keeps no trace of the lots: its size is that of the figures, not of the history
        expect(JSON.stringify(stored).length).toBeLessThan(600);
      }),
      { numRuns: 100 },
    );
  });

  it('replayPositionEach (scaled closed lots to a callback) gives the same state and lots as replayPosition', () => {
    fc.assert(
      fc.property(steps, fc.constantFrom(...LOT_METHODS), fc.boolean(), (generated, method, flat) => {
        const { ledger } = ledgerOf(generated, flat);
        const ctx = ctxOf(method);
        const scaled: ScaledClosedLot[] = [];
        const state = replayPositionEach(ledger, ctx, (lot) => scaled.push(lot), emptyPosition(sap));
        const replay = replayPosition(ledger, ctx, emptyPosition(sap));

        expect(clonePosition(state)).toEqual(clonePosition(replay.state));
        expect(scaled.map(formatClosedLot)).toEqual(replay.closedLots.toArray());
        // The figures (numbers or bigints) are the strings' exact values, and each gain is proceeds - cost with nothing lost.
        let realizedBase = 0n;
        scaled.forEach((lot, i) => {
          const text = replay.closedLots.at(i);
          expect(toScaled(text?.proceedsBase ?? '')).toBe(toBig(lot.proceedsBase));
          expect(toScaled(text?.costBase ?? '')).toBe(toBig(lot.costBase));
          expect(toBig(lot.gain)).toBe(toBig(lot.proceeds) - toBig(lot.cost));
          expect(toBig(lot.gainBase)).toBe(toBig(lot.proceedsBase) - toBig(lot.costBase));
          realizedBase += toBig(lot.gainBase);
        });
        expect(realizedBase).toBe(toScaled(replay.state.realizedPnlBase));
      }),
      { numRuns: 100 },
    );
  });

  it('amending a trade and amending it back restores every figure (re-derived from a checkpoint)', () => {
    fc.assert(
      fc.property(
        steps,
        fc.constantFrom(...LOT_METHODS),
        fc.nat(),
        fc.integer({ min: 1, max: 90_000 }),
        (generated, method, pick, cents) => {
          const { ledger } = ledgerOf(generated, false);
          if (ledger.length === 0) return;
          const index = pick % ledger.length;
          const target = ledger[index] as Trade;
          if (target.price === undefined) return;
          const ctx = ctxOf(method);
          const checkpoint = replayPosition(ledger.slice(0, index), ctx, emptyPosition(sap)).state;
          const original = replayPosition(ledger.slice(index), ctx, checkpoint);

          const amended = ledger.map((t, i) => (i === index ? { ...t, price: money(cents), version: 2 } : t));
          replayPosition(amended.slice(index), ctx, checkpoint);
          const back = ledger.map((t, i) => (i === index ? { ...t, version: 3 } : t));
          const restored = replayPosition(back.slice(index), ctx, checkpoint);

          expect(restored.state).toEqual(original.state);
          expect(restored.closedLots.toArray()).toEqual(original.closedLots.toArray());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps every lot cost and the total cost through any sequence of splits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('2', '3', '0.5', '0.1', '1.5', '4'), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...LOT_METHODS),
        (quantities, ratios, method) => {
          const trade = trades();
          const buys = quantities.map((q, i) =>
            trade('BUY', `2024-01-${String(i + 1).padStart(2, '0')}`, {
              instrument: sap,
              quantity: String(q),
              price: `${i + 7}.5`,
              fxRate: '1.1',
            }),
          );
          const splits = ratios.map((ratio, i) =>
            trade('SPLIT', `2024-02-${String(i + 1).padStart(2, '0')}`, { instrument: sap, ratio }),
          );
          const before = replayPosition(buys, ctxOf(method)).state;

          const after = replayPosition(splits, ctxOf(method), before).state;

          expect([after.costBasis, after.costBasisBase]).toEqual([before.costBasis, before.costBasisBase]);
          expect(openLots(after).map((lot) => [lot.openDate, lot.costBasis])).toEqual(
            openLots(before).map((lot) => [lot.openDate, lot.costBasis]),
          );
          const factor = ratios.reduce((product, ratio) => product.times(ratio), new Decimal(1));
          expect(after.quantity).toBe(canonicalDecimal(new Decimal(before.quantity).times(factor)));
        },
      ),
      { numRuns: 150 },
    );
  });
});
