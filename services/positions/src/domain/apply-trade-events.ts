import { randomUUID } from 'node:crypto';
import { Decimal, type Instrument, isTransientStorageError, type Trade } from '@kupala/trade-model';
import type { DatedRates, PriceMark } from '../adapters/market-data-reader';
import type { PortfolioSettings } from '../adapters/portfolios-reader';
import type {
  AppliedTrade,
  CashBalance,
  CashChange,
  DerivedKey,
  DerivedPosition,
  PositionCommit,
  StoredMark,
  StoredPosition,
} from '../adapters/positions-store';
import type { ClosedLot, EngineContext, LotEngine, PositionState } from './engine';
import { prefetchedFx } from './fx-context';
import { type HeldFollower, type HeldInstruments, heldInstruments, mergeHeld } from './held-instruments';
import type { PositionsPublisher } from './publisher';
import { orderKeyOf, positionOf, type TradeEvent } from './trade-events';

/** A checkpoint of a position's state every this many applied trades (a back-dated change replays at most this many before its date). */
export const CHECKPOINT_EVERY = 50;
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
      abandoned: { gen: string; from: string }[],
    ): Promise<number>;
    writeDerived(
      sub: string,
      portfolioId: string,
      instrumentKey: string,
      gen: string,
      closedLots: { orderKey: string; lot: ClosedLot }[],
      checkpoints: { orderKey: string; state: PositionState }[],
      fence: 'new' | 'pending',
      written: (keys: DerivedKey[]) => void,
    ): Promise<void>;
    discardDerived(keys: DerivedKey[]): Promise<void>;
    listCash(sub: string, portfolioId: string): Promise<CashBalance[]>;
    commit(commit: PositionCommit): Promise<void>;
    setMark(sub: string, portfolioId: string, instrumentKey: string, mark: StoredMark): Promise<boolean>;
    dropPortfolio(sub: string, portfolioId: string): Promise<void>;
    listPositionKeys(sub: string, portfolioId: string): Promise<string[]>;
    waitForRate(sub: string, portfolioId: string, from: string, to: string, waitId: string): Promise<void>;
    appliedVersions(sub: string, portfolioId: string): Promise<Map<string, number>>;
  };
  portfolios: {
    getPortfolioSettings(sub: string, portfolioId: string): Promise<PortfolioSettings | undefined>;
  };
  rates: {
    ratesOfPair(sub: string, base: string, quote: string, from: string, to: string): Promise<DatedRates>;
  };
  rateOn: (rates: DatedRates, date: string) => string | undefined;
  /** A new position takes the latest price at once (later prices arrive through the MarketData stream). */
  prices: { latestPrice(sub: string, symbol: string): Promise<PriceMark | undefined> };
  publisher: PositionsPublisher;
  /** A position opened in an instrument: market-data keeps it priced from then on (best effort, never rejects). */
  follower: HeldFollower;
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
  options: { settingsChanged?: boolean } = {},
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
      const held = latest.length > 0 ? await applyOnce(deps, settings, sub, portfolioId, latest) : undefined;
      const rederived =
        options.settingsChanged === true && (await rederiveUnderSettings(deps, settings, sub, portfolioId));
      if (held !== undefined || rederived) await deps.publisher.positionsChanged(sub, portfolioId);
      // first holdings go to market-data after the push, so the hand-off never delays what the user sees
      if (held !== undefined && (held.symbols.length > 0 || held.pairs.length > 0))
        await deps.follower.follow(held);
      return;
    } catch (error: unknown) {
      await followMissingRate(deps, sub, portfolioId, error);
      const retryable =
        (error instanceof Error && error.name === 'ConcurrentChangeError') || isTransientStorageError(error);
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
      await deps.sleep(attempt);
    }
  }
};

/**
 * A trade in a currency without any rate to the base (and no `fxRate` of its own) cannot be applied: the record
 * fails (retried, then parked). The portfolio is noted as waiting for that pair, and market-data is told to
 * follow it: when a rate arrives, the MarketData consumer catches the portfolio up (`catchUpPortfolio`).
 */
