import { type Instrument, instrumentKey, normalizeInstrument, type Trade } from '@kupala/trade-model';
import { Book } from './book';
import { ClosedLotList } from './closed-lots';
import { InvalidTradeError, LotMethodMismatchError, MissingFxRateError, OutOfOrderError } from './errors';
import { holdingPeriod } from './holding-period';
import {
  abs,
  add,
  divide,
  type Hybrid,
  min,
  multiply,
  multiply3,
  neg,
  prorate,
  sub,
  toBig,
  UNIT,
} from './hybrid';
import { ledgerOrderKey } from './order';
import { fromScaled } from './scaled';
import { positiveTradeHybrid, tradeHybrid } from './trade-fields';
import type {
  ApplyResult,
  ClosedLot,
  ClosedLotSink,
  EngineContext,
  LotMethod,
  PositionState,
  ScaledClosedLot,
} from './types';

/** A position with nothing applied yet. */
export const emptyPosition = (instrument: Instrument): PositionState => {
  const normalized = normalizeInstrument(instrument);
  return {
    format: 1,
    instrumentKey: instrumentKey(normalized),
    instrument: normalized,
    lastOrderKey: null,
    method: null,
    quantity: '0',
    costBasis: '0',
    costBasisBase: '0',
    realizedPnl: '0',
    realizedPnlBase: '0',
    lots: [],
    head: 0,
  };
};

/** A deep copy holding only the open lots (what a checkpoint stores). */
export const clonePosition = (state: PositionState): PositionState => ({
  ...state,
  instrument: { ...state.instrument },
  lots: state.lots.slice(state.head).map((lot) => ({ ...lot })),
  head: 0,
});

/**
 * The state without its lots: everything `valuePosition` reads (quantity, cost and realized figures, method,
 * instrument), a few hundred bytes whatever the history. Not a state to apply trades to (`openLots` of it is
 * empty): what a reader that only values positions stores and loads.
 */
export const positionSummary = (state: PositionState): PositionState => ({
  ...state,
  instrument: { ...state.instrument },
  lots: [],
  head: 0,
});

// One-entry memos: consecutive trades often repeat a quantity or a fee (no closure per call).
let lastFeesText = '0';
let lastFees: Hybrid = 0;
let lastQuantityText: string | undefined; // no valid quantity yet: the first one is parsed and checked
let lastQuantity: Hybrid = 0;

const feesOf = (trade: Trade): Hybrid => {
  const text = trade.fees;
  if (text === undefined) return 0;
  if (text !== lastFeesText) {
    lastFees = tradeHybrid(trade, 'fees', text);
    lastFeesText = text;
  }
  return lastFees;
};

const quantityOf = (trade: Trade): Hybrid => {
  const text = trade.quantity;
  if (text === undefined || text !== lastQuantityText) {
    // Throws for a missing, malformed or non-positive quantity (the memo keeps only valid ones).
    lastQuantity = positiveTradeHybrid(trade, 'quantity', text);
    lastQuantityText = text;
  }
  return lastQuantity;
};

/** Rate trade currency -> base: 1 for the base currency, else the trade's `fxRate`, else the lookup on its date. */
export const rateToBase = (trade: Trade, ctx: EngineContext): bigint => toBig(hybridRateToBase(trade, ctx));

const hybridRateToBase = (trade: Trade, ctx: EngineContext): Hybrid => {
  if (trade.currency === ctx.baseCurrency) return UNIT;
  const text = trade.fxRate ?? ctx.fx(trade.currency, ctx.baseCurrency, trade.tradeDate);
  if (text === undefined) throw new MissingFxRateError(trade.currency, ctx.baseCurrency, trade.tradeDate);
  return positiveTradeHybrid(trade, 'fxRate', text);
};

/** A quantity moving in or out of the position: BUY-like (+1) or SELL-like (-1). Computed before any change. */
interface Move {
  direction: 1 | -1;
  closeQuantity: Hybrid;
  openQuantity: Hybrid;
  /** Closing longs: net proceeds; covering shorts: the cover's cost. Trade currency, then base. */
  closeAmount: Hybrid;
  closeAmountBase: Hybrid;
  /** Signed cost of the new lot (negative for a short). */
  openCost: Hybrid;
  openCostBase: Hybrid;
  realize: boolean;
}

/** An amount in trade currency at `rate` to the base currency. */
const toBase = (amount: Hybrid, rate: Hybrid): Hybrid =>
  amount === 0 || rate === UNIT ? amount : multiply(amount, rate);

