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

/**
 * Applies a view in the order derive → filter → pivot → sort and answers the resulting table as text cells.
 * Every formula and column name is checked against the table before any row is touched.
 */
export const applyView = (table: TextTable, view: CreateViewBody): { header: string[]; rows: string[][] } => {
  let header = table.columns.map((column) => column.name);
  const types = new Map<string, DatasetColumn['type'] | 'derived'>(
    table.columns.map((column) => [column.name, column.type]),
  );
  const known = new Set(header);
  const derived = (view.derive ?? []).map((derivation, index) => {
    const tree = parse(derivation.formula, `derive.${index}.formula`, known);
    const name = derivation.name.trim();
    if (known.has(name))
      throw new ValidationError('derived column name is taken', [
        { path: `derive.${index}.name`, message: `"${name.slice(0, 60)}" already exists` },
      ]);
    known.add(name);
    types.set(name, 'derived');
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

  let rows: Value[][] = [];
  const position = new Map(header.map((name, index) => [name, index]));
  for (const source of table.rows) {
    const row: Value[] = table.columns.map((column, index) => cellValue(column.type, source[index]));
    const cell = (name: string) => row[position.get(name) ?? -1] ?? null;
    for (const column of derived) row.push(evaluateFormula(column.tree, cell));
    if (filter === undefined || evaluateFormula(filter, cell) === true) rows.push(row);
  }

  if (view.pivot !== undefined) {
    const { groupBy, values } = view.pivot;
    const groups = new Map<string, { key: Value[]; members: Value[][] }>();
    for (const row of rows) {
      const key = groupBy.map((name) => row[position.get(name) ?? -1] ?? null);
      const id = JSON.stringify(key);
      const group = groups.get(id) ?? { key, members: [] };
      group.members.push(row);
      groups.set(id, group);
    }
    rows = [...groups.values()].map(({ key, members }) => [
      ...key,
      ...values.map(({ column, aggregate }) => {
        const cells = members
          .map((row) => row[position.get(column) ?? -1] ?? null)
          .filter((value) => value !== null);
        if (aggregate === 'count') return cells.length;
        const numbers = cells.filter((value): value is number => typeof value === 'number');
        if (numbers.length === 0) return null;
        if (aggregate === 'sum') return numbers.reduce((sum, value) => sum + value, 0);
        if (aggregate === 'mean') return numbers.reduce((sum, value) => sum + value, 0) / numbers.length;
        return aggregate === 'min' ? Math.min(...numbers) : Math.max(...numbers);
      }),
    ]);
    header = [...groupBy, ...values.map(({ column, aggregate }) => `${aggregate}_${column}`)];
    position.clear();
    for (const [index, name] of header.entries()) position.set(name, index);
  }

  (view.sort ?? []).forEach((key, index) => {
    requireColumn(new Set(header), key.column, `sort.${index}.column`);
  });
  if (view.sort !== undefined && view.sort.length > 0) {
    const keys = view.sort.map((key) => ({
      index: position.get(key.column) ?? 0,
      sign: key.direction === 'desc' ? -1 : 1,
    }));
    rows.sort((a, b) => {
      for (const { index, sign } of keys) {
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
  }
  return { header, rows: rows.map((row) => row.map(cellText)) };
};

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A table as CSV text: header then rows. */
export const toCsv = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
