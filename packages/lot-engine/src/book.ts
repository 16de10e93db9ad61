import { add, type Hybrid, sub } from './hybrid';
import { fromScaled, parseScaled } from './scaled';
import type { LotMethod, PositionState, StoredLot } from './types';

/**
 * The working (hybrid: safe-integer number or bigint, see hybrid.ts) view of a stored position and its lots.
 * applyTrade: built on first touch and kept on the very objects under non-enumerable symbol keys (each also
 * names its owner, so a copy never uses the original's); `flush` writes the touched figures back as strings,
 * so a call costs O(lots touched), whatever the history. A replay instead keeps its lots as working figures
 * only (no StoredLot per lot, no cache to attach) and writes the open ones as StoredLots once, at flush.
 */
const LOT = Symbol('lot');
const BOOK = Symbol('book');

export interface LotFigures {
  /**
   * The lot these figures belong to (a copy made by object spread carries the symbol but is not the owner);
   * undefined for a replay's working lot.
   */
  owner: StoredLot | undefined;
  openDate: string;
  tradeId: string;
  quantity: Hybrid;
  cost: Hybrid;
  costBase: Hybrid;
  unitKey: Hybrid;
  dirty: boolean;
}

export type BookLot = StoredLot & { [LOT]?: LotFigures };

interface BookFigures {
  owner: PositionState;
  /** The last applied trade's date and id: lastOrderKey is written from them on flush. */
  lastDate: string;
  lastId: string;
  quantity: Hybrid;
  costBasis: Hybrid;
  costBasisBase: Hybrid;
  realizedPnl: Hybrid;
  realizedPnlBase: Hybrid;
  multiplier: Hybrid;
  dirty: boolean;
  dirtyLots: BookLot[];
}

type BookState = PositionState & { [BOOK]?: BookFigures };

const parseLot = (lot: StoredLot, owner: StoredLot | undefined): LotFigures => ({
  owner,
  openDate: lot.openDate,
  tradeId: lot.tradeId,
  quantity: parseScaled(lot.quantity),
  cost: lot.cost === undefined ? 0 : parseScaled(lot.cost),
  costBase: lot.costBase === undefined ? 0 : parseScaled(lot.costBase),
  unitKey: lot.unitKey === undefined ? 0 : parseScaled(lot.unitKey),
  dirty: false,
});

export const lotFigures = (lot: BookLot): LotFigures => {
  const cached = lot[LOT];
  if (cached !== undefined && cached.owner === lot) return cached;
  const figures = parseLot(lot, lot);
  hide(lot, LOT, figures);
  return figures;
};

/** The StoredLot of a working lot: cost only outside AVERAGE, unitKey only under HIFO (as applyTrade stores). */
const storedLot = (figures: LotFigures, method: LotMethod | null): StoredLot => {
  const lot: StoredLot = {
    openDate: figures.openDate,
    tradeId: figures.tradeId,
    quantity: fromScaled(figures.quantity),
  };
  if (method !== 'AVERAGE') {
    lot.cost = fromScaled(figures.cost);
    lot.costBase = fromScaled(figures.costBase);
  }
  if (method === 'HIFO') lot.unitKey = fromScaled(figures.unitKey);
  return lot;
};

// Non-enumerable: object spread, Object.assign, structuredClone, JSON, the DynamoDB marshaller and Jest's
// equality all ignore the cache.
const hide = (target: object, key: symbol, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
};

/** The mutable working view of one position. */
export class Book {
  private readonly figures: BookFigures;
  /** Replay only: the lots as working figures (queue, stack or heap as in PositionState.lots), from `head`. */
  private readonly working: LotFigures[] | undefined;
  private workingHead = 0;

  /**
   * `trackTouched` (applyTrade, valuation): work on the state's StoredLots, remembering each touched one, so
   * flush costs O(lots touched). A replay (false) works on its own lot figures and writes the open lots once.
   */
  constructor(
    readonly state: BookState,
    trackTouched = true,
  ) {
    let figures = state[BOOK];
    if (figures === undefined || figures.owner !== state) {
      const separator = state.lastOrderKey === null ? -1 : state.lastOrderKey.indexOf('#');
      figures = {
        owner: state,
        lastDate: state.lastOrderKey === null ? '' : state.lastOrderKey.slice(0, separator),
        lastId: state.lastOrderKey === null ? '' : state.lastOrderKey.slice(separator + 1),
        quantity: parseScaled(state.quantity),
        costBasis: parseScaled(state.costBasis),
        costBasisBase: parseScaled(state.costBasisBase),
        realizedPnl: parseScaled(state.realizedPnl),
        realizedPnlBase: parseScaled(state.realizedPnlBase),
        multiplier: parseScaled(state.instrument.multiplier ?? '1'),
        dirty: false,
        dirtyLots: [],
      };
      hide(state, BOOK, figures);
    }
    this.figures = figures;
    this.working = trackTouched
      ? undefined
      : state.lots.slice(state.head).map((lot) => {
          const cached = (lot as BookLot)[LOT];
          return cached !== undefined && cached.owner === lot
            ? { ...cached, owner: undefined }
            : parseLot(lot, undefined);
        });
  }

