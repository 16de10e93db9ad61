import { performance } from 'node:perf_hooks';
import {
  buildMarketUniverse,
  type MarketUniverseSource,
  type SeenClose,
} from '../services/ml-analysis/src/domain/market-universe-dataset';

/** The most symbols a universe covers, each with five years of weekday closes (the history it reads). */
export const SYMBOLS = 100;
export const NOW = '2026-11-24T10:00:00.000Z';

/** Five years of weekday closes per symbol: a seeded walk of ±2 % a day, as 2-decimal strings. */
const closesOf = (symbolIndex: number): SeenClose[] => {
  let seed = 7 + symbolIndex;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  const closes: SeenClose[] = [];
  let price = 50 + symbolIndex;
  for (let day = Date.parse('2021-11-24T00:00:00Z'); day <= Date.parse(NOW); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    price *= 1 + (random() - 0.5) * 0.04;
    closes.push({ date: new Date(day).toISOString().slice(0, 10), close: price.toFixed(2), currency: 'USD' });
  }
  return closes;
};

/** Times `runs` builds of a 100-symbol universe from memory (features and CSV; the DynamoDB reads are not in it). */
export const measureMarketUniverse = async (
  runs: number,
): Promise<{ samples: number[]; rows: number; closes: number }> => {
  const series = new Map(Array.from({ length: SYMBOLS }, (_, index) => [`S${index}`, closesOf(index)]));
  const source: MarketUniverseSource = {
    dailyCloses: async (_sub, symbol) => series.get(symbol) ?? [],
  };
  const body = { name: 'bench', source: 'market-universe' as const, symbols: [...series.keys()] };
  const warm = await buildMarketUniverse(source, 'bench', body, NOW);
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await buildMarketUniverse(source, 'bench', body, NOW);
    samples.push(performance.now() - started);
  }
  return {
    samples,
    rows: warm.shape.rows,
    closes: [...series.values()].reduce((sum, one) => sum + one.length, 0),
  };
};
