import { fromScaled, type Scaled, toScaled } from './scaled';
import type { LotMethod, PositionState, StoredLot } from './types';

/**
 * The working (bigint) view of a stored position and its lots, built on first touch and kept on the very
 * objects under non-enumerable symbol keys (each also names its owner, so a copy never uses the original's).
 * `flush` writes the touched figures back as strings; so a call costs O(lots touched), whatever the history.
 */
const LOT = Symbol('lot');
const BOOK = Symbol('book');

export interface LotFigures {
  /** The lot these figures belong to: a copy made by object spread carries the symbol but is not the owner. */
  owner: StoredLot;
  quantity: Scaled;
  cost: Scaled;
  costBase: Scaled;
  unitKey: Scaled;
  dirty: boolean;
}

export type BookLot = StoredLot & { [LOT]?: LotFigures };

interface BookFigures {
  owner: PositionState;
  /** The last applied trade's date and id: lastOrderKey is written from them on flush. */
  lastDate: string;
  lastId: string;
  quantity: Scaled;
  costBasis: Scaled;
  costBasisBase: Scaled;
  realizedPnl: Scaled;
  realizedPnlBase: Scaled;
  multiplier: Scaled;
  dirty: boolean;
  dirtyLots: BookLot[];
}

type BookState = PositionState & { [BOOK]?: BookFigures };

export const lotFigures = (lot: BookLot): LotFigures => {
  const cached = lot[LOT];
  if (cached !== undefined && cached.owner === lot) return cached;
  const figures: LotFigures = {
    owner: lot,
    quantity: toScaled(lot.quantity),
    cost: lot.cost === undefined ? 0n : toScaled(lot.cost),
    costBase: lot.costBase === undefined ? 0n : toScaled(lot.costBase),
    unitKey: lot.unitKey === undefined ? 0n : toScaled(lot.unitKey),
    dirty: false,
  };
  hide(lot, LOT, figures);
  return figures;
};

// Non-enumerable: object spread, Object.assign, structuredClone, JSON, the DynamoDB marshaller and Jest's
// equality all ignore the cache.
const hide = (target: object, key: symbol, value: unknown): void => {
  Object.defineProperty(target, key, { value, writable: true, enumerable: false, configurable: true });
};

/** The mutable working view of one position. */
export class Book {
  private readonly figures: BookFigures;

  /**
   * `trackTouched` (applyTrade): remember each touched lot, so flush costs O(lots touched). A replay instead
   * flushes by one pass over the open lots (it already costs that much) and keeps no list.
   */
  constructor(
    readonly state: BookState,
    private readonly trackTouched = true,
  ) {
    let figures = state[BOOK];
    if (figures === undefined || figures.owner !== state) {
      const separator = state.lastOrderKey === null ? -1 : state.lastOrderKey.indexOf('#');
      figures = {
        owner: state,
        lastDate: state.lastOrderKey === null ? '' : state.lastOrderKey.slice(0, separator),
        lastId: state.lastOrderKey === null ? '' : state.lastOrderKey.slice(separator + 1),
        quantity: toScaled(state.quantity),
        costBasis: toScaled(state.costBasis),
        costBasisBase: toScaled(state.costBasisBase),
        realizedPnl: toScaled(state.realizedPnl),
        realizedPnlBase: toScaled(state.realizedPnlBase),
        multiplier: toScaled(state.instrument.multiplier ?? '1'),
        dirty: false,
        dirtyLots: [],
      };
      hide(state, BOOK, figures);
    }
    this.figures = figures;
  }

  /** Whether (date, id) comes after the last applied trade in ledger order. */
  isAfterLast(date: string, id: string): boolean {
    const figures = this.figures;
    return date > figures.lastDate || (date === figures.lastDate && id > figures.lastId);
  }

  setLast(date: string, id: string): void {
    this.figures.lastDate = date;
    this.figures.lastId = id;
    this.figures.dirty = true;
  }

  get lastOrderKey(): string | null {
    return this.figures.lastDate === '' ? null : `${this.figures.lastDate}#${this.figures.lastId}`;
  }

  get quantity(): Scaled {
    return this.figures.quantity;
  }
  get costBasis(): Scaled {
    return this.figures.costBasis;
  }
  get costBasisBase(): Scaled {
    return this.figures.costBasisBase;
  }
  get multiplier(): Scaled {
    return this.figures.multiplier;
  }
  get size(): number {
    return this.state.lots.length - this.state.head;
  }

