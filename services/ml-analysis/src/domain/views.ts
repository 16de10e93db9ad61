import {
  type CreateViewBody,
  type DatasetColumn,
  MAX_DATASET_COLUMNS,
  ValidationError,
} from '@kupala/trade-model';
import {
  evaluateFormula,
  type Formula,
  FormulaError,
  formulaColumns,
  parseFormula,
  type Value,
} from './formula';

/** A table of text cells with its typed columns, as a dataset file holds it. */
export interface TextTable {
  columns: readonly DatasetColumn[];
  rows: string[][];
}

const cellValue = (type: DatasetColumn['type'] | 'derived', text: string | undefined): Value => {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return null;
  if (type === 'number' || type === 'derived') {
    const value = Number(trimmed);
    if (Number.isFinite(value)) return value;
    return type === 'derived' ? (trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed) : null;
  }
  return trimmed;
};

const cellText = (value: Value): string =>
  value === null ? '' : typeof value === 'number' ? String(Number(value.toPrecision(15))) : String(value);

const parse = (formula: string, path: string, known: ReadonlySet<string>): Formula => {
  try {
    const tree = parseFormula(formula);
    const unknown = formulaColumns(tree).find((name) => !known.has(name));
    if (unknown !== undefined) throw new FormulaError(`no column named "${unknown.slice(0, 60)}"`);
    return tree;
  } catch (error: unknown) {
    if (error instanceof FormulaError)
      throw new ValidationError('formula is invalid', [{ path, message: error.message }], error);
    throw error;
  }
};

const requireColumn = (known: ReadonlySet<string>, name: string, path: string) => {
  if (!known.has(name))
    throw new ValidationError('unknown column', [
      { path, message: `no column named "${name.slice(0, 60)}"` },
    ]);
};

