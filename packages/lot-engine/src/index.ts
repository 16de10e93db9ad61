export * from './cash';
export { ClosedLotList } from './closed-lots';
export {
  applyTrade,
  clonePosition,
  emptyPosition,
  formatClosedLot,
  positionSummary,
  type ReplayResult,
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
