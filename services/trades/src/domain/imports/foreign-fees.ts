import { canonicalDecimal, DECIMAL_PATTERN, Decimal } from '@kupala/trade-model';
import { compact } from './row-draft';
import type { ParsedRow } from './types';

/** A commission or fee as the broker charged it: a magnitude in some currency. */
export interface ChargedFee {
  amount: string;
  currency: string;
}

export interface FeeBooking {
  /** Goes into the trade's `fees` (trade currency). */
  fees?: string;
  /** Booked as its own FEE trade in the currency it was charged in. */
  separate?: ChargedFee;
}

const FEE_PLACES = 8;

/**
 * How every format books a fee: in the trade's currency it is the trade's `fees`; in the portfolio's
 * base currency with the trade's `fxRate` (trade currency → base) known it is converted at that rate
 * (fee / fxRate, 8 places, half-even) and becomes `fees`; otherwise it stays in its own currency as a
 * separate FEE trade, so no rate is ever guessed.
 */
export const bookFee = (
  fee: ChargedFee | undefined,
  trade: { currency: string | undefined; fxRate?: string | undefined },
  baseCurrency: string | undefined,
): FeeBooking => {
  if (fee === undefined) return {};
  if (trade.currency === undefined || fee.currency === trade.currency) return { fees: fee.amount };
  if (!/[1-9]/.test(fee.amount)) return {};
  const rate = trade.fxRate;
  if (
    fee.currency === baseCurrency &&
    rate !== undefined &&
    DECIMAL_PATTERN.test(rate) &&
    new Decimal(rate).gt(0)
  ) {
    const converted = new Decimal(fee.amount).div(rate).round(FEE_PLACES, Decimal.roundHalfEven);
    return { fees: canonicalDecimal(converted) };
  }
  return { separate: fee };
};

/** The FEE trade for a fee charged in another currency than its trade, on the trade's dates. */
export const separateFeeRow = (
  source: { row: number; line?: number },
  fee: ChargedFee,
  dates: { tradeDate: unknown; settleDate?: unknown },
  externalId: string | undefined,
  note: string,
): ParsedRow => ({
  row: source.row,
  ...(source.line === undefined ? {} : { line: source.line }),
  errors: [],
  candidate: compact({
    type: 'FEE',
    amount: fee.amount,
    currency: fee.currency,
    tradeDate: dates.tradeDate,
    settleDate: dates.settleDate,
    externalId: externalId === undefined ? undefined : `${externalId}:fee`,
    note,
  }),
});
