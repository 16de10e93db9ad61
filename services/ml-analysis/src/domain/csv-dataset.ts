import {
  type ColumnType,
  DATASET_PREVIEW_ROWS,
  type DatasetColumn,
  type ErrorDetail,
  MAX_COLUMN_NAME_LENGTH,
  MAX_DATASET_COLUMNS,
  MAX_DATASET_ROWS,
  ValidationError,
} from '@kupala/trade-model';
import { parse } from 'csv-parse/sync';

/** What a CSV file holds: its typed columns and how many data rows follow the header. */
export interface CsvShape {
  columns: DatasetColumn[];
  rows: number;
}

/** Ragged rows named in one answer; the rest are counted. */
const MAX_REPORTED_ROWS = 10;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE_OR_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const isCalendarDate = (cell: string): boolean => {
  const match = ISO_DATE_OR_TIME.exec(cell);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The narrowest type every non-empty cell fits; a column with no value at all is a string column. */
export const inferColumnType = (cells: readonly string[]): ColumnType => {
  const values = cells.map((cell) => cell.trim()).filter((cell) => cell !== '');
  if (values.length === 0) return 'string';
  if (values.every((value) => NUMBER.test(value))) return 'number';
  if (values.every(isCalendarDate)) return 'date';
  return 'string';
};

const invalid = (message: string, details: ErrorDetail[] = []) =>
  new ValidationError(message, details.length > 0 ? details : [{ path: 'content', message }]);

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

const parseRecords = (content: string, options: { to?: number } = {}): ParsedRecord[] => {
  try {
    return parse(content, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      ...(options.to === undefined ? {} : { to: options.to }),
    }) as unknown as ParsedRecord[];
  } catch (error: unknown) {
    // csv-parse names the line in its message, e.g. "Quote Not Closed: … at line 5".
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError('CSV content is invalid', [{ path: 'content', message }], error);
  }
};

const checkHeader = (label: string, header: readonly string[]): string[] => {
  const names = header.map((cell) => cell.trim());
  if (names.length > MAX_DATASET_COLUMNS) {
    throw invalid(`${label} has ${names.length} columns; at most ${MAX_DATASET_COLUMNS} are allowed`);
  }
  const problems: ErrorDetail[] = [];
  const firstColumnOf = new Map<string, number>();
  names.forEach((name, index) => {
    const column = index + 1;
    if (name === '') problems.push({ path: 'content', message: `header: column ${column} has no name` });
    else if (name.length > MAX_COLUMN_NAME_LENGTH) {
      problems.push({
        path: 'content',
        message: `header: the name of column ${column} is longer than ${MAX_COLUMN_NAME_LENGTH} characters`,
      });
    } else {
      const first = firstColumnOf.get(name);
      if (first === undefined) firstColumnOf.set(name, column);
      else
        problems.push({
          path: 'content',
          message: `header: column ${column} repeats the name "${name}" of column ${first}`,
        });
    }
  });
  if (problems.length > 0) throw invalid(`${label} header is invalid`, problems);
  return names;
};

/** One record of a table file and where the file has it ("line 5" in a CSV, "sheet row 5" in a sheet). */
export interface SourceRecord {
  record: string[];
  where: string;
}

/**
 * Checks a table whose first record names the columns: refuses an empty, header-only, too large or ragged table
 * (naming each bad row by its number and place in the file), then infers each column's type. `label` names the
 * file in messages ("CSV", "Sheet \"Prices\"").
 */
export const describeRecords = (label: string, records: readonly SourceRecord[]): CsvShape => {
  const [header, ...data] = records;
  if (header === undefined) throw invalid(`${label} is empty: the first row must name the columns`);
  const names = checkHeader(label, header.record);
  if (data.length === 0) throw invalid(`${label} has a header but no data rows`);
  if (data.length > MAX_DATASET_ROWS) {
    throw invalid(`${label} has ${data.length} data rows; at most ${MAX_DATASET_ROWS} are allowed`);
  }

  const ragged = data
    .map((row, index) => ({ row: index + 1, where: row.where, fields: row.record.length }))
    .filter((row) => row.fields !== names.length);
  if (ragged.length > 0) {
    const details = ragged.slice(0, MAX_REPORTED_ROWS).map((row) => ({
      path: 'content',
      message: `row ${row.row} (${row.where}) has ${row.fields} field${row.fields === 1 ? '' : 's'}; the header has ${names.length}`,
    }));
    const summary =
      ragged.length === 1
        ? `${label} is ragged: 1 row does not match the header`
        : `${label} is ragged: ${ragged.length} rows do not match the header` +
          (ragged.length > details.length ? `; the first ${details.length} are listed` : '');
    throw invalid(summary, details);
  }

  return {
    columns: names.map((name, index) => ({
      name,
      type: inferColumnType(data.map((row) => row.record[index] ?? '')),
    })),
    rows: data.length,
  };
};

/**
 * Reads a CSV file whose first record names the columns: refuses an empty, header-only or ragged file
 * (naming each bad row by its number and line), then infers each column's type.
 */
export const describeCsv = (content: string): CsvShape =>
  describeRecords(
    'CSV',
    parseRecords(content).map((row) => ({ record: row.record, where: `line ${row.info.lines}` })),
  );

/** The first data rows of an already accepted CSV file, cells exactly as the file has them. */
export const previewCsv = (content: string, rows: number = DATASET_PREVIEW_ROWS): string[][] =>
  parseRecords(content, { to: rows + 1 })
    .slice(1)
    .map((row) => row.record);

/** Every data row of an already accepted CSV file (the header left out), cells as the file has them. */
export const readCsvRows = (content: string): string[][] =>
  parseRecords(content)
    .slice(1)
    .map((row) => row.record);