const followMissingRate = async (
  deps: TradeEventsDeps,
  sub: string,
  portfolioId: string,
  error: unknown,
): Promise<void> => {
  if (!(error instanceof Error) || error.name !== 'MissingFxRateError') return;
  const { from, to } = error as Error & { from?: unknown; to?: unknown };
  if (typeof from !== 'string' || typeof to !== 'string') return;
  await deps.store.waitForRate(sub, portfolioId, from, to, randomUUID());
  await deps.follower.follow({ symbols: [], pairs: [{ base: from, quote: to }] });
};

/**
 * Applies what the Trades table holds of a portfolio that the positions do not have yet: each trade's current
 * version, through the same path as the stream (versions applied already change nothing). Used when a rate a
 * trade waited for arrives; rejects as that path does (a rate still missing rejects again).
 */
export const catchUpPortfolio = async (
  deps: TradeEventsDeps,
  sub: string,
  portfolioId: string,
  trades: readonly Trade[],
): Promise<void> => {
  // the mirror in one paged read, instead of one read per trade of a long history
  const applied = await deps.store.appliedVersions(sub, portfolioId);
  const missing = trades.filter((trade) => (applied.get(trade.tradeId) ?? 0) < trade.version);
  if (missing.length === 0) return;
  await applyPortfolioEvents(
    deps,
    sub,
    portfolioId,
    missing.map((trade) => ({
      sequenceNumber: 'catch-up',
      sub,
      portfolioId,
      tradeId: trade.tradeId,
      version: trade.version,
      trade,
    })),
  );
};

/**
 * After the portfolio's base currency or lot method changed: every position derived under other settings is
 * re-derived whole (base figures at the new base's rates), each in its own conditional commit (no trade or cash
 * moves). A position already under these settings is left alone, so a redelivered record changes nothing.
 */
const rederiveUnderSettings = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
): Promise<boolean> => {
  let changed = false;
  for (const instrumentKey of await deps.store.listPositionKeys(sub, portfolioId)) {
    const written: DerivedKey[] = [];
    const committed = await discardingOnRefusal(deps, written, async () => {
      const derived = await derivePosition(deps, settings, sub, portfolioId, instrumentKey, [], written);
      if (derived === undefined) return false;
      await deps.store.commit({ sub, portfolioId, positions: [derived.position], applied: [], cash: [] });
      return true;
    });
    changed = changed || committed;
  }
  return changed;
};

/**
 * Runs a derivation and its commit; when a condition refuses it (another derivation won: nothing of this one
 * committed) the derived items it wrote (`written`) are deleted before the error goes on, so a loser leaves
 * nothing behind. Not after other failures: a commit that timed out may have committed those items.
 */
const discardingOnRefusal = async <T>(
  deps: TradeEventsDeps,
  written: DerivedKey[],
  derive: () => Promise<T>,
): Promise<T> => {
  try {
    return await derive();
  } catch (error: unknown) {
    if (error instanceof Error && error.name === 'ConcurrentChangeError' && written.length > 0) {
      await deps.store.discardDerived(written);
    }
    throw error;
  }
};

const applyOnce = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
  events: TradeEvent[],
): Promise<HeldInstruments | undefined> => {
  const applied = await deps.store.getAppliedTrades(
    sub,
    portfolioId,
    events.map((event) => event.tradeId),
  );
  const changes: TradeChange[] = events
    .filter((event) => (applied.get(event.tradeId)?.version ?? 0) < event.version)
    .map((event) => ({ event, previous: applied.get(event.tradeId) }));
  if (changes.length === 0) return undefined;

  // changes commit in chunks that fit one transaction; every position a chunk's changes touch (the one a
  // trade left and the one it moved to) commits in that same transaction, so no half-applied move is visible
  const chunks: TradeChange[][] = [];
  let chunk: TradeChange[] = [];
  for (const change of changes) {
    const next = [...chunk, change];
    if (chunk.length > 0 && estimatedSize(next) > MAX_TRANSACTION_ITEMS) {
      chunks.push(chunk);
      chunk = [change];
    } else chunk = next;
  }
  chunks.push(chunk);
  const held: HeldInstruments[] = [];
  for (const part of chunks) held.push(await commitChunk(deps, settings, sub, portfolioId, part));
  return mergeHeld(held);
};