const planMove = (
  book: Book,
  trade: Trade,
  ctx: EngineContext,
  direction: 1 | -1,
  quantity: Hybrid,
  price: Hybrid,
  realize: boolean,
): Move => {
  const fees = feesOf(trade);
  const held = book.quantity;
  const closing = held !== 0 && held > 0 !== direction > 0;
  const closeQuantity = closing ? min(quantity, abs(held)) : 0;
  const openQuantity = sub(quantity, closeQuantity);
  const notional = multiply3(quantity, price, book.multiplier);
  // A trade crossing zero: notional and fees split pro rata between the closing and the opening part.
  const closeNotional = prorate(notional, closeQuantity, quantity);
  const closeFees = prorate(fees, closeQuantity, quantity);
  const openNotional = openQuantity === 0 ? 0 : sub(notional, closeNotional);
  const openFees = openQuantity === 0 ? 0 : sub(fees, closeFees);
  const closeAmount = direction < 0 ? sub(closeNotional, closeFees) : add(closeNotional, closeFees);
  const openCost = direction > 0 ? add(openNotional, openFees) : sub(openFees, openNotional);
  // The rate is looked up only when an amount needs it (a missing rate for a zero amount is no error).
  const rate = (realize && closeAmount !== 0) || openCost !== 0 ? hybridRateToBase(trade, ctx) : UNIT;
  return {
    direction,
    closeQuantity,
    openQuantity,
    closeAmount,
    closeAmountBase: realize ? toBase(closeAmount, rate) : 0,
    openCost,
    openCostBase: toBase(openCost, rate),
    realize,
  };
};

/** Where closed lots go: a callback, or (replayPosition) the compact list itself, with no object per lot. */
type Sink = ClosedLotSink | ClosedLotList;

const closeLots = (book: Book, method: LotMethod, move: Move, trade: Trade, sink: Sink): void => {
  const quantity = move.closeQuantity;
  const average = method === 'AVERAGE';
  const held = abs(book.quantity);
  // AVERAGE: the pool's cost leaves at its average, spread over the lots it depletes.
  const poolCost = average ? prorate(book.costBasis, quantity, held) : 0;
  const poolCostBase = average ? prorate(book.costBasisBase, quantity, held) : 0;
  let remaining = quantity;
  let allocated: Hybrid = 0;
  let allocatedBase: Hybrid = 0;
  let allocatedPool: Hybrid = 0;
  let allocatedPoolBase: Hybrid = 0;
  while (remaining > 0) {
    const lot = book.next(method);
    const lotQuantity = abs(lot.quantity);
    const part = min(lotQuantity, remaining);
    remaining = sub(remaining, part);
    const last = remaining === 0;
    // Pro rata to quantity; the last lot takes the remainder so the parts add up exactly.
    const share = last ? sub(move.closeAmount, allocated) : prorate(move.closeAmount, part, quantity);
    const shareBase = last
      ? sub(move.closeAmountBase, allocatedBase)
      : prorate(move.closeAmountBase, part, quantity);
    if (!last) {
      allocated = add(allocated, share);
      allocatedBase = add(allocatedBase, shareBase);
    }
    let cost: Hybrid;
    let costBase: Hybrid;
    if (average) {
      cost = last ? sub(poolCost, allocatedPool) : prorate(poolCost, part, quantity);
      costBase =
        poolCostBase === poolCost
          ? cost
          : last
            ? sub(poolCostBase, allocatedPoolBase)
            : prorate(poolCostBase, part, quantity);
      if (!last) {
        allocatedPool = add(allocatedPool, cost);
        allocatedPoolBase = add(allocatedPoolBase, costBase);
      }
    } else {
      cost = prorate(lot.cost, part, lotQuantity);
      costBase = lot.costBase === lot.cost ? cost : prorate(lot.costBase, part, lotQuantity);
    }
    const long = lot.quantity > 0;
    const signedPart = long ? part : neg(part);
    book.removeOpen(signedPart, cost, costBase);
    const openDate = lot.openDate;
    const openTradeId = lot.tradeId;
    if (part === lotQuantity) {
      lot.quantity = 0;
      book.removeNext(method);
    } else {
      lot.quantity = sub(lot.quantity, signedPart);
      lot.cost = sub(lot.cost, cost);
      lot.costBase = sub(lot.costBase, costBase);
      book.markDirty(lot);
    }
    if (!move.realize) continue;
    // A long lot's cost is what was paid; a short lot's (negative) cost is minus what the short sale brought in.
    const proceeds = long ? share : neg(cost);
    const proceedsBase = long ? shareBase : neg(costBase);
    const paid = long ? cost : share;
    const paidBase = long ? costBase : shareBase;
    const gain = sub(proceeds, paid);
    const gainBase = proceedsBase === proceeds && paidBase === paid ? gain : sub(proceedsBase, paidBase);
    book.addRealized(gain, gainBase);
    if (sink instanceof ClosedLotList) {
      sink.add(
        long,
        openDate,
        trade.tradeDate,
        part,
        proceeds,
        paid,
        gain,
        proceedsBase,
        paidBase,
        gainBase,
        openTradeId,
        trade.tradeId,
      );
      continue;
    }
    sink({
      instrumentKey: book.state.instrumentKey,
      side: long ? 'LONG' : 'SHORT',
      openDate,
      closeDate: trade.tradeDate,
      quantity: part,
      proceeds,
      cost: paid,
      gain,
      proceedsBase,
      costBase: paidBase,
      gainBase,
      currency: book.state.instrument.currency,
      openTradeId,
      closeTradeId: trade.tradeId,
    });
  }
};

