import { randomUUID } from 'node:crypto';
import { Decimal, type Instrument, logger, type Trade } from '@kupala/trade-model';
import type { DatedRates } from '../adapters/market-data-reader';
import type { PortfolioSettings } from '../adapters/portfolios-reader';
import type {
  AppliedTrade,
  CashBalance,
  CashChange,
  PositionCommit,
  StoredPosition,
} from '../adapters/positions-store';
import type { ClosedLot, EngineContext, LotEngine, PositionState } from './engine';
import type { PositionsPublisher } from './publisher';
import { orderKeyOf, positionOf, type TradeEvent } from './trade-events';

/** A checkpoint of a position's state every this many applied trades (a back-dated change replays at most this many before its date). */
export const CHECKPOINT_EVERY = 50;
/** Trade changes of one position committed together (each adds a mirror item to the transaction). */
const CHANGES_PER_COMMIT = 80;
const MAX_ATTEMPTS = 5;

/** What applying trade events touches (the adapters, injected). */
export interface TradeEventsDeps {
  engine: LotEngine;
  store: {
    getPosition(sub: string, portfolioId: string, instrumentKey: string): Promise<StoredPosition | undefined>;
    getAppliedTrades(
      sub: string,
      portfolioId: string,
      tradeIds: string[],
    ): Promise<Map<string, AppliedTrade>>;
    ledgerAfter(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      after: string,
    ): Promise<AppliedTrade[]>;
    checkpointBefore(
      sub: string,
      portfolioId: string,
      position: StoredPosition,
      before: string,
    ): Promise<{ orderKey: string; state: PositionState } | undefined>;
    collectGarbage(sub: string, portfolioId: string, position: StoredPosition): Promise<void>;
    beginGeneration(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      expectedVersion: number,
      pending: { gen: string; from: string },
    ): Promise<number>;
    writeDerived(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      gen: string,
      closedLots: { orderKey: string; lot: ClosedLot }[],
      checkpoints: { orderKey: string; state: PositionState }[],
    ): Promise<void>;
    listCash(sub: string, portfolioId: string): Promise<CashBalance[]>;
    commit(commit: PositionCommit): Promise<void>;
    dropPortfolio(sub: string, portfolioId: string): Promise<void>;
  };
  portfolios: {
    getPortfolioSettings(sub: string, portfolioId: string): Promise<PortfolioSettings | undefined>;
  };
  rates: {
    ratesOfPair(sub: string, base: string, quote: string, from: string, to: string): Promise<DatedRates>;
  };
  rateOn: (rates: DatedRates, date: string) => string | undefined;
  publisher: PositionsPublisher;
  sleep: (attempt: number) => Promise<void>;
  newGeneration?: () => string;
}

/** A change of one trade to apply: the version applied so far (if any) and the new one. */
interface TradeChange {
  event: TradeEvent;
  previous: AppliedTrade | undefined;
}

const active = (trade: Trade | undefined): trade is Trade => trade !== undefined && trade.status === 'ACTIVE';

const INCOME_TYPES = new Set<Trade['type']>(['DIVIDEND', 'INTEREST']);

/** Signed cash and income of a trade version per currency (nothing for a cancelled or absent trade). */
const cashOf = (
  engine: LotEngine,
  trade: Trade | undefined,
): Map<string, { cash: Decimal; income: Decimal }> => {
  const totals = new Map<string, { cash: Decimal; income: Decimal }>();
  if (!active(trade)) return totals;
  const entry = (currency: string) => {
    let value = totals.get(currency);
    if (value === undefined) {
      value = { cash: new Decimal(0), income: new Decimal(0) };
      totals.set(currency, value);
    }
    return value;
  };
  for (const effect of engine.cashEffects(trade))
    entry(effect.currency).cash = entry(effect.currency).cash.plus(effect.amount);
  if (INCOME_TYPES.has(trade.type) && trade.amount !== undefined) {
    entry(trade.currency).income = entry(trade.currency).income.plus(trade.amount);
  }
  return totals;
};

/** The cash items after these trade changes (new version's effects minus the applied version's). */
const cashAfter = (
  engine: LotEngine,
  changes: TradeChange[],
  current: Map<string, CashBalance>,
): CashChange[] => {
  const deltas = new Map<string, { cash: Decimal; income: Decimal }>();
  for (const { event, previous } of changes) {
    for (const [sign, trade] of [
      [1, event.trade],
      [-1, previous?.trade],
    ] as const) {
      for (const [currency, value] of cashOf(engine, trade)) {
        const delta = deltas.get(currency) ?? { cash: new Decimal(0), income: new Decimal(0) };
        deltas.set(currency, {
          cash: delta.cash.plus(value.cash.times(sign)),
          income: delta.income.plus(value.income.times(sign)),
        });
      }
    }
  }
  return [...deltas].map(([currency, delta]) => {
    const before = current.get(currency);
    return {
      currency,
      balance: new Decimal(before?.balance ?? '0').plus(delta.cash).toFixed(),
      income: new Decimal(before?.income ?? '0').plus(delta.income).toFixed(),
      expectedVersion: before?.version ?? 0,
    };
  });
};

