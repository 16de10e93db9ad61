import { holdingPeriod } from './holding-period';
import type { Hybrid } from './hybrid';
import { fromScaled } from './scaled';
import type { ClosedLot, ScaledClosedLot } from './types';

/**
 * Slots per lot, in this order: quantity, proceeds, cost, gain, proceedsBase, costBase, gainBase, and 1 for a
 * short lot (else 0).
 */
const SLOTS = 8;
const SIDE = 7;
/** Lots per chunk (a power of two): the first chunk grows to it from 64, the later ones are made whole. */
const CHUNK_BITS = 12;
const CHUNK_LOTS = 1 << CHUNK_BITS;
const FIRST_LOTS = 64;

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
  /**
   * The figures in fixed chunks, never copied once whole: a growing single array would allocate (and copy)
   * twice its final size outside the heap, and V8 answers that much external memory with a full collection.
   */
  private readonly chunks: Float64Array[] = [new Float64Array(FIRST_LOTS * SLOTS)];
  /** Slot (lot × 8 + figure) -> a figure outside the safe range (its slot holds NaN). */
  private readonly bigFigures = new Map<number, bigint>();
  /** Per lot: openDate, closeDate, openTradeId, closeTradeId. */
  private readonly texts: string[] = [];

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
    this.add(
      lot.side === 'LONG',
      lot.openDate,
      lot.closeDate,
      lot.quantity,
      lot.proceeds,
      lot.cost,
      lot.gain,
      lot.proceedsBase,
      lot.costBase,
      lot.gainBase,
      lot.openTradeId,
      lot.closeTradeId,
    );
  }

  /** push without the object: what the engine's replay calls for each lot it closes. */
  add(
    long: boolean,
    openDate: string,
    closeDate: string,
    quantity: Hybrid,
    proceeds: Hybrid,
    cost: Hybrid,
    gain: Hybrid,
    proceedsBase: Hybrid,
    costBase: Hybrid,
    gainBase: Hybrid,
    openTradeId: string,
    closeTradeId: string,
  ): void {
    const index = this.count;
    const chunk = this.chunkFor(index);
    const offset = (index & (CHUNK_LOTS - 1)) * SLOTS;
    const slot = index * SLOTS;
    chunk[offset] = this.number(slot, quantity);
    chunk[offset + 1] = this.number(slot + 1, proceeds);
    chunk[offset + 2] = this.number(slot + 2, cost);
    chunk[offset + 3] = this.number(slot + 3, gain);
    chunk[offset + 4] = this.number(slot + 4, proceedsBase);
    chunk[offset + 5] = this.number(slot + 5, costBase);
    chunk[offset + 6] = this.number(slot + 6, gainBase);
    chunk[offset + SIDE] = long ? 0 : 1;
    this.texts.push(openDate, closeDate, openTradeId, closeTradeId);
    this.count = index + 1;
  }

  /** The lot at `index` (0 <= index < length) with its figures as `replayPositionEach` handed them over. */
  scaledAt(index: number): ScaledClosedLot {
    this.check(index);
    const base = index * SLOTS;
    const texts = index * 4;
    return {
      instrumentKey: this.instrumentKey,
      side: this.figure(base + SIDE) === 1 ? 'SHORT' : 'LONG',
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
    const base = index * SLOTS;
    const texts = index * 4;
    const openDate = this.texts[texts] as string;
    const closeDate = this.texts[texts + 1] as string;
    const proceeds = this.text(base + 1);
    const cost = this.text(base + 2);
    const gain = this.text(base + 3);
    return {
      instrumentKey: this.instrumentKey,
      side: this.figure(base + SIDE) === 1 ? 'SHORT' : 'LONG',
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

  /** The chunk lot `index` goes to: the first one doubled while it is short, a new whole one past it. */
  private chunkFor(index: number): Float64Array {
    const chunks = this.chunks;
    const number = index >>> CHUNK_BITS;
    const chunk = chunks[number];
    if (chunk === undefined) {
      const fresh = new Float64Array(CHUNK_LOTS * SLOTS);
      chunks.push(fresh);
      return fresh;
    }
    if ((index & (CHUNK_LOTS - 1)) * SLOTS < chunk.length) return chunk;
    const grown = new Float64Array(chunk.length * 2);
    grown.set(chunk);
    chunks[number] = grown;
    return grown;
  }

  /** The double a slot holds for a figure: the figure, or NaN with the bigint kept aside. */
  private number(slot: number, value: Hybrid): number {
    if (typeof value === 'number') return value;
    this.bigFigures.set(slot, value);
    return Number.NaN;
  }

  private figure(slot: number): Hybrid {
    const lot = Math.floor(slot / SLOTS);
    const chunk = this.chunks[lot >>> CHUNK_BITS] as Float64Array;
    const value = chunk[(lot & (CHUNK_LOTS - 1)) * SLOTS + (slot % SLOTS)] as number;
    return Number.isNaN(value) ? (this.bigFigures.get(slot) as bigint) : value;
  }

  private text(slot: number): string {
    return fromScaled(this.figure(slot));
  }

  private same(slot: number, other: number): boolean {
    return this.figure(slot) === this.figure(other);
  }
}
