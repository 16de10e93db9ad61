import { runResumablePages } from './resumable';

// a job over 7 things, 3 a page: pages start at 0, 3, 6
const page = async (cursor: number | undefined) => {
  const from = cursor ?? 0;
  const to = Math.min(from + 3, 7);
  return { count: to - from, next: to < 7 ? to : undefined };
};

describe('runResumablePages', () => {
  it('runs to the end when nothing stops it', async () => {
    expect(await runResumablePages(page, undefined, () => true)).toEqual({
      count: 7,
      pages: 3,
      next: undefined,
    });
  });

  it('stops where told and answers where to resume; resuming finishes the job', async () => {
    const first = await runResumablePages(page, undefined, (pages) => pages < 2);
    expect(first).toEqual({ count: 6, pages: 2, next: 6 });
    expect(await runResumablePages(page, first.next, () => false)).toEqual({
      count: 1,
      pages: 1,
      next: undefined,
    });
  });

  it('always runs at least one page', async () => {
    expect(await runResumablePages(page, 3, () => false)).toEqual({ count: 3, pages: 1, next: 6 });
  });
});
