import type { AssetClass } from '@kupala/trade-model';

/** What market-data is asked to keep priced: symbols someone holds and the FX pairs their values need. */
export interface HeldInstruments {
  symbols: string[];
  pairs: { base: string; quote: string }[];
}

/**
 * Tells market-data which instruments are held, so its scheduled refresh prices them even when nobody asks for a
 * quote. Best effort by contract: it never rejects (a failure is logged), because the nightly EOD run names every
 * held instrument again and a price read must never fail a trade's processing.
 */
export interface HeldFollower {
  follow(held: HeldInstruments): Promise<void>;
}

/**
 * The held instruments of some positions and cash balances of a portfolio in `baseCurrency`: the symbols of its
 * non-cash instruments, and each other currency against the base (the pair the valuation reads, `currency` →
 * base), each once, in order of first appearance.
 */
export const heldInstruments = (
  instruments: readonly { assetClass: AssetClass; symbol: string; currency: string }[],
  cashCurrencies: readonly string[],
  baseCurrency: string,
): HeldInstruments => {
  const symbols = new Set<string>();
  const currencies = new Set<string>();
  for (const { assetClass, symbol, currency } of instruments) {
    if (assetClass !== 'CASH') symbols.add(symbol);
    currencies.add(currency);
  }
  for (const currency of cashCurrencies) currencies.add(currency);
  currencies.delete(baseCurrency);
  return {
    symbols: [...symbols],
    pairs: [...currencies].map((currency) => ({ base: currency, quote: baseCurrency })),
  };
};

/** Merges what several portfolios hold (a batch of the nightly run), each symbol and pair once. */
export const mergeHeld = (all: readonly HeldInstruments[]): HeldInstruments => {
  const symbols = new Set(all.flatMap((held) => held.symbols));
  const pairs = new Map(
    all.flatMap((held) => held.pairs).map((pair) => [`${pair.base}/${pair.quote}`, pair]),
  );
  return { symbols: [...symbols], pairs: [...pairs.values()] };
};
