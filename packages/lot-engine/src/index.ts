export * from './cash';
export {
  applyTrade,
  clonePosition,
  emptyPosition,
  formatClosedLot,
  positionSummary,
  rateToBase,
  replayPosition,
  replayPositionEach,
} from './engine';
export * from './errors';
export { firstAnniversary, holdingPeriod } from './holding-period';
export { ledgerOrderKey, sortByLedgerOrder } from './order';
export { DecimalFormatError, fromScaled, toScaled } from './scaled';
export * from './types';
export { openLots, portfolioTotals, valuePosition } from './valuation';
export * from './what-if';
