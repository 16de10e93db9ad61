export type Verdict = 'pass' | 'OVER' | 'UNDER' | 'FAILED' | 'info';

/** One line of the results table. */
export interface ResultRow {
  measurement: string;
  subject: string;
  value: string;
  target: string;
  result: Verdict;
}

const HEADERS = ['measurement', 'subject', 'value', 'target', 'result'] as const;

const cells = (row: ResultRow): string[] => HEADERS.map((header) => row[header].replaceAll('|', '\\|'));

/** A markdown table whose columns are padded so it also reads well in a terminal. */
export const markdownTable = (rows: readonly ResultRow[]): string => {
  const body = rows.map(cells);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...body.map((line) => line[column]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(HEADERS),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
};

/** `pass` when value <= target, else `OVER`. */
export const againstTarget = (value: number, target: number): Verdict => (value <= target ? 'pass' : 'OVER');

/** The first line of an error's message, for a table cell. */
export const firstLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
