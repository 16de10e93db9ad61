/** Stream sequence numbers are decimal strings of any length: compare them as numbers. */
export const bySequence = (a: string, b: string): number => a.length - b.length || a.localeCompare(b);

/** `batchItemFailures` of a stream batch: Lambda retries from the lowest reported record on. */
export const batchItemFailures = (failed: string[]) => ({
  batchItemFailures: [...failed].sort(bySequence).map((itemIdentifier) => ({ itemIdentifier })),
});
