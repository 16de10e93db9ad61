/** Nearest-rank percentile (p in 0..100) of samples; the p99 of 1,000 samples is the 990th smallest. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) throw new Error('No samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);
