import { limitLines } from './line-limit';

const chunks = (...parts: string[]) =>
  (async function* () {
    for (const part of parts) yield Buffer.from(part);
  })();
const drain = async (source: AsyncIterable<Uint8Array>) => {
  let text = '';
  for await (const chunk of source) text += Buffer.from(chunk).toString();
  return text;
};

describe('limitLines: every line counts, blank and skipped ones too', () => {
  it('passes a file of exactly maxLines lines through unchanged, with or without a final newline', async () => {
    await expect(drain(limitLines(chunks('a,b\n', '\n\n'), 3))).resolves.toBe('a,b\n\n\n');
    await expect(drain(limitLines(chunks('a,b\n\n', 'last'), 3))).resolves.toBe('a,b\n\nlast');
  });

  it('stops a file at its maxLines + 1-th line, even when that line is blank', async () => {
    // 4 lines: "a", "", "", "" (three newlines then one more newline)
    await expect(drain(limitLines(chunks('a\n\n', '\n\n'), 3))).rejects.toThrow('more than 3 lines');
    // 4 lines where the 4th has no newline: "a", "b", "c", "d"
    await expect(drain(limitLines(chunks('a\nb\nc\n', 'd'), 3))).rejects.toThrow('more than 3 lines');
  });

  it('counts lines across chunk cuts, newline split from its line', async () => {
    // "x\n" cut as "x" | "\n" five times: 5 lines
    const parts = Array.from({ length: 5 }, () => ['x', '\n']).flat();
    await expect(drain(limitLines(chunks(...parts), 5))).resolves.toBe('x\n'.repeat(5));
    await expect(drain(limitLines(chunks(...parts, 'y'), 5))).rejects.toThrow('more than 5 lines');
  });
});