  /** Adds a new lot's figures to the position's open totals. */
  addOpen(quantity: Scaled, cost: Scaled, costBase: Scaled): void {
    const figures = this.figures;
    figures.quantity += quantity;
    figures.costBasis += cost;
    figures.costBasisBase += costBase;
    figures.dirty = true;
  }

  /** Takes a closed part of a lot out of the position's open totals. */
  removeOpen(quantity: Scaled, cost: Scaled, costBase: Scaled): void {
    const figures = this.figures;
    figures.quantity -= quantity;
    figures.costBasis -= cost;
    figures.costBasisBase -= costBase;
    figures.dirty = true;
  }

  addRealized(gain: Scaled, gainBase: Scaled): void {
    this.figures.realizedPnl += gain;
    this.figures.realizedPnlBase += gainBase;
    this.figures.dirty = true;
  }

  /** Replaces the open quantity (after a split rounds every lot). */
  setQuantity(quantity: Scaled): void {
    this.figures.quantity = quantity;
    this.figures.dirty = true;
  }

  markDirty(lot: BookLot, figures: LotFigures): void {
    if (!figures.dirty) {
      figures.dirty = true;
      if (this.trackTouched) this.figures.dirtyLots.push(lot);
    }
  }

  /** The lot the method closes next (FIFO/AVERAGE: earliest, LIFO: latest, HIFO: highest cost per unit). */
  next(method: LotMethod): BookLot | undefined {
    const { lots, head } = this.state;
    return method === 'LIFO' ? lots[lots.length - 1] : lots[head];
  }

  /** Removes the lot `next` returned. */
  removeNext(method: LotMethod): void {
    const state = this.state;
    if (method === 'LIFO') {
      state.lots.pop();
    } else if (method === 'HIFO') {
      heapPop(state.lots);
    } else {
      state.head++;
      // Amortized O(1): drop the consumed prefix once it is as long as the open part.
      if (state.head * 2 >= state.lots.length) {
        state.lots.splice(0, state.head);
        state.head = 0;
      }
    }
  }

  open(method: LotMethod, lot: BookLot): void {
    if (method === 'HIFO') heapPush(this.state.lots, lot);
    else this.state.lots.push(lot);
  }

  /** Every open lot, in storage order. */
  openLots(): BookLot[] {
    return this.state.head === 0 ? this.state.lots : this.state.lots.slice(this.state.head);
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
    const average = state.method === 'AVERAGE';
    const hifo = state.method === 'HIFO';
    for (const lot of this.trackTouched ? figures.dirtyLots : this.openLots()) {
      const lotFigure = lot[LOT];
      if (lotFigure === undefined || lotFigure.owner !== lot || !lotFigure.dirty) continue;
      lotFigure.dirty = false;
      if (lotFigure.quantity === 0n) continue; // closed: no longer in the state
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

/** A new lot, born dirty (its strings are written by the next flush). */
export const newLot = (
  book: Book,
  openDate: string,
  tradeId: string,
  quantity: Scaled,
  cost: Scaled,
  costBase: Scaled,
  unitKey: Scaled,
): BookLot => {
  const lot: BookLot = { openDate, tradeId, quantity: '' };
  const figures: LotFigures = { owner: lot, quantity, cost, costBase, unitKey, dirty: false };
  hide(lot, LOT, figures);
  book.markDirty(lot, figures);
  return lot;
};

/** HIFO order: the higher cost per unit first; ties: the earlier lot (open date, then opening trade id). */
const before = (a: BookLot, b: BookLot): boolean => {
  const keyA = lotFigures(a).unitKey;
  const keyB = lotFigures(b).unitKey;
  if (keyA !== keyB) return keyA > keyB;
  if (a.openDate !== b.openDate) return a.openDate < b.openDate;
  return a.tradeId < b.tradeId;
};

const heapPush = (heap: BookLot[], lot: BookLot): void => {
  heap.push(lot);
  let index = heap.length - 1;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    const parentLot = heap[parent] as BookLot;
    if (!before(lot, parentLot)) break;
    heap[index] = parentLot;
    index = parent;
  }
  heap[index] = lot;
};

const heapPop = (heap: BookLot[]): void => {
  const last = heap.pop();
  if (last === undefined || heap.length === 0) return;
  const length = heap.length;
  let index = 0;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= length) break;
    const right = left + 1;
    const child = right < length && before(heap[right] as BookLot, heap[left] as BookLot) ? right : left;
    const childLot = heap[child] as BookLot;
    if (!before(childLot, last)) break;
    heap[index] = childLot;
    index = child;
  }
  heap[index] = last;
};
