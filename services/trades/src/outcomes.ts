import { ConflictError, NotFoundError, type Trade } from '@kupala/trade-model';
import type { ChangeOutcome, InsertOutcome } from './adapters/trades-store';

/** Turns a store outcome into the contract's answer: 404 for a missing portfolio, 409 for a repeated broker id. */
export const requireInserted = (
  outcome: InsertOutcome,
  rowOf: (externalId: string) => string = () => 'externalId',
): void => {
  if (outcome.kind === 'OK') return;
  if (outcome.kind === 'NO_PORTFOLIO') throw new NotFoundError('Portfolio');
  throw new ConflictError('A trade with this externalId is already booked in this portfolio', {
    details: outcome.externalIds.map((externalId) => ({
      path: rowOf(externalId),
      message: `${externalId} is already booked`,
    })),
  });
};

/** 404 for a missing trade, 409 for a stale version, a cancelled trade or a repeated broker id. */
export const requireChanged = (outcome: ChangeOutcome): Trade => {
  switch (outcome.kind) {
    case 'OK':
      return outcome.trade;
    case 'NOT_FOUND':
      throw new NotFoundError('Trade');
    case 'CANCELLED':
      throw new ConflictError('A cancelled trade cannot be amended');
    case 'STALE':
      throw new ConflictError(
        `The trade has changed: its current version is ${outcome.currentVersion}; read it and retry`,
        {
          details: [{ path: 'version', message: `is stale (current version is ${outcome.currentVersion})` }],
        },
      );
    case 'DUPLICATE_EXTERNAL_ID':
      throw new ConflictError('A trade with this externalId is already booked in this portfolio', {
        details: [{ path: 'externalId', message: `${outcome.externalIds.join(', ')} is already booked` }],
      });
  }
};
