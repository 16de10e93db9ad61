import type { DateReader } from './dates';
import { type DecimalSeparator, parseDecimalText } from './decimal-text';
import type { ParsedRow, RowError, SkipReason } from './types';

/** A number read from a cell: magnitude and sign. */
export interface SignedDecimal {
  magnitude: string;
  negative: boolean;
}

const quoted = (raw: string) => `"${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}"`;

/**
 * The trade being read from one row: collects the conversion errors of its cells, each naming the trade
 * field it was for and the column it came from.
 */
export class RowDraft {
  readonly errors: RowError[] = [];

  constructor(
    readonly row: number,
    private readonly separator: DecimalSeparator = '.',
  ) {}

  fail(field: string, message: string): undefined {
    this.errors.push({ row: this.row, field, message });
    return undefined;
  }

  /** A signed number; blank is `undefined`, unreadable is an error for `field`. */
  number(field: string, raw: string | undefined, column: string): SignedDecimal | undefined {
    if (raw === undefined) return undefined;
    const parsed = parseDecimalText(raw, this.separator);
    if (parsed === undefined) return undefined;
    if (!parsed.ok) return this.fail(field, `${quoted(raw)} in column "${column}" ${parsed.message}`);
    return parsed;
  }

  /**
   * A magnitude for a field the trade model keeps positive. A negative value is accepted where it only
   * repeats the direction the type gives (a sell's quantity, a withdrawal's amount) and is an error where
   * it contradicts it.
   */
  magnitude(
    field: string,
    raw: string | undefined,
    column: string,
    negative: 'allowed' | { contradicts: string },
  ): string | undefined {
    const value = this.number(field, raw, column);
    if (value === undefined) return undefined;
    if (value.negative && negative !== 'allowed') {
      return this.fail(
        field,
        `${quoted(raw ?? '')} in column "${column}" is negative, which contradicts ${negative.contradicts}`,
      );
    }
    return value.magnitude;
  }

  date(field: string, raw: string | undefined, column: string, read: DateReader): string | undefined {
    if (raw === undefined) return undefined;
    const parsed = read(raw);
    if (parsed === undefined) return undefined;
    if (!parsed.ok) return this.fail(field, `${quoted(raw)} in column "${column}" ${parsed.message}`);
    return parsed.date;
  }

  /** The row's result: the candidate trade with any conversion errors found on the way. */
  result(candidate: Record<string, unknown>, line?: number): ParsedRow {
    const parsed: ParsedRow = { row: this.row, candidate, errors: this.errors };
    if (line !== undefined) parsed.line = line;
    return parsed;
  }

  /** The row's result when it cannot become a trade at all. */
  failed(line?: number): ParsedRow {
    return { row: this.row, ...(line === undefined ? {} : { line }), errors: this.errors };
  }
}

export const skippedRow = (row: number, skipped: SkipReason, detail?: string, line?: number): ParsedRow => ({
  row,
  ...(line === undefined ? {} : { line }),
  errors: [],
  skipped,
  ...(detail === undefined ? {} : { detail }),
});

/**
 * A data row with fewer or more cells than its header: a cut-short row would lose its last columns (its
 * fees), a dropped middle cell would shift every column after it, so nothing of it is read.
 */
export const raggedRow = (line: number, cells: number, headerCells: number): ParsedRow => ({
  row: line,
  errors: [{ row: line, field: 'row', message: `${cells} cells, header has ${headerCells}` }],
});

/** Drops `undefined` members so a candidate carries only what the row had (strict schemas). */
export const compact = (fields: Record<string, unknown>): Record<string, unknown> => {
  const result: Record<string, unknown> = {};
  for (const key in fields) if (fields[key] !== undefined) result[key] = fields[key];
  return result;
};