const appliedOf = (event: TradeEvent, trade: Trade): AppliedTrade => {
  const instrumentKey = positionOf(event.trade);
  return {
    tradeId: event.tradeId,
    version: event.version,
    trade,
    ...(instrumentKey === undefined ? {} : { instrumentKey }),
    orderKey: orderKeyOf(trade),
  };
};

/** The latest event of each trade (a later record carries the whole newer version). */
const latestPerTrade = (events: TradeEvent[]): TradeEvent[] => {
  const latest = new Map<string, TradeEvent>();
  for (const event of events) {
    const seen = latest.get(event.tradeId);
    if (seen === undefined || event.version >= seen.version) latest.set(event.tradeId, event);
  }
  return [...latest.values()];
};

/**
 * Applies the Trades-stream events of one portfolio: each trade's latest version is applied once (a
 * duplicate, redelivered or older version changes nothing, by the applied-trade mirror), each affected
 * position is re-derived from the earliest order key the changes touch (from a checkpoint, not from the
 * start), cash moves by the difference between the new and the applied version, and everything of one
 * position commits in one conditional transaction. A lost race re-reads and tries again (capped, backoff).
 */
export const applyPortfolioEvents = async (
  deps: TradeEventsDeps,
  sub: string,
  portfolioId: string,
  events: TradeEvent[],
): Promise<void> => {
  const settings = await deps.portfolios.getPortfolioSettings(sub, portfolioId);
  if (settings === undefined) {
    // the portfolio was deleted (its trades' REMOVE records follow): its positions go with it
    await deps.store.dropPortfolio(sub, portfolioId);
    return;
  }
  const latest = latestPerTrade(events).filter((event) => event.trade !== undefined);
  for (let attempt = 1; ; attempt += 1) {
    try {
      const changed = await applyOnce(deps, settings, sub, portfolioId, latest);
      if (changed) await deps.publisher.positionsChanged(sub, portfolioId);
      return;
    } catch (error: unknown) {
      if (!(error instanceof Error && error.name === 'ConcurrentChangeError') || attempt >= MAX_ATTEMPTS)
        throw error;
      await deps.sleep(attempt);
    }
  }
};

const applyOnce = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
  events: TradeEvent[],
): Promise<boolean> => {
  const applied = await deps.store.getAppliedTrades(
    sub,
    portfolioId,
    events.map((event) => event.tradeId),
  );
  const changes: TradeChange[] = events
    .filter((event) => (applied.get(event.tradeId)?.version ?? 0) < event.version)
    .map((event) => ({ event, previous: applied.get(event.tradeId) }));
  if (changes.length === 0) return false;

  // each change's mirror and cash commit with the position it now belongs to (else the one it left, else alone)
  const home = (change: TradeChange) => positionOf(change.event.trade) ?? change.previous?.instrumentKey;
  const touched = new Map<string, TradeChange[]>();
  const homeless: TradeChange[] = [];
  for (const change of changes) {
    for (const key of new Set([positionOf(change.event.trade), change.previous?.instrumentKey])) {
      if (key !== undefined && !touched.has(key)) touched.set(key, []);
    }
    const key = home(change);
    if (key === undefined) homeless.push(change);
    else touched.get(key)?.push(change);
  }
  const leaving = new Map<string, TradeChange[]>();
  for (const change of changes) {
    const from = change.previous?.instrumentKey;
    if (from !== undefined && from !== home(change))
      leaving.set(from, [...(leaving.get(from) ?? []), change]);
  }

  for (const [instrumentKey, owned] of touched) {
    const left = leaving.get(instrumentKey) ?? [];
    for (let start = 0; start < Math.max(owned.length, 1); start += CHANGES_PER_COMMIT) {
      const chunk = owned.slice(start, start + CHANGES_PER_COMMIT);
      await derivePosition(deps, settings, sub, portfolioId, instrumentKey, chunk, start === 0 ? left : []);
    }
  }
  for (let start = 0; start < homeless.length; start += CHANGES_PER_COMMIT) {
    const chunk = homeless.slice(start, start + CHANGES_PER_COMMIT);
    const cash = new Map((await deps.store.listCash(sub, portfolioId)).map((c) => [c.currency, c]));
    await deps.store.commit({
      sub,
      portfolioId,
      applied: chunk.map(({ event }) => appliedOf(event, event.trade as Trade)),
      cash: cashAfter(deps.engine, chunk, cash),
    });
  }
  return true;
};

