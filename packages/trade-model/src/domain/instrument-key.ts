import { canonicalDecimal } from '../decimal';
import type { Instrument } from '../schemas/instrument';

/**
 * The stable identity of an instrument: `EQUITY:AAPL:USD`, `OPTION:AAPL:2026-12-18:200:C:USD`,
 * `FUTURE:ESZ6:2026-12-18:USD`. Symbols compare case-insensitively; strikes canonically ("200.00" = "200").
 */
export const instrumentKey = (instrument: Instrument): string => {
  const symbol = instrument.symbol.trim().toUpperCase();
  switch (instrument.assetClass) {
    case 'OPTION':
      return [
        'OPTION',
        (instrument.underlying ?? symbol).trim().toUpperCase(),
        instrument.expiry,
        instrument.strike === undefined ? '' : canonicalDecimal(instrument.strike),
        instrument.putCall,
        instrument.currency,
      ].join(':');
    case 'FUTURE':
      return ['FUTURE', symbol, instrument.expiry, instrument.currency].join(':');
    default:
      return [instrument.assetClass, symbol, instrument.currency].join(':');
  }
};

/** Normalized instrument as stored: upper-case symbols, canonical decimals, explicit multiplier. */
export const normalizeInstrument = (instrument: Instrument): Instrument & { multiplier: string } => ({
  ...instrument,
  symbol: instrument.symbol.trim().toUpperCase(),
  ...(instrument.underlying === undefined ? {} : { underlying: instrument.underlying.trim().toUpperCase() }),
  ...(instrument.strike === undefined ? {} : { strike: canonicalDecimal(instrument.strike) }),
  multiplier: canonicalDecimal(instrument.multiplier ?? '1'),
});
