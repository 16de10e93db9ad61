import { livePositions, type PositionsPush } from './live-positions';

const push = (asOf: string, positions: string[], part = 1, parts = 1): PositionsPush<string> => ({
  type: 'positions',
  portfolioId: 'p1',
  asOf,
  part,
  parts,
  baseCurrency: 'USD',
  positions,
  cash: [{ currency: 'USD', balance: '1' }],
  totals: { netLiquidation: '1' },
});

describe('livePositions', () => {
  it('replaces the view with each newer state and drops a late older one', () => {
    const live = livePositions<string>('p1');
    expect(live.accept(push('2026-12-04T10:00:01.000Z', ['AAPL']))?.positions).toEqual(['AAPL']);
    expect(live.accept(push('2026-12-04T10:00:03.000Z', ['AAPL', 'NVDA']))?.positions).toEqual([
      'AAPL',
      'NVDA',
    ]);
    // arrives late: older than what is shown
    expect(live.accept(push('2026-12-04T10:00:02.000Z', ['STALE']))).toBeUndefined();
    expect(live.current()?.positions).toEqual(['AAPL', 'NVDA']);
  });

  it('shows a multi-part state only when every part is in, in part order', () => {
    const live = livePositions<string>('p1');
    expect(live.accept(push('2026-12-04T10:00:05.000Z', ['C'], 2, 2))).toBeUndefined();
    const view = live.accept(push('2026-12-04T10:00:05.000Z', ['A', 'B'], 1, 2));
    expect(view?.positions).toEqual(['A', 'B', 'C']);
  });

  it('abandons an incomplete older state when a newer one starts, and ignores other portfolios', () => {
    const live = livePositions<string>('p1');
    live.accept(push('2026-12-04T10:00:05.000Z', ['old'], 1, 2));
    expect(live.accept(push('2026-12-04T10:00:06.000Z', ['new']))?.positions).toEqual(['new']);
    expect(live.accept(push('2026-12-04T10:00:05.000Z', ['old2'], 2, 2))).toBeUndefined();
    expect(live.accept({ ...push('2026-12-04T10:00:09.000Z', ['x']), portfolioId: 'p2' })).toBeUndefined();
    expect(live.current()?.positions).toEqual(['new']);
  });

  it('does not let a slower GET seed overwrite a newer push', () => {
    const live = livePositions<string>('p1');
    live.accept(push('2026-12-04T10:00:06.000Z', ['pushed']));
    live.seed({ ...push('2026-12-04T10:00:04.000Z', ['fetched']) });
    expect(live.current()?.positions).toEqual(['pushed']);
  });
});
