/** A seeded PRNG (mulberry32): the same seed gives the same folds, bootstraps and feature draws everywhere. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export const seededRandom = (seed: number): Random => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
};

/** Fisher–Yates in place. */
export const shuffleInPlace = <T extends { length: number; [index: number]: number }>(
  values: T,
  random: Random,
): T => {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
  return values;
};
