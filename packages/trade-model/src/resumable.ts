/** What one page of a hand-run, resumable job did: how many things it handled, and where the next page starts. */
export interface ResumablePage<Cursor> {
  count: number;
  next: Cursor | undefined;
}

/**
 * Runs a resumable job (a backfill, a migration) page after page from `start`, until a page answers no `next`
 * or `more(pagesDone)` says to stop (a page cap, the invocation's time running low). Answers the total and
 * where to resume (undefined when the job is done), so the caller can be invoked again with it.
 */
export const runResumablePages = async <Cursor>(
  page: (cursor: Cursor | undefined) => Promise<ResumablePage<Cursor>>,
  start: Cursor | undefined,
  more: (pagesDone: number) => boolean,
): Promise<{ count: number; pages: number; next: Cursor | undefined }> => {
  let cursor = start;
  let count = 0;
  let pages = 0;
  do {
    const done = await page(cursor);
    count += done.count;
    pages += 1;
    cursor = done.next;
  } while (cursor !== undefined && more(pages));
  return { count, pages, next: cursor };
};
