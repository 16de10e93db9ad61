import { holdingPeriod } from './holding-period';
import type { Hybrid } from './hybrid';
import { fromScaled } from './scaled';
import type { ClosedLot, ScaledClosedLot } from './types';

/** Figures per lot, in this order: quantity, proceeds, cost, gain, proceedsBase, costBase, gainBase. */
const FIGURES = 7;
const INITIAL_CAPACITY = 64;

/**
 * The closed lots of one position's replay, kept compact and formatted only when read: figures as doubles in
 * one Float64Array (exact: a safe integer is a double; the rare figure beyond ±(2^53 − 1) is a bigint kept
 * aside), dates and trade ids as references to the trades' own strings. Keeping 800,000 api.md `ClosedLot`s
 * (an object and up to seven new strings each) made the garbage collector copy every one of them out of the
 * young generation; these columns sit outside the JS heap. `at(i)` (and iteration, `toArray()`) gives exactly
 * the `ClosedLot` that `formatClosedLot` makes of the lot handed to `replayPositionEach`'s callback; it is
 * built anew on every read, so keep what you read more than once.
 */
export class ClosedLotList implements Iterable<ClosedLot> {
  private count = 0;
  private figures = new Float64Array(INITIAL_CAPACITY * FIGURES);
  /** Slot (lot × 7 + figure) -> a figure outside the safe range (its slot holds NaN). */
  private readonly bigFigures = new Map<number, bigint>();
  /** Per lot: openDate, closeDate, openTradeId, closeTradeId. */
  private readonly texts: string[] = [];
  /** Per lot: 1 for a short lot. */
  private shorts = new Uint8Array(INITIAL_CAPACITY);

  constructor(
    /** Every lot of a replay is of one position: its instrument key and currency are stored once. */
    readonly instrumentKey: string,
    readonly currency: string,
  ) {}

  get length(): number {
    return this.count;
  }

  /** Appends a lot (of this list's position) as `replayPositionEach` hands it over. */
  push(lot: ScaledClosedLot): void {
    const index = this.count;
    if (index === this.shorts.length) this.grow();
    const base = index * FIGURES;
    this.store(base, lot.quantity);
    this.store(base + 1, lot.proceeds);
    this.store(base + 2, lot.cost);
    this.store(base + 3, lot.gain);
    this.store(base + 4, lot.proceedsBase);
    this.store(base + 5, lot.costBase);
    this.store(base + 6, lot.gainBase);
    this.shorts[index] = lot.side === 'SHORT' ? 1 : 0;
    this.texts.push(lot.openDate, lot.closeDate, lot.openTradeId, lot.closeTradeId);
    this.count = index + 1;
  }

  /** The lot at `index` (0 <= index < length) with its figures as `replayPositionEach` handed them over. */
  scaledAt(index: number): ScaledClosedLot {
    this.check(index);
    const base = index * FIGURES;
    const texts = index * 4;
    return {
      instrumentKey: this.instrumentKey,
      side: this.shorts[index] === 1 ? 'SHORT' : 'LONG',
      openDate: this.texts[texts] as string,
      closeDate: this.texts[texts + 1] as string,
      quantity: this.figure(base),
      proceeds: this.figure(base + 1),
      cost: this.figure(base + 2),
      gain: this.figure(base + 3),
      proceedsBase: this.figure(base + 4),
      costBase: this.figure(base + 5),
      gainBase: this.figure(base + 6),
      currency: this.currency,
      openTradeId: this.texts[texts + 2] as string,
      closeTradeId: this.texts[texts + 3] as string,
    };
  }

  /** The api.md ClosedLot at `index` (0 <= index < length), formatted now. */
  at(index: number): ClosedLot {
    this.check(index);
    const base = index * FIGURES;
    const texts = index * 4;
    const openDate = this.texts[texts] as string;
    const closeDate = this.texts[texts + 1] as string;
    const proceeds = this.text(base + 1);
    const cost = this.text(base + 2);
    const gain = this.text(base + 3);
    return {
      instrumentKey: this.instrumentKey,
      side: this.shorts[index] === 1 ? 'SHORT' : 'LONG',
      openDate,
      closeDate,
      quantity: this.text(base),
      proceeds,
      cost,
      gain,
      holdingPeriod: holdingPeriod(openDate, closeDate),
      // In the base currency the figures are usually the same: format them once (as formatClosedLot does).
      proceedsBase: this.same(base + 4, base + 1) ? proceeds : this.text(base + 4),
      costBase: this.same(base + 5, base + 2) ? cost : this.text(base + 5),
      gainBase: this.same(base + 6, base + 3) ? gain : this.text(base + 6),
      currency: this.currency,
      openTradeId: this.texts[texts + 2] as string,
      closeTradeId: this.texts[texts + 3] as string,
    };
  }

  *[Symbol.iterator](): Iterator<ClosedLot> {
    for (let index = 0; index < this.count; index++) yield this.at(index);
  }

  /** Every lot formatted, in order. */
  toArray(): ClosedLot[] {
    const lots = new Array<ClosedLot>(this.count);
    for (let index = 0; index < this.count; index++) lots[index] = this.at(index);
    return lots;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`closed lot ${index} of ${this.count}`);
    }
  }

  private store(slot: number, value: Hybrid): void {
    if (typeof value === 'number') {
      this.figures[slot] = value;
    } else {
      this.figures[slot] = Number.NaN;
      this.bigFigures.set(slot, value);
    }
  }

  private figure(slot: number): Hybrid {
    const value = this.figures[slot] as number;
    return Number.isNaN(value) ? (this.bigFigures.get(slot) as bigint) : value;
  }

  private text(slot: number): string {
    return fromScaled(this.figure(slot));
  }

  private same(slot: number, other: number): boolean {
    return this.figure(slot) === this.figure(other);
  }

  private grow(): void {
    const figures = new Float64Array(this.figures.length * 2);
    figures.set(this.figures);
    this.figures = figures;
    const shorts = new Uint8Array(this.shorts.length * 2);
    shorts.set(this.shorts);
    this.shorts = shorts;
  }
}
