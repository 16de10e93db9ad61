/*
 * Issue 6: the lot engine's two figures, on one core (the engine is synchronous). bench/lot-engine.ts bundles
 * this file as Lambda code is bundled and runs it in a fresh node process; it prints its rows as JSON.
 *   (a) replay of 1,000,000 trades of one instrument — target >= 500,000 trades/s — through replayPosition
 *       (closed lots kept compact, formatted as api.md strings when read: once without reading them, once
 *       reading every one) and through replayPositionEach (each closed lot handed to a callback as scaled
 *       figures: what a consumer of the lots needs);
 *   (b) applyTrade of one new trade on a position whose history is 1,000 / 10,000 / 100,000 trades — p50 per
 *       size, target: p50 at 100,000 <= 2 × p50 at 1,000 (on the warm figure). "warm": the state stays in
 *       memory between trades; "cold" (info): every sample starts from a state just read back from its JSON
 *       (as the service loads it), so the lazy per-lot parsing is paid too. The JSON parse and the collection of
 *       its garbage (gc() before each sample) are the service's load, not timed; V8 still copies the freshly
 *       parsed lots array once when the first new lot is pushed (O(open lots) memcpy, amortized when warm).
 * The machine is shared: rates are shown per second of this process's CPU time (user + system, all of its
 * threads, GC included), which is what one core delivers, and per second of wall time.
 * Each replay is preceded by a 20,000-trade warm-up replay (JIT); the history-size states are built untimed.
 * The trades alternate a BUY of 10 and a SELL of 7 at moving prices with fees: closed lots are emitted on
 * every sale and the open lots grow with the history (30 % of it), the hard case for an incremental engine.
 */
import { performance } from 'node:perf_hooks';
import {
  applyTrade,
  clonePosition,
  type EngineContext,
  type LotMethod,
  type PositionState,
  replayPosition,
  replayPositionEach,
} from '@kupala/lot-engine';
import { instrumentKey, type Trade } from '@kupala/trade-model';
import { percentile } from './stats';
import type { ResultRow } from './table';

const REPLAY_TRADES = 1_000_000;
const REPLAY_TARGET = 500_000;
const HISTORY_SIZES = [1_000, 10_000, 100_000] as const;
const WARM_SAMPLES = 2_000;
const COLD_SAMPLES = 101;
const instrument = { assetClass: 'EQUITY', symbol: 'BENCH', currency: 'USD' } as const;
const key = instrumentKey(instrument);