  /** Whether (date, id) comes after the last applied trade in ledger order. */
  isAfterLast(date: string, id: string): boolean {
    const figures = this.figures;
    // Most trades share the last one's date: one equality test, then the ids.
    if (date === figures.lastDate) return id > figures.lastId;
    return date > figures.lastDate;
  }

  setLast(date: string, id: string): void {
    this.figures.lastDate = date;
    this.figures.lastId = id;
    this.figures.dirty = true;
  }

  get lastOrderKey(): string | null {
    return this.figures.lastDate === '' ? null : `${this.figures.lastDate}#${this.figures.lastId}`;
  }

  get quantity(): Hybrid {
    return this.figures.quantity;
  }
  get costBasis(): Hybrid {
    return this.figures.costBasis;
  }
  get costBasisBase(): Hybrid {
    return this.figures.costBasisBase;
  }
  get multiplier(): Hybrid {
    return this.figures.multiplier;
  }

  /** Adds a new lot's figures to the position's open totals. */
  addOpen(quantity: Hybrid, cost: Hybrid, costBase: Hybrid): void {
    const figures = this.figures;
    // In the base currency the figures are often the very same: one addition then serves both.
    const same = figures.costBasis === figures.costBasisBase && cost === costBase;
    figures.quantity = add(figures.quantity, quantity);
    figures.costBasis = add(figures.costBasis, cost);
    figures.costBasisBase = same ? figures.costBasis : add(figures.costBasisBase, costBase);
    figures.dirty = true;
  }

  /** Takes a closed part of a lot out of the position's open totals. */
  removeOpen(quantity: Hybrid, cost: Hybrid, costBase: Hybrid): void {
    const figures = this.figures;
    const same = figures.costBasis === figures.costBasisBase && cost === costBase;
    figures.quantity = sub(figures.quantity, quantity);
    figures.costBasis = sub(figures.costBasis, cost);
    figures.costBasisBase = same ? figures.costBasis : sub(figures.costBasisBase, costBase);
    figures.dirty = true;
  }

  addRealized(gain: Hybrid, gainBase: Hybrid): void {
    const figures = this.figures;
    const same = figures.realizedPnl === figures.realizedPnlBase && gain === gainBase;
    figures.realizedPnl = add(figures.realizedPnl, gain);
    figures.realizedPnlBase = same ? figures.realizedPnl : add(figures.realizedPnlBase, gainBase);
    figures.dirty = true;
  }

  /** Replaces the open quantity (after a split rounds every lot). */
  setQuantity(quantity: Hybrid): void {
    this.figures.quantity = quantity;
    this.figures.dirty = true;
  }

  markDirty(figures: LotFigures): void {
    if (!figures.dirty && figures.owner !== undefined) {
      figures.dirty = true;
      this.figures.dirtyLots.push(figures.owner);
    }
  }

  /** The lot the method closes next (FIFO/AVERAGE: earliest, LIFO: latest, HIFO: highest cost per unit). */
  next(method: LotMethod): LotFigures {
    const working = this.working;
    if (working !== undefined) {
      return (method === 'LIFO' ? working[working.length - 1] : working[this.workingHead]) as LotFigures;
    }
    const { lots, head } = this.state;
    return lotFigures((method === 'LIFO' ? lots[lots.length - 1] : lots[head]) as BookLot);
  }

  /** Removes the lot `next` returned. */
  removeNext(method: LotMethod): void {
    const working = this.working;
    if (working !== undefined) {
      if (method === 'LIFO') working.pop();
      else if (method === 'HIFO') heapPop(working, before);
      else {
        this.workingHead++;
        if (this.workingHead * 2 >= working.length) {
          working.splice(0, this.workingHead);
          this.workingHead = 0;
        }
      }
      return;
    }
    const state = this.state;
    if (method === 'LIFO') {
      state.lots.pop();
    } else if (method === 'HIFO') {
      heapPop(state.lots, storedBefore);
    } else {
      state.head++;
      // Amortized O(1): drop the consumed prefix once it is as long as the open part.
      if (state.head * 2 >= state.lots.length) {
        state.lots.splice(0, state.head);
        state.head = 0;
      }
    }
  }