const MAX_TRADE_ITEMS = 100;
const MAX_TRANSACTION_ITEMS = MAX_TRADE_ITEMS - 4; // room for the cash items and currency holders

const touchedBy = (changes: TradeChange[]): Map<string, TradeChange[]> => {
  const touched = new Map<string, TradeChange[]>();
  for (const change of changes) {
    for (const key of [positionOf(change.event.trade), change.previous?.instrumentKey]) {
      if (key !== undefined) touched.set(key, [...new Set([...(touched.get(key) ?? []), change])]);
    }
  }
  return touched;
};

/** Items of a chunk's transaction: 3 per position (state, view, holder), 1 per trade mirror, cash per currency. */
const estimatedSize = (changes: TradeChange[]): number => touchedBy(changes).size * 3 + changes.length + 2;

const commitChunk = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
  changes: TradeChange[],
): Promise<HeldInstruments> => {
  const prepared: Prepared[] = [];
  // the derived items this attempt wrote (deleted again if it loses a race)
  const written: DerivedKey[] = [];
  let openedCash: string[] = [];
  await discardingOnRefusal(deps, written, async () => {
    for (const [instrumentKey, related] of touchedBy(changes)) {
      const derived = await derivePosition(deps, settings, sub, portfolioId, instrumentKey, related, written);
      if (derived !== undefined) prepared.push(derived);
    }
    const cash = new Map((await deps.store.listCash(sub, portfolioId)).map((c) => [c.currency, c]));
    const cashNow = cashAfter(deps.engine, changes, cash);
    await deps.store.commit({
      sub,
      portfolioId,
      positions: prepared.map((entry) => entry.position),
      applied: changes.map(({ event }) => appliedOf(event, event.trade as Trade)),
      cash: cashNow,
    });
    openedCash = cashNow.filter((balance) => balance.expectedVersion === 0).map(({ currency }) => currency);
  });
  // what the commit superseded is invisible already: the position's next derivation collects it
  const opened = prepared.filter(({ stored }) => stored === undefined).map(({ position }) => position);
  for (const position of opened) {
    const mark = await deps.prices.latestPrice(sub, position.instrument.symbol);
    if (mark !== undefined) await deps.store.setMark(sub, portfolioId, position.instrumentKey, mark);
  }
  // a first holding of an instrument: the scheduled refresh prices it from now on, quote asked for or not
  // (and a first balance in a currency: its rate to the base); handed over once the portfolio is pushed
  return heldInstruments(
    opened.map(({ instrument }) => instrument),
    openedCash,
    settings.baseCurrency,
  );
};

interface Prepared {
  stored: StoredPosition | undefined;
  position: DerivedPosition;
}