/** Running aggregates of one pivot value column in one group (what the members' cells would give, in order). */
interface Aggregate {
  count: number;
  numbers: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * A view compiled against a table's columns, to be fed its rows one at a time (a stream or a whole table alike):
 * derive → filter → pivot → sort. Every formula and column name is checked here, before any row is touched.
 * Memory: without pivot or sort nothing is kept (`add` answers the output row at once); a pivot keeps one
 * running aggregate per group and value; a sort keeps the rows that pass the filter.
 */
export const compileView = (columns: readonly DatasetColumn[], view: CreateViewBody) => {
  let header = columns.map((column) => column.name);
  const known = new Set(header);
  const derived = (view.derive ?? []).map((derivation, index) => {
    const tree = parse(derivation.formula, `derive.${index}.formula`, known);
    const name = derivation.name.trim();
    if (known.has(name))
      throw new ValidationError('derived column name is taken', [
        { path: `derive.${index}.name`, message: `"${name.slice(0, 60)}" already exists` },
      ]);
    known.add(name);
    return { name, tree };
  });
  const filter = view.filter === undefined ? undefined : parse(view.filter, 'filter', known);
  header = [...header, ...derived.map((column) => column.name)];
  if (header.length > MAX_DATASET_COLUMNS)
    throw new ValidationError(`a view has at most ${MAX_DATASET_COLUMNS} columns`, [
      { path: 'derive', message: 'too many columns' },
    ]);
  view.pivot?.groupBy.forEach((name, index) => {
    requireColumn(known, name, `pivot.groupBy.${index}`);
  });
  view.pivot?.values.forEach((value, index) => {
    requireColumn(known, value.column, `pivot.values.${index}.column`);
  });
  const position = new Map(header.map((name, index) => [name, index]));
  const pivot = view.pivot;
  const output =
    pivot === undefined
      ? header
      : [...pivot.groupBy, ...pivot.values.map(({ column, aggregate }) => `${aggregate}_${column}`)];
  (view.sort ?? []).forEach((key, index) => {
    requireColumn(new Set(output), key.column, `sort.${index}.column`);
  });
  const outputPosition = new Map(output.map((name, index) => [name, index]));
  const sortKeys = (view.sort ?? []).map((key) => ({
    index: outputPosition.get(key.column) ?? 0,
    sign: key.direction === 'desc' ? -1 : 1,
  }));

  const groups = new Map<string, { key: Value[]; aggregates: Aggregate[] }>();
  const kept: Value[][] = [];

  /** The source row derived and filtered: undefined when the filter drops it. */
  const derive = (source: readonly string[]): Value[] | undefined => {
    const row: Value[] = columns.map((column, index) => cellValue(column.type, source[index]));
    const cell = (name: string) => row[position.get(name) ?? -1] ?? null;
    for (const column of derived) row.push(evaluateFormula(column.tree, cell));
    return filter === undefined || evaluateFormula(filter, cell) === true ? row : undefined;
  };
  const group = (row: readonly Value[]) => {
    const { groupBy, values } = pivot as NonNullable<typeof pivot>;
    const key = groupBy.map((name) => row[position.get(name) ?? -1] ?? null);
    const id = JSON.stringify(key);
    let found = groups.get(id);
    if (found === undefined) {
      found = {
        key,
        aggregates: values.map(() => ({ count: 0, numbers: 0, sum: 0, min: Infinity, max: -Infinity })),
      };
      groups.set(id, found);
    }
    values.forEach(({ column }, index) => {
      const value = row[position.get(column) ?? -1] ?? null;
      if (value === null) return;
      const aggregate = found.aggregates[index] as Aggregate;
      aggregate.count += 1;
      if (typeof value !== 'number') return;
      aggregate.numbers += 1;
      aggregate.sum += value;
      aggregate.min = Math.min(aggregate.min, value);
      aggregate.max = Math.max(aggregate.max, value);
    });
  };
  const pivoted = (): Value[][] => {
    const { values } = pivot as NonNullable<typeof pivot>;
    return [...groups.values()].map(({ key, aggregates }) => [
      ...key,
      ...values.map(({ aggregate }, index) => {
        const { count, numbers, sum, min, max } = aggregates[index] as Aggregate;
        if (aggregate === 'count') return count;
        if (numbers === 0) return null;
        if (aggregate === 'sum') return sum;
        if (aggregate === 'mean') return sum / numbers;
        return aggregate === 'min' ? min : max;
      }),
    ]);
  };
  const sorted = (rows: Value[][]): Value[][] =>
    sortKeys.length === 0
      ? rows
      : rows.sort((a, b) => {
          for (const { index, sign } of sortKeys) {
            const left = a[index] ?? null;
            const right = b[index] ?? null;
            if (left === right) continue;
            // missing cells sort last in either direction
            if (left === null) return 1;
            if (right === null) return -1;
            const order =
              typeof left === 'number' && typeof right === 'number'
                ? left - right
                : String(left) < String(right)
                  ? -1
                  : 1;
            if (order !== 0) return sign * order;
          }
          return 0;
        });
  const streams = pivot === undefined && sortKeys.length === 0;

  return {
    /** The columns of the result. */
    header: output,
    /**
     * Takes one source row (text cells as the file has them). Answers the output row at once when the view keeps
     * no state (no pivot, no sort) and the row passes; undefined otherwise (dropped, or kept for `finish`). For a
     * sort, `keptText` is the CSV length of the row kept, so that a caller can bound what is held.
     */
    add(source: readonly string[]): { row?: string[]; keptText?: number } {
      const row = derive(source);
      if (row === undefined) return {};
      if (streams) return { row: row.map(cellText) };
      if (pivot !== undefined) group(row);
      else {
        kept.push(row);
        return { keptText: csvLine(row.map(cellText)).length };
      }
      return {};
    },
    /** The rows a pivot or sort produced once every row is in (none for a streaming view: they were answered). */
    finish(): string[][] {
      if (streams) return [];
      return sorted(pivot === undefined ? kept : pivoted()).map((row) => row.map(cellText));
    },
  };
};

/** Applies a view to a whole table (see compileView) and answers the resulting table as text cells. */
export const applyView = (table: TextTable, view: CreateViewBody): { header: string[]; rows: string[][] } => {
  const compiled = compileView(table.columns, view);
  const rows: string[][] = [];
  for (const source of table.rows) {
    const { row } = compiled.add(source);
    if (row !== undefined) rows.push(row);
  }
  rows.push(...compiled.finish());
  return { header: compiled.header, rows };
};

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** One row as a CSV line, without its line break. */
export const csvLine = (row: readonly string[]): string => row.map(csvCell).join(',');

/** A table as CSV text: header then rows. */
export const toCsv = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  `${[header, ...rows].map(csvLine).join('\n')}\n`;