const isoDate = (day: number): string =>
  new Date(Date.UTC(2000, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

/** Trade number `n` of the synthetic history: even BUY 10, odd SELL 7; ~40 trades a day. */
const syntheticTrade = (n: number): Trade => {
  const buy = n % 2 === 0;
  const cents = 10_000 + ((n * 7919) % 5_000);
  return {
    tradeId: `01J${String(n).padStart(23, '0')}`,
    portfolioId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
    type: buy ? 'BUY' : 'SELL',
    instrument,
    instrumentKey: key,
    quantity: buy ? '10' : '7',
    price: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    fees: '1.25',
    currency: 'USD',
    tradeDate: isoDate(Math.floor(n / 40)),
    status: 'ACTIVE',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
};

const history = (count: number, from = 0): Trade[] =>
  Array.from({ length: count }, (_, i) => syntheticTrade(from + i));
const contextOf = (method: LotMethod): EngineContext => ({
  method,
  baseCurrency: 'USD',
  fx: () => undefined,
});
const fmt = (value: number) => Math.round(value).toLocaleString('en');
const micro = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

type Collect = (options?: { type: 'minor' | 'major' }) => void;
/** A full collection before a timed replay; a young-generation one (what the JSON parse filled) before a sample. */
const collect = (type: 'minor' | 'major' = 'major'): void => (globalThis as { gc?: Collect }).gc?.({ type });

/**
 * `kept`: replayPosition, its closed lots kept (compact, formatted when read) and not read; `read`: the same,
 * then every closed lot read once as an api.md ClosedLot (strings), as a consumer writing them out would;
 * `callback`: replayPositionEach counting scaled lots.
 */
type ReplayMode = 'kept' | 'read' | 'callback';

const MODE_LABELS: Record<ReplayMode, string> = {
  kept: 'lot engine replay (replayPosition, lots kept)',
  read: 'lot engine replay (replayPosition, every lot read as strings)',
  callback: 'lot engine replay (replayPositionEach, callback)',
};

const replay = (mode: ReplayMode, trades: readonly Trade[], ctx: EngineContext) => {
  if (mode === 'callback') {
    let closed = 0;
    const state = replayPositionEach(trades, ctx, () => {
      closed++;
    });
    return { state, closed };
  }
  const { state, closedLots } = replayPosition(trades, ctx);
  if (mode === 'read') {
    let characters = 0;
    for (const lot of closedLots) characters += lot.gain.length + lot.holdingPeriod.length;
    if (characters === 0) throw new Error('no closed lot was read');
  }
  return { state, closed: closedLots.length };
};

const replayRows = (method: LotMethod, mode: ReplayMode, trades: readonly Trade[]): ResultRow => {
  replay(mode, trades.slice(0, 20_000), contextOf(method)); // warm-up: JIT
  collect();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { state, closed } = replay(mode, trades, contextOf(method));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = trades.length / cpuSeconds;
  return {
    measurement: MODE_LABELS[mode],
    subject: `${method}, ${fmt(trades.length)} trades → ${fmt(closed)} closed lots, ${fmt(state.lots.length - state.head)} open`,
    value: `${fmt(rate)} trades/s of CPU (${cpuSeconds.toFixed(2)} s); wall ${fmt(trades.length / seconds)} trades/s (${seconds.toFixed(2)} s)`,
    target: `>= ${fmt(REPLAY_TARGET)} trades/s`,
    result: rate >= REPLAY_TARGET ? 'pass' : 'UNDER',
  };
};

const timeApply = (state: PositionState, trade: Trade, ctx: EngineContext): number => {
  const started = performance.now();
  applyTrade(state, trade, ctx);
  return performance.now() - started;
};

const applyRows = (method: LotMethod): ResultRow[] => {
  const ctx = contextOf(method);
  const p50s: { size: number; warm: number; cold: number; lots: number; bytes: number }[] = [];
  for (const size of HISTORY_SIZES) {
    const { state } = replayPosition(history(size), ctx);
    const stored = JSON.stringify(clonePosition(state));
    const next = history(WARM_SAMPLES, size);
    const warm = next.map((trade) => timeApply(state, trade, ctx));
    const cold: number[] = [];
    for (let i = 0; i < COLD_SAMPLES; i++) {
      const loaded = JSON.parse(stored) as PositionState;
      collect('minor');
      cold.push(timeApply(loaded, next[i] as Trade, ctx));
    }
    p50s.push({
      size,
      warm: percentile(warm, 50),
      cold: percentile(cold, 50),
      lots: JSON.parse(stored).lots.length,
      bytes: stored.length,
    });
  }
  const first = p50s[0] as (typeof p50s)[number];
  return p50s.flatMap((row): ResultRow[] => {
    const subject = `${method}, history ${fmt(row.size)} trades (${fmt(row.lots)} open lots, state ${fmt(row.bytes / 1024)} KB JSON)`;
    return [
      {
        measurement: `lot engine applyTrade p50, warm (${fmt(WARM_SAMPLES)} trades)`,
        subject,
        value: `${micro(row.warm)} (${(row.warm / first.warm).toFixed(2)}x of 1,000)`,
        target: '<= 2x of 1,000',
        result: row.warm <= 2 * first.warm ? 'pass' : 'OVER',
      },
      {
        measurement: `lot engine applyTrade p50, cold from JSON (${COLD_SAMPLES})`,
        subject,
        value: `${micro(row.cold)} (${(row.cold / first.cold).toFixed(2)}x of 1,000)`,
        target: '-',
        result: 'info',
      },
    ];
  });
};

const lotEngineRows = (progress: (line: string) => void): ResultRow[] => {
  const rows: ResultRow[] = [];
  progress(`lot engine: generating ${fmt(REPLAY_TRADES)} trades`);
  let trades: Trade[] | undefined = history(REPLAY_TRADES);
  for (const method of ['FIFO', 'HIFO', 'AVERAGE'] as const) {
    for (const mode of ['kept', 'read', 'callback'] as const) {
      progress(`lot engine: replay ${method}, ${mode}`);
      rows.push(replayRows(method, mode, trades));
    }
  }
  trades = undefined; // the 1,000,000 trades must not weigh on the collections below
  collect();
  for (const method of ['FIFO', 'HIFO'] as const) {
    progress(`lot engine: applyTrade as history grows, ${method}`);
    rows.push(...applyRows(method));
  }
  return rows;
};

process.stdout.write(
  `${JSON.stringify(lotEngineRows((line) => process.stderr.write(`bench: ${line}\n`)))}\n`,
);
