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
import { parse as parseStream } from 'csv-parse';
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

/** A column's type as its cells arrive one at a time: the narrowest type every non-empty cell so far fits. */
const columnTyper = () => {
  let seen = false;
  let numbers = true;
  let dates = true;
  return {
    add(cell: string): void {
      const value = cell.trim();
      if (value === '') return;
      seen = true;
      if (numbers && !NUMBER.test(value)) numbers = false;
      if (dates && !isCalendarDate(value)) dates = false;
    },
    type(): ColumnType {
      if (!seen) return 'string';
      if (numbers) return 'number';
      return dates ? 'date' : 'string';
    },
  };
};

/** The narrowest type every non-empty cell fits; a column with no value at all is a string column. */
export const inferColumnType = (cells: readonly string[]): ColumnType => {
  const typer = columnTyper();
  for (const cell of cells) typer.add(cell);
  return typer.type();
};

const invalid = (message: string, details: ErrorDetail[] = []) =>
  new ValidationError(message, details.length > 0 ? details : [{ path: 'content', message }]);

export interface ParsedRecord {
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
 * Profiles a table whose first record names the columns, one record at a time (memory: one typer per column and
 * the first ragged rows, whatever the number of rows). `finish` refuses an empty, header-only, too large or ragged
 * table (naming each bad row by its number and place in the file), else answers the columns' types and the row
 * count. `label` names the file in messages ("CSV", "Sheet \"Prices\"").
 */
export const tableProfiler = (label: string) => {
  let names: string[] | undefined;
  let typers: ReturnType<typeof columnTyper>[] = [];
  let rows = 0;
  let raggedCount = 0;
  const ragged: { row: number; where: string; fields: number }[] = [];
  return {
    add({ record, where }: SourceRecord): void {
      if (names === undefined) {
        names = checkHeader(label, record);
        typers = names.map(() => columnTyper());
        return;
      }
      rows += 1;
      if (rows > MAX_DATASET_ROWS) {
        throw invalid(
          `${label} has more than ${MAX_DATASET_ROWS} data rows; at most ${MAX_DATASET_ROWS} are allowed`,
        );
      }
      if (record.length !== names.length) {
        raggedCount += 1;
        if (ragged.length < MAX_REPORTED_ROWS) ragged.push({ row: rows, where, fields: record.length });
        return;
      }
      for (let index = 0; index < record.length; index += 1) typers[index]?.add(record[index] ?? '');
    },
    finish(): CsvShape {
      if (names === undefined) throw invalid(`${label} is empty: the first row must name the columns`);
      if (rows === 0) throw invalid(`${label} has a header but no data rows`);
      const width = names.length;
      if (raggedCount > 0) {
        const details = ragged.map((row) => ({
          path: 'content',
          message: `row ${row.row} (${row.where}) has ${row.fields} field${row.fields === 1 ? '' : 's'}; the header has ${width}`,
        }));
        const summary =
          raggedCount === 1
            ? `${label} is ragged: 1 row does not match the header`
            : `${label} is ragged: ${raggedCount} rows do not match the header` +
              (raggedCount > details.length ? `; the first ${details.length} are listed` : '');
        throw invalid(summary, details);
      }
      return {
        columns: names.map((name, index) => ({ name, type: typers[index]?.type() ?? 'string' })),
        rows,
      };
    },
  };
};

/** Checks and types a whole table already in memory (see tableProfiler). */
export const describeRecords = (label: string, records: readonly SourceRecord[]): CsvShape => {
  const profiler = tableProfiler(label);
  for (const record of records) profiler.add(record);
  return profiler.finish();
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

const CSV_OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: true, info: true } as const;

/** The records of a CSV byte stream, parsed as they arrive (a malformed file is a ValidationError naming the line). */
export async function* csvRecords(body: AsyncIterable<Uint8Array>): AsyncGenerator<ParsedRecord> {
  const parser = parseStream(CSV_OPTIONS);
  // waits until the parser takes more, or is gone (the reader stopped early, or it failed)
  const writable = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off('drain', done);
        parser.off('close', done);
        resolve();
      };
      parser.on('drain', done);
      parser.on('close', done);
    });
  const feeding = (async () => {
    try {
      // leaving this loop early ends the body too (an S3 response is destroyed, its connection freed)
      for await (const chunk of body) {
        if (parser.destroyed) break;
        if (!parser.write(chunk)) await writable();
        if (parser.destroyed) break;
      }
      if (!parser.destroyed) parser.end();
    } catch (error: unknown) {
      parser.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for await (const row of parser) yield row as ParsedRecord;
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError('CSV content is invalid', [{ path: 'content', message }], error);
  } finally {
    parser.destroy();
    await feeding;
  }
}

/**
 * describeCsv over a byte stream (an uploaded file read from S3): the file is never held in memory, only one
 * chunk and the profile; `bytes` counts what was read.
 */
export const describeCsvStream = async (
  body: AsyncIterable<Uint8Array>,
): Promise<CsvShape & { bytes: number }> => {
  let bytes = 0;
  const counted = (async function* () {
    for await (const chunk of body) {
      bytes += chunk.byteLength;
      yield chunk;
    }
  })();
  const profiler = tableProfiler('CSV');
  for await (const row of csvRecords(counted))
    profiler.add({ record: row.record, where: `line ${row.info.lines}` });
  return { ...profiler.finish(), bytes };
};

/** The first data rows of a CSV byte stream, reading no further than they are (the rest is never fetched). */
export const previewCsvStream = async (
  body: AsyncIterable<Uint8Array>,
  rows: number = DATASET_PREVIEW_ROWS,
): Promise<string[][]> => {
  const preview: string[][] = [];
  let header = true;
  for await (const row of csvRecords(body)) {
    if (header) header = false;
    else preview.push(row.record);
    if (preview.length >= rows) break;
  }
  return preview;
};
