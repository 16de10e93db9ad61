import { ImportFileError } from './imports/types';

const NEWLINE = 0x0a;

/**
 * Passes a file's bytes through and stops it, with a file error, at its `maxLines + 1`-th line: every line
 * counts (blank lines, headers, totals and skipped rows too), so a file cannot hide its size in lines that
 * are not trades. Counted on bytes, before any parsing.
 */
export async function* limitLines(
  source: AsyncIterable<Uint8Array>,
  maxLines: number,
): AsyncGenerator<Uint8Array> {
  let completed = 0;
  let open = false; // bytes seen after the last newline: a line that has begun
  for await (const chunk of source) {
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) {
      completed += 1;
      from = at + 1;
      if (completed > maxLines) throw new ImportFileError(`the file has more than ${maxLines} lines`);
    }
    if (from < chunk.length) open = true;
    else if (from > 0) open = false;
    if (completed === maxLines && open) throw new ImportFileError(`the file has more than ${maxLines} lines`);
    yield chunk;
  }
}