/** FX lookup for the trades of a replay: each currency's rates to base over the replay's dates, prefetched. */
const engineContext = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  trades: Trade[],
): Promise<EngineContext> => {
  const needed = trades.filter(
    (trade) => trade.currency !== settings.baseCurrency && trade.fxRate === undefined,
  );
  const byCurrency = new Map<string, DatedRates>();
  for (const currency of new Set(needed.map((trade) => trade.currency))) {
    const dates = needed
      .filter((trade) => trade.currency === currency)
      .map((trade) => trade.tradeDate)
      .sort();
    const first = dates[0] ?? '';
    const last = dates[dates.length - 1] ?? '';
    byCurrency.set(currency, await deps.rates.ratesOfPair(sub, currency, settings.baseCurrency, first, last));
  }
  return {
    method: settings.lotMethod,
    baseCurrency: settings.baseCurrency,
    fx: (from, to, date) => {
      if (from === to) return '1';
      if (to === settings.baseCurrency) {
        const rates = byCurrency.get(from);
        return rates === undefined ? undefined : deps.rateOn(rates, date);
      }
      return undefined;
    },
  };
};

const derivePosition = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
  instrumentKey: string,
  owned: TradeChange[],
  left: TradeChange[],
): Promise<void> => {
  const { store } = deps;
  const stored = await store.getPosition(sub, portfolioId, instrumentKey);
  const changedIds = new Set([...owned, ...left].map((change) => change.event.tradeId));
  const added = owned
    .map((change) => change.event.trade)
    .filter((trade): trade is Trade => positionOf(trade) === instrumentKey);
  const removedKeys = [...owned, ...left]
    .filter((change) => change.previous?.instrumentKey === instrumentKey)
    .map((change) => change.previous?.orderKey ?? '');
  const from = [...added.map(orderKeyOf), ...removedKeys].sort()[0];
  const instrument: Instrument | undefined = stored?.instrument ?? added[0]?.instrument;

  let state: PositionState | undefined;
  let replay: Trade[] = [];
  let sinceCheckpoint = 0;
  if (from !== undefined && instrument !== undefined) {
    const appending =
      stored !== undefined && removedKeys.length === 0 && (stored.state.lastOrderKey ?? '') < from;
    if (stored === undefined) {
      state = deps.engine.emptyPosition(instrument);
      replay = added;
    } else if (appending) {
      state = stored.state;
      replay = added;
      sinceCheckpoint = stored.sinceCheckpoint;
    } else {
      const checkpoint = await store.checkpointBefore(sub, portfolioId, stored, from);
      state = checkpoint?.state ?? deps.engine.emptyPosition(instrument);
      const ledger = await store.ledgerAfter(sub, portfolioId, instrumentKey, checkpoint?.orderKey ?? '');
      replay = [
        ...ledger.filter((entry) => !changedIds.has(entry.tradeId)).map((entry) => entry.trade),
        ...added,
      ];
    }
  }

  const closedLots: { orderKey: string; lot: ClosedLot }[] = [];
  const checkpoints: { orderKey: string; state: PositionState }[] = [];
  if (state !== undefined && from !== undefined) {
    replay.sort((a, b) => orderKeyOf(a).localeCompare(orderKeyOf(b)));
    const ctx = await engineContext(deps, settings, sub, replay);
    for (const trade of replay) {
      const orderKey = orderKeyOf(trade);
      const result = deps.engine.applyTrade(state, trade, ctx);
      state = result.state;
      sinceCheckpoint += 1;
      if (orderKey >= from) {
        for (const lot of result.closedLots) closedLots.push({ orderKey, lot });
        if (sinceCheckpoint >= CHECKPOINT_EVERY) {
          checkpoints.push({ orderKey, state });
          sinceCheckpoint = 0;
        }
      }
    }
  }

  let expectedVersion = stored?.version;
  const gen = (deps.newGeneration ?? (() => randomUUID().replaceAll('-', '').slice(0, 16)))();
  if (stored !== undefined && (stored.pending !== undefined || closedLots.length + checkpoints.length > 0)) {
    await store.collectGarbage(sub, portfolioId, stored);
  }
  if (stored !== undefined && expectedVersion !== undefined && closedLots.length + checkpoints.length > 0) {
    expectedVersion = await store.beginGeneration(sub, portfolioId, instrumentKey, expectedVersion, {
      gen,
      from: from ?? '',
    });
  }
  await store.writeDerived(sub, portfolioId, instrumentKey, gen, closedLots, checkpoints);
  const cash = new Map((await store.listCash(sub, portfolioId)).map((c) => [c.currency, c]));
  await store.commit({
    sub,
    portfolioId,
    ...(state === undefined || instrument === undefined || from === undefined
      ? {}
      : {
          position: {
            instrumentKey,
            instrument,
            state,
            generation: { gen, closedFrom: stored === undefined ? '' : from },
            sinceCheckpoint,
            expectedVersion,
          },
        }),
    applied: owned.map(({ event }) => appliedOf(event, event.trade as Trade)),
    cash: cashAfter(deps.engine, owned, cash),
  });
  if (stored !== undefined) {
    // best effort: what the commit superseded is invisible already; a failure here is retried by the next derivation
    const { pending: _committed, ...rest } = stored;
    await store
      .collectGarbage(sub, portfolioId, { ...rest, gen, closedFrom: from ?? stored.closedFrom })
      .catch((error: unknown) =>
        logger.warn('Garbage collection of a position failed', { instrumentKey, error }),
      );
  }
};
