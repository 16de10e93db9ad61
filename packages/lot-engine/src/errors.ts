/** A trade arrived at or before the position's last applied trade: replay from a checkpoint instead. */
export class OutOfOrderError extends Error {
  override readonly name = 'OutOfOrderError';
  /** true when the key equals the last applied one (a redelivery of the same trade). */
  readonly duplicate: boolean;
  constructor(
    readonly orderKey: string,
    readonly lastOrderKey: string,
  ) {
    super(`Trade ${orderKey} is not after the last applied trade ${lastOrderKey}`);
    this.duplicate = orderKey === lastOrderKey;
  }
}

/** No rate for a currency pair on a date (neither the trade's `fxRate` nor the lookup answered). */
export class MissingFxRateError extends Error {
  override readonly name = 'MissingFxRateError';
  constructor(
    readonly from: string,
    readonly to: string,
    readonly date: string,
  ) {
    super(`No ${from}/${to} rate on or before ${date}`);
  }
}

/** A trade the engine cannot apply to this position (other instrument, cancelled, missing field, bad decimal). */
export class InvalidTradeError extends Error {
  override readonly name = 'InvalidTradeError';
  constructor(
    readonly tradeId: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Trade ${tradeId}: ${message}`, options);
  }
}

/** The state was built under another lot method: a method change re-derives the position from its trades. */
export class LotMethodMismatchError extends Error {
  override readonly name = 'LotMethodMismatchError';
  constructor(
    readonly stateMethod: string,
    readonly requestedMethod: string,
  ) {
    super(`Position was built with ${stateMethod}, not ${requestedMethod}: replay it from its trades`);
  }
}

/** A what-if sale of more than the position holds. */
export class InsufficientQuantityError extends Error {
  override readonly name = 'InsufficientQuantityError';
  constructor(
    readonly requested: string,
    readonly held: string,
  ) {
    super(`Cannot sell ${requested}: the position holds ${held}`);
  }
}
