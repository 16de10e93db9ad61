import {
  type CreateViewBody,
  type DatasetColumn,
  MAX_VIEW_BYTES,
  ValidationError,
} from '@kupala/trade-model';
import { type CsvShape, csvRecords, tableProfiler } from './csv-dataset';
import { compileView, csvLine } from './views';

/** A view's result: its CSV file, profiled on the way (typed columns and rows), and its size. */
export interface ViewResult {
  csv: string;
  shape: CsvShape;
  sizeBytes: number;
}

const tooLarge = () =>
  new ValidationError('the view is too large', [
    { path: 'derive', message: `the result exceeds ${MAX_VIEW_BYTES} bytes` },
  ]);

/**
 * Runs a view over a dataset's source file as it is read (a byte stream from S3): the file is parsed one chunk at
 * a time and never held whole; each row is derived and filtered as it arrives, and the result is profiled while
 * it is written (no second pass). What is held: the result (at most MAX_VIEW_BYTES of CSV: refused with 400 as
 * soon as it would exceed it), plus the groups of a pivot or the rows of a sort. Refuses a view that leaves no
 * row. The source's header is its first record; `columns` (the dataset's metadata) type its cells.
 */
export const streamView = async (
  body: AsyncIterable<Uint8Array>,
  columns: readonly DatasetColumn[],
  view: CreateViewBody,
): Promise<ViewResult> => {
  const compiled = compileView(columns, view);
  const lines: string[] = [csvLine(compiled.header)];
  let bytes = Buffer.byteLength(lines[0] as string, 'utf8') + 1;
  let held = 0;
  const profiler = tableProfiler('CSV');
  profiler.add({ record: compiled.header, where: 'line 1' });
  const write = (row: string[]) => {
    const line = csvLine(row);
    bytes += Buffer.byteLength(line, 'utf8') + 1;
    if (bytes > MAX_VIEW_BYTES) throw tooLarge();
    lines.push(line);
    profiler.add({ record: row, where: `line ${lines.length}` });
  };
  let header = true;
  for await (const { record } of csvRecords(body)) {
    if (header) {
      header = false;
      continue;
    }
    const { row, keptText } = compiled.add(record);
    if (row !== undefined) write(row);
    if (keptText !== undefined) {
      // a sort holds what passes: bounded like its output will be
      held += keptText + 1;
      if (held > MAX_VIEW_BYTES) throw tooLarge();
    }
  }
  for (const row of compiled.finish()) write(row);
  if (lines.length === 1)
    throw new ValidationError('the view leaves no rows', [
      { path: 'filter', message: 'no row passes the filter' },
    ]);
  return { csv: `${lines.join('\n')}\n`, shape: profiler.finish(), sizeBytes: bytes };
};
