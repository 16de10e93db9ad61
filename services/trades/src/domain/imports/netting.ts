import { canonicalDecimal, DECIMAL_PATTERN, Decimal } from '@kupala/trade-model';
import type { ParsedRow } from './types';

/** Cash events a broker may refund or reverse: a withholding tax refunded, a fee or dividend reversed. */
const NETTABLE: ReadonlySet<unknown> = new Set(['DIVIDEND', 'TAX', 'FEE', 'INTEREST']);
/** Charges held back waiting for a refund; beyond this the oldest are handed on unnetted. */
const MAX_HELD = 100_000;

interface Held {
  parsed: ParsedRow;
  key: string;
  date: string;
  amount: Decimal;
  /** Rows consumed by a refund are settled as skips but keep their place. */
  netted?: true;
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

const keyOf = (candidate: Record<string, unknown>): string => {
  const instrument = candidate.instrument as Record<string, unknown> | undefined;
  const symbol = instrument === undefined ? '' : textOf(instrument.symbol).toUpperCase();
  return `${textOf(candidate.type)}|${textOf(candidate.currency)}|${symbol}`;
};

const amountOf = (candidate: Record<string, unknown>): Decimal | undefined => {
  const amount = candidate.amount;
  return typeof amount === 'string' && DECIMAL_PATTERN.test(amount) ? new Decimal(amount) : undefined;
};

/** Same date first, then the latest one before the refund, then any. */
const preference = (held: Held, date: string): number => (held.date === date ? 0 : held.date < date ? 1 : 2);

/**
 * Nets refunds and reversals with the charges they undo, so that the file's totals are the portfolio's:
 * the trade model keeps amounts positive, so a refund cannot be booked as an event of its own.
 * Parsers mark a refund (`reverses`) with the type and positive amount of what it undoes. It is matched
 * with a charge of the same type, currency and instrument in the same file — the same amount first (both
 * are skipped as NETTED), else a larger one (booked net, with a note) — preferring the same date, then
 * the latest earlier one. A refund that matches nothing is a row error. Charges that could be refunded
 * are held back to the end of the file (at most 100,000; the oldest beyond that go on unnetted), so
 * they come after the other rows, each still with its own row number.
 */
export class RefundNetting {
  private readonly held: Held[] = [];
  private readonly refunds: ParsedRow[] = [];

  /** The rows to hand on now. */
  take(parsed: ParsedRow): ParsedRow[] {
    const candidate = parsed.candidate;
    if (candidate === undefined || parsed.errors.length > 0 || !NETTABLE.has(candidate.type)) {
      return parsed.reverses === true ? [this.unmatched(parsed)] : [parsed];
    }
    const amount = amountOf(candidate);
    if (amount === undefined) return [parsed];
    if (parsed.reverses === true) {
      // netted now: the refund, settled as a skip, goes on; else it waits for a later charge
      if (this.net(parsed, amount)) return [parsed];
      this.refunds.push(parsed);
      return [];
    }
    this.held.push({ parsed, key: keyOf(candidate), date: textOf(candidate.tradeDate), amount });
    return this.held.length > MAX_HELD ? this.release(this.held.length - MAX_HELD) : [];
  }

  /** At the end of the file: refunds that met their charge late, then everything held. */
  end(): ParsedRow[] {
    const late = this.refunds.splice(0);
    const errors: ParsedRow[] = [];
    for (const refund of late) {
      const amount = refund.candidate === undefined ? undefined : amountOf(refund.candidate);
      if (amount === undefined || !this.net(refund, amount)) errors.push(this.unmatched(refund));
    }
    return [...this.release(this.held.length), ...late.filter((row) => row.skipped !== undefined), ...errors];
  }

  private release(count: number): ParsedRow[] {
    return this.held.splice(0, count).map((held) => held.parsed);
  }

  private net(refund: ParsedRow, amount: Decimal): boolean {
    const candidate = refund.candidate ?? {};
    const key = keyOf(candidate);
    const date = textOf(candidate.tradeDate);
    const open = this.held.filter((held) => held.key === key && held.netted === undefined);
    const byPreference = (a: Held, b: Held) =>
      preference(a, date) - preference(b, date) || (a.date < b.date ? 1 : a.date > b.date ? -1 : 0);
    const same = open.filter((held) => held.amount.eq(amount)).sort(byPreference)[0];
    if (same !== undefined) {
      same.netted = true;
      same.parsed = {
        row: same.parsed.row,
        ...(same.parsed.line === undefined ? {} : { line: same.parsed.line }),
        errors: [],
        skipped: 'NETTED',
        detail: `reversed by row ${refund.row}`,
      };
      this.settle(refund, `reverses row ${same.parsed.row}`);
      return true;
    }
    const larger = open.filter((held) => held.amount.gt(amount)).sort(byPreference)[0];
    if (larger === undefined) return false;
    larger.amount = larger.amount.minus(amount);
    const original = larger.parsed.candidate ?? {};
    const note = `${textOf(original.note)}${original.note === undefined ? '' : ' '}(net of ${canonicalDecimal(amount)} refunded on row ${refund.row})`;
    larger.parsed = {
      ...larger.parsed,
      candidate: { ...original, amount: canonicalDecimal(larger.amount), note: note.slice(0, 1000) },
    };
    this.settle(refund, `netted into row ${larger.parsed.row}`);
    return true;
  }

  private settle(refund: ParsedRow, detail: string): void {
    delete refund.candidate;
    delete refund.reverses;
    refund.skipped = 'NETTED';
    refund.detail = detail;
  }

  private unmatched(refund: ParsedRow): ParsedRow {
    const candidate = refund.candidate ?? {};
    const instrument = candidate.instrument as Record<string, unknown> | undefined;
    const what = `${textOf(candidate.type)} of ${textOf(candidate.amount)} ${textOf(candidate.currency)}${instrument === undefined ? '' : ` on ${textOf(instrument.symbol)}`}`;
    return {
      row: refund.row,
      ...(refund.line === undefined ? {} : { line: refund.line }),
      errors: [
        ...refund.errors,
        {
          row: refund.row,
          field: 'amount',
          message: `a refund or reversal of ${what} that matches no charge in this file; trades keep amounts positive, so import it with the statement that has the original charge, or book the net by hand`,
        },
      ],
    };
  }
}
