import { instrumentKey, type Trade, TradeSchema } from '@kupala/trade-model';

export { orderKeyOf } from './engine';

/** One Trades-stream record as the engine sees it: the trade's current version, or its removal. */
export interface TradeEvent {
  /** The stream record's sequence number (what `batchItemFailures` reports). */
  sequenceNumber: string;
  sub: string;
  portfolioId: string;
  tradeId: string;
  version: number;
  /** The NEW image's trade; undefined for a REMOVE (the portfolio was deleted). */
  trade: Trade | undefined;
}

export class MalformedTradeRecordError extends Error {
  override readonly name = 'MalformedTradeRecordError';
}

/** Trade types that move a position's lots; the others only move cash (and income). */
const POSITION_TYPES = new Set<Trade['type']>([
  'BUY',
  'SELL',
  'SELL_SHORT',
  'BUY_TO_COVER',
  'SPLIT',
  'EXPIRE',
  'TRANSFER_IN',
  'TRANSFER_OUT',
]);

/** The position a trade version belongs to: an ACTIVE trade of a position type with an instrument. */
export const positionOf = (trade: Trade | undefined): string | undefined =>
  trade !== undefined &&
  trade.status === 'ACTIVE' &&
  trade.instrument !== undefined &&
  POSITION_TYPES.has(trade.type) &&
  (trade.type !== 'TRANSFER_IN' && trade.type !== 'TRANSFER_OUT' ? true : trade.quantity !== undefined)
    ? (trade.instrumentKey ?? instrumentKey(trade.instrument))
    : undefined;

const PORTFOLIO_OWNER = /^USER#([^#]+)$/;
const PORTFOLIO_SORT_KEY = /^PORTFOLIO#([0-9A-HJKMNP-TV-Z]{26})$/;

/** Whether a Trades-stream image is a PORTFOLIO item (its settings changed: base currency, lot method). */
export const isPortfolioImage = (image: Record<string, unknown> | undefined): boolean =>
  image?.entity === 'PORTFOLIO';

/** The owner and id of a PORTFOLIO item (from its keys, never its body); throws on anything else. */
export const portfolioOfImage = (
  sequenceNumber: string,
  image: Record<string, unknown>,
): { sub: string; portfolioId: string } => {
  const owner = PORTFOLIO_OWNER.exec(String(image.pk));
  const id = PORTFOLIO_SORT_KEY.exec(String(image.sk));
  if (owner === null || id === null || image.entity !== 'PORTFOLIO') {
    throw new MalformedTradeRecordError(`record ${sequenceNumber} is not a PORTFOLIO item`);
  }
  return { sub: owner[1] ?? '', portfolioId: id[1] ?? '' };
};

const OWNER_PARTITION = /^USER#(.+)#PORTFOLIO#([0-9A-HJKMNP-TV-Z]{26})$/;

const tradeFields = Object.keys(TradeSchema.shape);

/**
 * Reads a Trades-table TRADE item (an unmarshalled stream image): the owner from its key (never from the
 * body), the trade validated by the contract's schema. A record that does not fit is an error (poison).
 */
export const tradeEventOf = (
  sequenceNumber: string,
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  newImage: Record<string, unknown> | undefined,
  oldImage: Record<string, unknown> | undefined,
): TradeEvent => {
  const image = eventName === 'REMOVE' ? oldImage : newImage;
  if (image === undefined) throw new MalformedTradeRecordError(`${eventName} record without its image`);
  const owner = OWNER_PARTITION.exec(String(image.pk));
  if (owner === null || image.entity !== 'TRADE' || image.ownerSub !== owner[1]) {
    throw new MalformedTradeRecordError(`record ${sequenceNumber} is not a TRADE item of its owner`);
  }
  const [, sub = '', portfolioId = ''] = owner;
  const parsed = TradeSchema.safeParse(
    Object.fromEntries(
      tradeFields.filter((field) => image[field] !== undefined).map((field) => [field, image[field]]),
    ),
  );
  if (!parsed.success || parsed.data.portfolioId !== portfolioId) {
    throw new MalformedTradeRecordError(`record ${sequenceNumber} does not hold a valid trade`);
  }
  const trade = parsed.data;
  return {
    sequenceNumber,
    sub,
    portfolioId,
    tradeId: trade.tradeId,
    version: trade.version,
    trade: eventName === 'REMOVE' ? undefined : trade,
  };
};
