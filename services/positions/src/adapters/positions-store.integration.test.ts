import { createDocumentClient, type Instrument } from '@kupala/trade-model';
import { engine } from '../positionsSideEffects';
import { VIEW_CHUNKS, viewChunkSortKey } from './positions-keys';
import { buildPositionsStore, type DerivedPosition, type StoredMark } from './positions-store';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the integration setup`);
  return value;
};

/**
 * The compact views of a portfolio's positions are packed into at most VIEW_CHUNKS items, against DynamoDB
 * Local: every position's summary and mark are read back, commits and marks of different positions that share
 * a chunk never overwrite each other, even at the same moment.
 */
describe('positions store: packed position views, against DynamoDB Local', () => {
  const client = createDocumentClient();
  const store = buildPositionsStore(client, env('POSITIONS_TABLE'));
  const sub = `views-${Date.now()}`;
  const portfolioId = `01JV1EWS${String(Date.now()).slice(-8)}0000000000`.slice(0, 26);
  const instrumentOf = (index: number): Instrument => ({
    assetClass: 'EQUITY',
    symbol: `PK${String(index).padStart(3, '0')}`,
    currency: 'USD',
    multiplier: '1',
  });
  const derived = (index: number, expectedVersion: number | undefined): DerivedPosition => {
    const instrument = instrumentOf(index);
    const state = engine.emptyPosition(instrument);
    return {
      instrumentKey: state.instrumentKey,
      instrument,
      state,
      summary: engine.positionSummary(state),
      baseCurrency: 'USD',
      generation: { gen: `g${expectedVersion ?? 0}`, closedFrom: '' },
      sinceCheckpoint: 0,
      expectedVersion,
    };
  };
  const markOf = (_index: number, price: string): StoredMark => ({
    price,
    currency: 'USD',
    asOf: '2026-02-02',
    source: 'manual',
  });
  const COUNT = 40;

  it('reads every view and mark back, in instrument-key order, from at most VIEW_CHUNKS items', async () => {
    const positions = Array.from({ length: COUNT }, (_, index) => derived(index, undefined));
    // 40 positions over 16 chunks: some chunks hold several of this one commit's positions
    expect(new Set(positions.map((p) => viewChunkSortKey(p.instrumentKey))).size).toBeLessThanOrEqual(
      VIEW_CHUNKS,
    );
    expect(new Set(positions.map((p) => viewChunkSortKey(p.instrumentKey))).size).toBeLessThan(COUNT);
    await store.commit({ sub, portfolioId, positions: positions.slice(0, 20), applied: [], cash: [] });
    await store.commit({ sub, portfolioId, positions: positions.slice(20), applied: [], cash: [] });
    // marks of all at once (plain updates of shared chunk items), and one of a position that does not exist
    const marked = await Promise.all(
      positions.map((p, index) =>
        store.setMark(sub, portfolioId, p.instrumentKey, markOf(index, `${index + 1}`)),
      ),
    );
    expect(marked.every(Boolean)).toBe(true);
    expect(await store.setMark(sub, portfolioId, 'EQUITY:NOPE:USD', markOf(0, '1'))).toBe(false);

    const views = await store.listPositionViews(sub, portfolioId);

    expect(views.map((view) => view.instrumentKey)).toEqual(positions.map((p) => p.instrumentKey).sort());
    expect(views.map((view) => view.mark?.price)).toEqual(positions.map((_, index) => `${index + 1}`));
    expect(views.every((view) => view.summary.instrumentKey === view.instrumentKey)).toBe(true);
  });

  it('keeps the other positions of a chunk when one position commits while marks are being set', async () => {
    const before = await store.listPositionViews(sub, portfolioId);
    // re-commit every even position (version 1 -> 2) while every odd one gets a new mark, concurrently
    const commits = Array.from({ length: COUNT / 2 }, (_, half) =>
      store.commit({ sub, portfolioId, positions: [derived(half * 2, 1)], applied: [], cash: [] }),
    );
    const marks = Array.from({ length: COUNT / 2 }, (_, half) =>
      store.setMark(sub, portfolioId, derived(half * 2 + 1, undefined).instrumentKey, markOf(0, '99')),
    );
    await Promise.all([...commits, ...marks]);

    const after = await store.listPositionViews(sub, portfolioId);
    expect(after).toHaveLength(COUNT);
    // odd positions: the new mark; even positions: their earlier mark survived their own re-commit
    expect(after.map((view) => view.mark?.price)).toEqual(
      before.map((view, index) => (index % 2 === 1 ? '99' : view.mark?.price)),
    );
    const versions = await store.listPositions(sub, portfolioId);
    expect(versions.map((p) => p.version)).toEqual(expectedVersions(COUNT));
  });
});

/** Versions after the second test: even positions committed twice (2), odd ones once (1). */
const expectedVersions = (count: number) =>
  Array.from({ length: count }, (_, index) => (index % 2 === 0 ? 2 : 1));