  /** Opens a new lot (its strings are written by the next flush). */
  open(
    method: LotMethod,
    openDate: string,
    tradeId: string,
    quantity: Hybrid,
    cost: Hybrid,
    costBase: Hybrid,
    unitKey: Hybrid,
  ): void {
    const working = this.working;
    const figures: LotFigures = {
      owner: undefined,
      openDate,
      tradeId,
      quantity,
      cost,
      costBase,
      unitKey,
      dirty: false,
    };
    if (working !== undefined) {
      if (method === 'HIFO') heapPush(working, figures, before);
      else working.push(figures);
      return;
    }
    const lot: BookLot = { openDate, tradeId, quantity: '' };
    figures.owner = lot;
    hide(lot, LOT, figures);
    this.markDirty(figures);
    if (method === 'HIFO') heapPush(this.state.lots, lot, storedBefore);
    else this.state.lots.push(lot);
  }

  /** Every open lot, in storage order (applyTrade's book: a replay's are written at flush). */
  openLots(): BookLot[] {
    return this.state.head === 0 ? this.state.lots : this.state.lots.slice(this.state.head);
  }

  /** Every open lot's working figures, in storage order. */
  openFigures(): LotFigures[] {
    return this.working === undefined
      ? this.openLots().map(lotFigures)
      : this.working.slice(this.workingHead);
  }

  /** Writes every touched figure back into the state's strings. */
  flush(): void {
    const figures = this.figures;
    const state = this.state;
    if (figures.dirty) {
      state.lastOrderKey = this.lastOrderKey;
      state.quantity = fromScaled(figures.quantity);
      state.costBasis = fromScaled(figures.costBasis);
      state.costBasisBase = fromScaled(figures.costBasisBase);
      state.realizedPnl = fromScaled(figures.realizedPnl);
      state.realizedPnlBase = fromScaled(figures.realizedPnlBase);
      figures.dirty = false;
    }
    if (this.working !== undefined) {
      const method = state.method;
      const open = this.working.slice(this.workingHead);
      state.lots = open.map((lot) => storedLot(lot, method));
      state.head = 0;
      return;
    }
    const average = state.method === 'AVERAGE';
    const hifo = state.method === 'HIFO';
    for (const lot of figures.dirtyLots) {
      const lotFigure = lot[LOT];
      if (lotFigure === undefined || lotFigure.owner !== lot || !lotFigure.dirty) continue;
      lotFigure.dirty = false;
      if (lotFigure.quantity === 0) continue; // closed: no longer in the state
      lot.quantity = fromScaled(lotFigure.quantity);
      if (!average) {
        lot.cost = fromScaled(lotFigure.cost);
        lot.costBase = fromScaled(lotFigure.costBase);
      }
      if (hifo) lot.unitKey = fromScaled(lotFigure.unitKey);
    }
    figures.dirtyLots = [];
  }
}

/** HIFO order: the higher cost per unit first; ties: the earlier lot (open date, then opening trade id). */
const before = (a: LotFigures, b: LotFigures): boolean => {
  const keyA = a.unitKey;
  const keyB = b.unitKey;
  if (keyA !== keyB) return keyA > keyB;
  if (a.openDate !== b.openDate) return a.openDate < b.openDate;
  return a.tradeId < b.tradeId;
};

const storedBefore = (a: BookLot, b: BookLot): boolean => before(lotFigures(a), lotFigures(b));

const heapPush = <T>(heap: T[], item: T, first: (a: T, b: T) => boolean): void => {
  heap.push(item);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const parentItem = heap[parent] as T;
    if (!first(item, parentItem)) break;
    heap[index] = parentItem;
    index = parent;
  }
  heap[index] = item;
};

const heapPop = <T>(heap: T[], first: (a: T, b: T) => boolean): void => {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  const length = heap.length;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= length) break;
    const right = left + 1;
    const child = right < length && first(heap[right] as T, heap[left] as T) ? right : left;
    const childItem = heap[child] as T;
    if (!first(childItem, last)) break;
    heap[index] = childItem;
    index = child;
  }
  heap[index] = last;
};