/** The api.md ClosedLot of a scaled one: the figures as canonical decimal strings, the holding period. */
export const formatClosedLot = (lot: ScaledClosedLot): ClosedLot => {
  const proceeds = fromScaled(lot.proceeds);
  const cost = fromScaled(lot.cost);
  const gain = fromScaled(lot.gain);
  return {
    instrumentKey: lot.instrumentKey,
    side: lot.side,
    openDate: lot.openDate,
    closeDate: lot.closeDate,
    quantity: fromScaled(lot.quantity),
    proceeds,
    cost,
    gain,
    holdingPeriod: holdingPeriod(lot.openDate, lot.closeDate),
    // In the base currency the strings are usually the same figures: format them once.
    proceedsBase: lot.proceedsBase === lot.proceeds ? proceeds : fromScaled(lot.proceedsBase),
    costBase: lot.costBase === lot.cost ? cost : fromScaled(lot.costBase),
    gainBase: lot.gainBase === lot.gain ? gain : fromScaled(lot.gainBase),
    currency: lot.currency,
    openTradeId: lot.openTradeId,
    closeTradeId: lot.closeTradeId,
  };
};

/** Collects closed lots as api.md strings. */
const collector =
  (closed: ClosedLot[]): ClosedLotSink =>
  (lot) => {
    closed.push(formatClosedLot(lot));
  };

const executeMove = (book: Book, method: LotMethod, move: Move, trade: Trade, sink: Sink): void => {
  if (move.closeQuantity > 0) closeLots(book, method, move, trade, sink);
  if (move.openQuantity === 0) return;
  const quantity = move.direction > 0 ? move.openQuantity : neg(move.openQuantity);
  const average = method === 'AVERAGE';
  book.open(
    method,
    trade.tradeDate,
    trade.tradeId,
    quantity,
    average ? 0 : move.openCost,
    average ? 0 : move.openCostBase,
    method === 'HIFO' ? divide(abs(move.openCost), move.openQuantity) : 0,
  );
  book.addOpen(quantity, move.openCost, move.openCostBase);
};

/** Every open lot's quantity × ratio (cost and open date kept); a lot never rounds to nothing. */
const applySplit = (book: Book, ratio: Hybrid): void => {
  let total: Hybrid = 0;
  for (const lot of book.openFigures()) {
    let quantity = multiply(lot.quantity, ratio);
    if (quantity === 0) quantity = lot.quantity > 0 ? 1 : -1;
    lot.quantity = quantity;
    book.markDirty(lot);
    total = add(total, quantity);
  }
  book.setQuantity(total);
};

/** What a trade does to the lots, decided before anything changes (so a thrown error leaves the state as it was). */
type Plan = { move: Move; ratio?: undefined } | { move?: undefined; ratio: Hybrid } | undefined;

const execution = (
  book: Book,
  trade: Trade,
  ctx: EngineContext,
  direction: 1 | -1,
  realize: boolean,
): Plan => ({
  move: planMove(
    book,
    trade,
    ctx,
    direction,
    quantityOf(trade),
    tradeHybrid(trade, 'price', trade.price),
    realize,
  ),
});

const planTrade = (book: Book, trade: Trade, ctx: EngineContext): Plan => {
  switch (trade.type) {
    case 'BUY':
    case 'BUY_TO_COVER':
      return execution(book, trade, ctx, 1, true);
    case 'SELL':
    case 'SELL_SHORT':
      return execution(book, trade, ctx, -1, true);
    // Transfers move lots without realizing: in at the given price, out at the lots' own cost.
    case 'TRANSFER_IN':
      return trade.quantity === undefined ? undefined : execution(book, trade, ctx, 1, false);
    case 'TRANSFER_OUT':
      return trade.quantity === undefined ? undefined : execution(book, trade, ctx, -1, false);
    case 'EXPIRE': {
      const requested = positiveTradeHybrid(trade, 'quantity', trade.quantity);
      const held = book.quantity;
      if (held === 0) return undefined;
      // Contracts not held cannot expire: the quantity is capped at the open position.
      return { move: planMove(book, trade, ctx, held > 0 ? -1 : 1, min(requested, abs(held)), 0, true) };
    }
    case 'SPLIT':
      return { ratio: positiveTradeHybrid(trade, 'ratio', trade.ratio) };
    default:
      // DIVIDEND, INTEREST, FEE, TAX, DEPOSIT, WITHDRAWAL: cash only (see cashEffects); the lots do not move.
      return undefined;
  }
};

