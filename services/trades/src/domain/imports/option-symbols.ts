import { canonicalDecimal, Decimal } from '@kupala/trade-model';

/** The terms of a listed option contract. */
export interface OptionTerms {
  underlying: string;
  /** YYYY-MM-DD */
  expiry: string;
  putCall: 'C' | 'P';
  /** canonical decimal */
  strike: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

// OCC: root (1-6 characters, space-padded to 6 in the 21-character form), YYMMDD, C/P, strike × 1000 in 8 digits.
const OCC = /^([A-Z0-9.]{1,6})\s*(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;
const SCHWAB = /^([A-Z0-9./]+)\s+(\d{2})\/(\d{2})\/(\d{4})\s+(\d+(?:\.\d+)?)\s+([CP])$/;
const FIDELITY = /^-\s*([A-Z0-9.]+?)(\d{2})(\d{2})(\d{2})([CP])(\d+(?:\.\d+)?)$/;
const IBKR_ACTIVITY = /^(\S+)\s+(\d{1,2})([A-Z]{3})(\d{2})\s+(\d+(?:\.\d+)?)\s+([CP])$/;

const terms = (
  underlying: string,
  year: string,
  month: string,
  day: string,
  putCall: string,
  strike: string,
) =>
  ({
    underlying,
    expiry: `${year}-${month}-${day}`,
    putCall: putCall === 'P' ? 'P' : 'C',
    strike: canonicalDecimal(strike),
  }) satisfies OptionTerms;

/** `AAPL  261218C00200000` (the 21-character OCC code) or its compact form `AAPL261218C00200000`. */
export const parseOccSymbol = (symbol: string): OptionTerms | undefined => {
  const match = OCC.exec(symbol.trim().toUpperCase());
  if (match === null) return undefined;
  const [, root = '', yy = '', mm = '', dd = '', putCall = '', strike = ''] = match;
  return terms(root, `20${yy}`, mm, dd, putCall, new Decimal(strike).div(1000).toFixed());
};

/** Schwab's `AAPL 12/18/2026 200.00 C`. */
export const parseSchwabOptionSymbol = (symbol: string): OptionTerms | undefined => {
  const match = SCHWAB.exec(symbol.trim().toUpperCase());
  if (match === null) return undefined;
  const [, root = '', mm = '', dd = '', yyyy = '', strike = '', putCall = ''] = match;
  return terms(root, yyyy, mm, dd, putCall, strike);
};

/** Fidelity's `-AAPL261218C200` (leading dash, strike as written). */
export const parseFidelityOptionSymbol = (symbol: string): OptionTerms | undefined => {
  const match = FIDELITY.exec(symbol.trim().toUpperCase());
  if (match === null) return undefined;
  const [, root = '', yy = '', mm = '', dd = '', putCall = '', strike = ''] = match;
  return terms(root, `20${yy}`, mm, dd, putCall, strike);
};

/** IBKR activity statements' `AAPL 18DEC26 200 C`. */
export const parseIbkrActivityOptionSymbol = (symbol: string): OptionTerms | undefined => {
  const match = IBKR_ACTIVITY.exec(symbol.trim().toUpperCase());
  if (match === null) return undefined;
  const [, root = '', day = '', monthName = '', yy = '', strike = '', putCall = ''] = match;
  const month = MONTHS.indexOf(monthName) + 1;
  if (month === 0) return undefined;
  return terms(root, `20${yy}`, String(month).padStart(2, '0'), day.padStart(2, '0'), putCall, strike);
};

/**
 * The compact OCC code every imported option gets as its `symbol`, whatever the broker wrote, so that the
 * same contract has the same symbol from every source. Contracts the code cannot express (strike with
 * more than 3 decimals, expiry outside 2000-2099) keep a readable `AAPL 2026-12-18 C 200`.
 */
export const occSymbol = (option: OptionTerms): string => {
  const strikeThousandths = new Decimal(option.strike).times(1000);
  const [year = '', month = '', day = ''] = option.expiry.split('-');
  const encodable =
    strikeThousandths.eq(strikeThousandths.round(0)) &&
    strikeThousandths.lt(100_000_000) &&
    year.startsWith('20') &&
    option.underlying.length <= 6;
  if (!encodable) return `${option.underlying} ${option.expiry} ${option.putCall} ${option.strike}`;
  return `${option.underlying}${year.slice(2)}${month}${day}${option.putCall}${strikeThousandths.toFixed(0).padStart(8, '0')}`;
};

/** An OPTION instrument from its terms; equity options have 100 units per contract unless told. */
export const optionInstrument = (
  option: OptionTerms,
  currency: string,
  multiplier = '100',
): Record<string, unknown> => ({
  assetClass: 'OPTION',
  symbol: occSymbol(option),
  currency,
  multiplier,
  underlying: option.underlying,
  expiry: option.expiry,
  strike: option.strike,
  putCall: option.putCall,
});
