import type { Instrument, Trade } from '@kupala/trade-model';
import fc from 'fast-check';
import * as fast from './index';
import { context, trades } from './testing';
import { LOT_METHODS, type LotMethod } from './types';

/**
 * The engine on its safe-integer fast path (hybrid.ts) equals the same engine with every hybrid operation
 * forced through the exact bigint functions of scaled.ts, on random books: a second copy of the package is
 * loaded with './hybrid' replaced, so every module (book, engine, valuation) computes in bigints only.
 */
type Engine = typeof import('./index');
type HybridModule = typeof import('./hybrid');
type ScaledModule = typeof import('./scaled');

let bigintOnly: Engine | undefined;
/** Calls of the replaced add: proves the second copy runs on it, and the first does not. */
let mockAddCalls = 0;
jest.isolateModules(() => {
  jest.doMock('./hybrid', () => {
    const real = jest.requireActual<HybridModule>('./hybrid');
    const scaled = jest.requireActual<ScaledModule>('./scaled');
    const { toBig: big, fromBig: canonical } = real;
    type H = number | bigint;
    return {
      ...real,
      add: (a: H, b: H) => {
        mockAddCalls++;
        return canonical(big(a) + big(b));
      },
      sub: (a: H, b: H) => canonical(big(a) - big(b)),
      mulDiv: (a: H, b: H, d: H) => canonical(scaled.divideRounded(big(a) * big(b), big(d))),
      multiply: (a: H, b: H) => canonical(scaled.multiply(big(a), big(b))),
      multiply3: (a: H, b: H, c: H) => canonical(scaled.multiply3(big(a), big(b), big(c))),
      divide: (a: H, b: H) => canonical(scaled.divide(big(a), big(b))),
      prorate: (t: H, p: H, w: H) => canonical(scaled.prorate(big(t), big(p), big(w))),
    };
  });
  bigintOnly = jest.requireActual<Engine>('./index');
});
const slow = bigintOnly as Engine;

const option = {
  assetClass: 'OPTION' as const,
  symbol: 'SAP 261218C00100000',
  currency: 'EUR',
  multiplier: '100',
};
const stock = { assetClass: 'EQUITY' as const, symbol: 'SAP', currency: 'EUR' };

/** Decimals with up to 4 places: everyday sizes and sizes whose running totals leave the safe range (~9,007). */
const decimal = (maxUnits: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxUnits }), fc.integer({ min: 0, max: 9_999 }))
    .map(([units, tenThousandths]) =>
      tenThousandths === 0 && units === 0 ? '0.0001' : `${units}.${String(tenThousandths).padStart(4, '0')}`,
    );

const step = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      type: fc.constantFrom('BUY' as const, 'SELL' as const),
      quantity: fc.oneof(decimal(50), decimal(5_000_000)),
      price: fc.oneof(decimal(500), decimal(90_000)),
      fees: decimal(20),
      fxRate: fc.constantFrom('1.1', '0.95', '1.2345', '157.123456'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('SPLIT' as const), ratio: fc.constantFrom('2', '3', '0.1') }),
  },
);

type Step = {
  type: string;
  quantity?: string;
  price?: string;
  fees?: string;
  fxRate?: string;
  ratio?: string;
};

const ledgerOf = (steps: readonly Step[], instrument: Instrument): Trade[] => {
  const trade = trades();
  return steps.map((s, day) => {
    const date = new Date(Date.UTC(2023, 0, 2) + day * 86_400_000).toISOString().slice(0, 10);
    return s.type === 'SPLIT'
      ? trade('SPLIT', date, { instrument, ratio: s.ratio as string })
      : trade(s.type as 'BUY' | 'SELL', date, {
          instrument,
          quantity: s.quantity as string,
          price: s.price as string,
          fees: s.fees as string,
          fxRate: s.fxRate as string,
        });
  });
};

describe('safe-integer fast path == bigint path, on random books', () => {
  it('gives the same state, closed lots, open lots and valuation under every method', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(...LOT_METHODS),
        fc.boolean(),
        decimal(90_000),
        (steps, method: LotMethod, isOption, price) => {
          const ledger = ledgerOf(steps, isOption ? option : stock);
          const ctx = context(method, 'USD', () => undefined);
          const mark = {
            price,
            previousClose: '100.5',
            time: '2026-01-05T00:00:00.000Z',
            stale: false,
            fxToBase: '1.08',
          };

          const expected = slow.replayPosition(ledger, ctx);
          const actual = fast.replayPosition(ledger, ctx);

          expect(fast.clonePosition(actual.state)).toEqual(slow.clonePosition(expected.state));
          expect(actual.closedLots.toArray()).toEqual(expected.closedLots.toArray());
          expect(fast.openLots(actual.state)).toEqual(slow.openLots(expected.state));
          expect(fast.valuePosition(actual.state, mark, ctx)).toEqual(
            slow.valuePosition(expected.state, mark, ctx),
          );
          // And one trade at a time (applyTrade's book of stored lots) lands on the same state.
          let state = fast.emptyPosition(ledger[0]?.instrument ?? stock);
          for (const trade of ledger) state = fast.applyTrade(state, trade, ctx).state;
          expect(fast.clonePosition(state)).toEqual(slow.clonePosition(expected.state));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('runs the second copy, and only it, on the replaced operations', () => {
    const trade = trades();
    const ledger = [
      trade('BUY', '2026-01-05', { instrument: stock, quantity: '10', price: '100', fxRate: '1.1' }),
      trade('BUY', '2026-01-06', { instrument: stock, quantity: '5', price: '101', fxRate: '1.1' }),
    ];
    const ctx = context('FIFO', 'USD', () => undefined);
    const before = mockAddCalls;
    fast.replayPosition(ledger, ctx);
    expect(mockAddCalls).toBe(before);
    slow.replayPosition(ledger, ctx);
    expect(mockAddCalls).toBeGreaterThan(before);
  });
});
