/** A feature column as the engine receives it: numbers (NaN where missing) or category labels (null where missing). */
export type FeatureColumn =
  | { readonly name: string; readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly name: string; readonly kind: 'categorical'; readonly values: readonly (string | null)[] };

/** A table of feature columns of one length. */
export interface Frame {
  readonly rows: number;
  readonly columns: readonly FeatureColumn[];
}

export type CellType = 'number' | 'string' | 'date';

const MS_PER_DAY = 86_400_000;

/** Numeric value of a cell of a typed column: numbers as written, dates as days since 1970-01-01, NaN when empty. */
export const numericCell = (cell: string | undefined, type: 'number' | 'date'): number => {
  const text = cell?.trim() ?? '';
  if (text === '') return Number.NaN;
  const value = type === 'number' ? Number(text) : Date.parse(text) / MS_PER_DAY;
  return Number.isFinite(value) ? value : Number.NaN;
};

/**
 * Builds a frame from text cells and inferred column types: number and date columns become numeric (dates as day
 * numbers), string columns categorical; blank cells are missing.
 */
export const frameFromCells = (
  columns: readonly { name: string; type: CellType }[],
  rows: readonly (readonly string[])[],
): Frame => ({
  rows: rows.length,
  columns: columns.map((column, index): FeatureColumn => {
    if (column.type === 'string')
      return {
        name: column.name,
        kind: 'categorical',
        values: rows.map((row) => {
          const text = row[index]?.trim() ?? '';
          return text === '' ? null : text;
        }),
      };
    const type = column.type;
    return {
      name: column.name,
      kind: 'numeric',
      values: Float64Array.from(rows, (row) => numericCell(row[index], type)),
    };
  }),
});

/** The frame restricted to `rows` (in that order). */
export const selectFrameRows = (frame: Frame, rows: ArrayLike<number>): Frame => ({
  rows: rows.length,
  columns: frame.columns.map((column): FeatureColumn => {
    if (column.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = column.values[rows[i] as number] as number;
      return { name: column.name, kind: 'numeric', values };
    }
    return {
      name: column.name,
      kind: 'categorical',
      values: Array.from({ length: rows.length }, (_, i) => column.values[rows[i] as number] ?? null),
    };
  }),
});
