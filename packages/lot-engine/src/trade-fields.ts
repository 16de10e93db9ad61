import type { Trade } from '@kupala/trade-model';
import { InvalidTradeError } from './errors';
import { type Hybrid, toBig } from './hybrid';
import { DecimalFormatError, parseScaled, type Scaled } from './scaled';

/**
 * A decimal field of a trade as the engine's working figure: a safe-integer number, else a bigint (see
 * hybrid.ts); a missing or malformed one is an InvalidTradeError.
 */
export const tradeHybrid = (trade: Trade, field: string, text: string | undefined): Hybrid => {
  if (text === undefined) throw new InvalidTradeError(trade.tradeId, `${trade.type} needs \`${field}\``);
  try {
    return parseScaled(text);
  } catch (error: unknown) {
    if (error instanceof DecimalFormatError) {
      throw new InvalidTradeError(trade.tradeId, `\`${field}\` ${error.message}`, { cause: error });
    }
    throw error;
  }
};

export const positiveTradeHybrid = (trade: Trade, field: string, text: string | undefined): Hybrid => {
  const value = tradeHybrid(trade, field, text);
  if (value <= 0) throw new InvalidTradeError(trade.tradeId, `\`${field}\` must be greater than 0`);
  return value;
};

/** tradeHybrid as a scaled bigint. */
export const tradeDecimal = (trade: Trade, field: string, text: string | undefined): Scaled =>
  toBig(tradeHybrid(trade, field, text));