/** Checks and applies one trade to a working book, handing realized lots to `sink`. */
const applyToBook = (book: Book, trade: Trade, ctx: EngineContext, sink: Sink): void => {
  const state = book.state;
  if (trade.status !== 'ACTIVE') throw new InvalidTradeError(trade.tradeId, 'is not ACTIVE');
  if (!book.isAfterLast(trade.tradeDate, trade.tradeId)) {
    throw new OutOfOrderError(ledgerOrderKey(trade), book.lastOrderKey as string);
  }
  const tradeInstrument =
    trade.instrumentKey ?? (trade.instrument === undefined ? undefined : instrumentKey(trade.instrument));
  if (tradeInstrument !== state.instrumentKey) {
    throw new InvalidTradeError(trade.tradeId, `is not a trade of ${state.instrumentKey}`);
  }
  if (state.method !== null && state.method !== ctx.method) {
    throw new LotMethodMismatchError(state.method, ctx.method);
  }
  const plan = planTrade(book, trade, ctx);
  state.method = ctx.method;
  book.setLast(trade.tradeDate, trade.tradeId);
  if (plan?.move !== undefined) executeMove(book, ctx.method, plan.move, trade, sink);
  else if (plan?.ratio !== undefined) applySplit(book, plan.ratio);
};

/**
 * Applies one ACTIVE trade of this instrument ordered after state.lastOrderKey (else throws OutOfOrderError).
 * Costs O(lots touched), whatever the history. It updates `state` in place and returns it (copy first with
 * `clonePosition` to keep a checkpoint). A thrown error (OutOfOrderError, MissingFxRateError, InvalidTradeError,
 * LotMethodMismatchError) leaves the state unchanged.
 */
export const applyTrade = (state: PositionState, trade: Trade, ctx: EngineContext): ApplyResult => {
  const book = new Book(state);
  const closedLots: ClosedLot[] = [];
  applyToBook(book, trade, ctx, collector(closedLots));
  book.flush();
  return { state, closedLots };
};

/** What `replayPosition` answers: the state, and the closed lots kept compact until read. */
export interface ReplayResult {
  state: PositionState;
  closedLots: ClosedLotList;
}

/**
 * Full replay of sorted active trades of one instrument (what a back-dated change re-derives from a
 * checkpoint). CANCELLED trades are skipped, and so are trades at or before `from.lastOrderKey`: replaying a
 * list over a checkpoint never applies a trade (a split, say) twice. `from` itself is never modified. The
 * closed lots come as a `ClosedLotList`: figures kept as numbers (or bigints), formatted as api.md
 * `ClosedLot`s when read (`at`, iteration, `toArray()`), so a replay whose lots are not all read formats none.
 */
export const replayPosition = (
  trades: readonly Trade[],
  ctx: EngineContext,
  from?: PositionState,
): ReplayResult => {
  const start = from ?? firstInstrument(trades);
  const closedLots = new ClosedLotList(start.instrumentKey, start.instrument.currency);
  const state = replayInto(trades, ctx, closedLots, from);
  return { state, closedLots };
};

/**
 * replayPosition handing each closed lot, in order, to `onClosedLot` with its figures as scaled bigints
 * (value × 10^12; `formatClosedLot` gives the ClosedLot replayPosition would have returned) instead of
 * collecting strings: a long replay then formats only the lots it keeps. Returns the state.
 */
export const replayPositionEach = (
  trades: readonly Trade[],
  ctx: EngineContext,
  onClosedLot: ClosedLotSink,
  from?: PositionState,
): PositionState => replayInto(trades, ctx, onClosedLot, from);

const replayInto = (
  trades: readonly Trade[],
  ctx: EngineContext,
  sink: Sink,
  from: PositionState | undefined,
): PositionState => {
  const start = from ?? firstInstrument(trades);
  const state = from === undefined ? start : clonePosition(start);
  const book = new Book(state, false);
  const after = state.lastOrderKey;
  for (const trade of trades) {
    if (trade.status !== 'ACTIVE') continue;
    if (after !== null && ledgerOrderKey(trade) <= after) continue;
    applyToBook(book, trade, ctx, sink);
  }
  book.flush();
  return state;
};

const firstInstrument = (trades: readonly Trade[]): PositionState => {
  const instrument = trades.find((trade) => trade.instrument !== undefined)?.instrument;
  if (instrument === undefined)
    throw new InvalidTradeError('-', 'replayPosition needs a trade with an instrument');
  return emptyPosition(instrument);
};
