/**
 * Display of exact decimals exactly as the API sends them: string operations only, never parseFloat.
 * The integer part is grouped by thousands; the fraction is padded (never rounded) to `minPlaces`.
 */
const WIRE_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export interface DisplayOptions {
  /** Pad the fraction with zeros up to this many places (never cuts digits). Default 0. */
  minPlaces?: number;
  /** Thousands separator. Default a thin no-break space (U+202F) so it never reads as a decimal point. */
  groupSeparator?: string;
}

export const formatDecimalForDisplay = (value: string, options: DisplayOptions = {}): string => {
  const match = WIRE_DECIMAL.exec(value);
  if (!match) throw new Error(`not a wire decimal: ${JSON.stringify(value)}`);
  const [, sign = '', integerDigits = '0', fraction = ''] = match;
  const separator = options.groupSeparator ?? '\u202f';
  const integer = integerDigits.replace(/^0+(?=\d)/, '');
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  const padded = fraction.padEnd(options.minPlaces ?? 0, '0');
  const isZero = /^0*$/.test(integer + fraction);
  return `${isZero ? '' : sign}${grouped}${padded ? `.${padded}` : ''}`;
};

/** An amount with its currency, as shown right-aligned in tables: "1 234.50 EUR". */
export const formatMoney = (amount: string, currency: string): string =>
  `${formatDecimalForDisplay(amount, { minPlaces: 2 })} ${currency}`;

/** Sign of a wire decimal without converting it to a number (for colouring P&L). */
export const decimalSign = (value: string): -1 | 0 | 1 => {
  if (!WIRE_DECIMAL.test(value)) throw new Error(`not a wire decimal: ${JSON.stringify(value)}`);
  if (/^-?[0.]+$/.test(value)) return 0;
  return value.startsWith('-') ? -1 : 1;
};