const derivePosition = async (
  deps: TradeEventsDeps,
  settings: PortfolioSettings,
  sub: string,
  portfolioId: string,
  instrumentKey: string,
  related: TradeChange[],
  written: DerivedKey[] = [],
): Promise<Prepared | undefined> => {
  const { store } = deps;
  const stored = await store.getPosition(sub, portfolioId, instrumentKey);
  const changedIds = new Set(related.map((change) => change.event.tradeId));
  const added = related
    .map((change) => change.event.trade)
    .filter((trade): trade is Trade => positionOf(trade) === instrumentKey);
  const removedKeys = related
    .filter((change) => change.previous?.instrumentKey === instrumentKey)
    .map((change) => change.previous?.orderKey ?? '');
  // a state never changes lot method or base currency: after the portfolio changed either, the position
  // re-derives whole
  const stateMethod = (stored?.state as { method?: string | null } | undefined)?.method;
  const settingsChanged =
    (stateMethod !== undefined && stateMethod !== null && stateMethod !== settings.lotMethod) ||
    (stored?.baseCurrency !== undefined && stored.baseCurrency !== settings.baseCurrency);
  const earliest = [...added.map(orderKeyOf), ...removedKeys].sort()[0];
  const from = settingsChanged ? '' : earliest;
  const instrument: Instrument | undefined = stored?.instrument ?? added[0]?.instrument;

  let state: PositionState | undefined;
  let replay: Trade[] = [];
  let sinceCheckpoint = 0;
  if (from !== undefined && instrument !== undefined) {
    const appending =
      stored !== undefined &&
      !settingsChanged &&
      removedKeys.length === 0 &&
      (stored.state.lastOrderKey ?? '') < from;
    if (stored === undefined) {
      state = deps.engine.emptyPosition(instrument);
      replay = added;
    } else if (appending) {
      state = stored.state;
      replay = added;
      sinceCheckpoint = stored.sinceCheckpoint;
    } else {
      const checkpoint = settingsChanged
        ? undefined
        : await store.checkpointBefore(sub, portfolioId, stored, from);
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
    const ctx: EngineContext = {
      method: settings.lotMethod,
      baseCurrency: settings.baseCurrency,
      fx: await prefetchedFx(deps.rates, deps.rateOn, sub, settings.baseCurrency, replay),
    };
    for (const trade of replay) {
      const orderKey = orderKeyOf(trade);
      const result = deps.engine.applyTrade(state, trade, ctx);
      state = result.state;
      sinceCheckpoint += 1;
      if (orderKey >= from) {
        for (const lot of result.closedLots) closedLots.push({ orderKey, lot });
        if (sinceCheckpoint >= CHECKPOINT_EVERY) {
          // applyTrade updates the state in place: the checkpoint keeps a copy as of this trade
          checkpoints.push({ orderKey, state: deps.engine.clonePosition(state) });
          sinceCheckpoint = 0;
        }
      }
    }
  }

  if (state === undefined || instrument === undefined || from === undefined) return undefined;
  let expectedVersion = stored?.version;
  const gen = (deps.newGeneration ?? (() => randomUUID().replaceAll('-', '').slice(0, 16)))();
  const writesDerived = closedLots.length + checkpoints.length > 0;
  // Items before `closedFrom` count as current. Before this commit moves `closedFrom` forward (or clears a
  // generation that never committed), every invisible item in between must be gone, or it would count as
  // current again: so the collection is part of the derivation (a failure fails it, nothing commits). It runs
  // after this derivation registered its own generation: from then on no other derivation can write items
  // (they are fenced on their own pending generation), so the collection sees all there will ever be.
  const collects =
    stored !== undefined &&
    (stored.pending !== undefined || (stored.abandoned?.length ?? 0) > 0 || from > stored.closedFrom);
  if (stored !== undefined && expectedVersion !== undefined && (writesDerived || collects)) {
    const abandoned = [
      ...(stored.abandoned ?? []),
      ...(stored.pending === undefined ? [] : [stored.pending]),
    ];
    expectedVersion = await store.beginGeneration(
      sub,
      portfolioId,
      instrumentKey,
      expectedVersion,
      { gen, from },
      abandoned,
    );
  }
  if (stored !== undefined && collects) await store.collectGarbage(sub, portfolioId, stored);
  if (writesDerived) {
    await store.writeDerived(
      sub,
      portfolioId,
      instrumentKey,
      gen,
      closedLots,
      checkpoints,
      stored === undefined ? 'new' : 'pending',
      (keys) => written.push(...keys),
    );
  }
  return {
    stored,
    position: {
      instrumentKey,
      instrument,
      state,
      summary: deps.engine.positionSummary(state),
      baseCurrency: settings.baseCurrency,
      generation: { gen, closedFrom: stored === undefined ? '' : from },
      sinceCheckpoint,
      expectedVersion,
    },
  };
};
