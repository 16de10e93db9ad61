/** A number read from a file cell, split into sign and magnitude (the trade model wants magnitudes). */
export type DecimalText = { ok: true; magnitude: string; negative: boolean } | { ok: false; message: string };

export type DecimalSeparator = '.' | ',';

const PLAIN = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const DIGITS = /^\d*$/;
const SIGN_OR_SYMBOL = /^[-+\u2212$€£¥]/;
const GROUPED = { ',': /^\d{1,3}(?:,\d{3})+$/, '.': /^\d{1,3}(?:\.\d{3})+$/ } as const;

const invalid = (separator: DecimalSeparator): DecimalText => ({
  ok: false,
  message: `is not a number (expected digits with "${separator}" as decimal separator)`,
});

/**
 * Reads the numbers brokers write: `1,234.50` (quoted thousands), `-$1,234.56`, `$-1,234.56`,
 * `($1,234.56)` (accounting negatives), `1.234,50` with a decimal comma, `1 234,50`, a trailing minus.
 * Digits are kept exactly (no binary floating point, trailing zeros kept; leading zeros dropped).
 * Thousands groups must be groups of three, so that `1,5` read with "." as separator is an error rather
 * than fifteen. Blank is `undefined`.
 */
export const parseDecimalText = (raw: string, separator: DecimalSeparator = '.'): DecimalText | undefined => {
  let text = raw.trim();
  if (text === '') return undefined;
  if (separator === '.' && PLAIN.test(text)) return { ok: true, magnitude: text, negative: false };
  // Each of the three ways to write a minus may be used once, and only one of them.
  let minuses = 0;
  if (text.startsWith('(') && text.endsWith(')')) {
    minuses++;
    text = text.slice(1, -1).trim();
  }
  while (SIGN_OR_SYMBOL.test(text)) {
    const head = text[0];
    if (head === '-' || head === '\u2212') minuses++;
    text = text.slice(1).trim();
  }
  if (text.endsWith('-')) {
    minuses++;
    text = text.slice(0, -1).trim();
  }
  if (minuses > 1) return invalid(separator);
  const negative = minuses === 1;
  const parts = text.split(separator);
  if (parts.length > 2) return invalid(separator);
  const group = separator === '.' ? ',' : '.';
  let whole = (parts[0] ?? '').replace(/[\s\u00a0\u202f']/g, '');
  const fraction = parts[1] ?? '';
  if (whole.includes(group)) {
    if (!GROUPED[group].test(whole)) return invalid(separator);
    whole = whole.split(group).join('');
  }
  if (!DIGITS.test(whole) || !DIGITS.test(fraction) || whole.length + fraction.length === 0) {
    return invalid(separator);
  }
  whole = whole.replace(/^0+/, '') || '0';
  const magnitude = fraction === '' ? whole : `${whole}.${fraction}`;
  const isZero = !/[1-9]/.test(magnitude);
  return { ok: true, magnitude, negative: negative && !isZero };
};
