import type { Trade } from '@kupala/trade-model';
import { InvalidTradeError } from './errors';
import { DecimalFormatError, parseScaled, type Scaled, toScaled } from './scaled';

/** A decimal field of a trade as a scaled bigint; a missing or malformed one is an InvalidTradeError. */
export const tradeDecimal = (trade: Trade, field: string, text: string | undefined): Scaled => {
  if (text === undefined) throw new InvalidTradeError(trade.tradeId, `${trade.type} needs \`${field}\``);
  try {
    return toScaled(text);
  } catch (error: unknown) {
    if (error instanceof DecimalFormatError) {
      throw new InvalidTradeError(trade.tradeId, `\`${field}\` ${error.message}`, { cause: error });
    }
    throw error;
  }
};

export const positiveTradeDecimal = (trade: Trade, field: string, text: string | undefined): Scaled => {
  const value = tradeDecimal(trade, field, text);
  if (value <= 0n) throw new InvalidTradeError(trade.tradeId, `\`${field}\` must be greater than 0`);
  return value;
};

/** tradeDecimal as the engine's working figure: a safe-integer number, else a bigint (see hybrid.ts). */
export const tradeHybrid = (trade: Trade, field: string, text: string | undefined): number | bigint => {
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

export const positiveTradeHybrid = (
  trade: Trade,
  field: string,
  text: string | undefined,
): number | bigint => {
  const value = tradeHybrid(trade, field, text);
  if (value <= 0) throw new InvalidTradeError(trade.tradeId, `\`${field}\` must be greater than 0`);
  return value;
};
