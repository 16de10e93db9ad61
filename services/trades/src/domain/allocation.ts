import {
  type AddFillBody,
  type AllocateOrderBody,
  type Allocation,
  type CommissionSchedule,
  ConflictError,
  type CreateOrderBody,
  canonicalDecimal,
  Decimal,
  type DecimalInput,
  decimal,
  type Fill,
  type Instrument,
  instrumentKey,
  MAX_FILLS_PER_ORDER,
  NotFoundError,
  normalizeInstrument,
  type Order,
  type Portfolio,
  sumDecimals,
  type Trade,
  ValidationError,
} from '@kupala/trade-model';
import { newTrade, type Stamp } from './booking';

/** Places an average price keeps when the exact quotient does not terminate within EXACT_PLACES. */
export const ROUNDED_PRICE_PLACES = 8;
/** A terminating average is kept exactly up to the contract's decimal precision (12 places). */
export const EXACT_PRICE_PLACES = 12;
export const COMMISSION_PLACES = 2;

const ZERO = new Decimal(0);
const BASIS_POINT = new Decimal('0.0001');

/** A new OPEN order without fills; the instrument is normalized and keyed like a trade's. */
export const newOrder = (body: CreateOrderBody, stamp: Stamp): Order => {
  const instrument = normalizeInstrument(body.instrument);
  return {
    orderId: stamp.id,
    side: body.side,
    instrument,
    instrumentKey: instrumentKey(instrument),
    quantity: body.quantity,
    currency: body.currency,
    ...(body.limitPrice === undefined ? {} : { limitPrice: body.limitPrice }),
    ...(body.note === undefined ? {} : { note: body.note }),
    filledQuantity: '0',
    averagePrice: null,
    status: 'OPEN',
    fills: [],
    allocations: [],
    createdAt: stamp.now,
    updatedAt: stamp.now,
  };
};

/** floor(n / d) at `places` decimals with the exact remainder n − quotient × d (n >= 0, d > 0). */
const flooredQuotient = (n: Decimal, d: Decimal, places: number) => {
  const step = new Decimal(`1e-${places}`);
  const unit = step.times(d);
  let quotient = n.div(d).round(places, Decimal.roundDown);
  let remainder = n.minus(quotient.times(d));
  // big.js divides to 20 places with rounding, which can land one step off the true floor
  while (remainder.lt(0)) {
    quotient = quotient.minus(step);
    remainder = remainder.plus(unit);
  }
  while (remainder.gte(unit)) {
    quotient = quotient.plus(step);
    remainder = remainder.minus(unit);
  }
  return { quotient, remainder, step, unit };
};

/**
 * n / d exactly when the quotient terminates within 12 places, otherwise rounded half-even to 8 places —
 * decided on exact remainders, so no double rounding through big.js's 20-place division.
 */
export const averageOf = (n: Decimal, d: Decimal): { price: Decimal; exact: boolean } => {
  const fine = flooredQuotient(n, d, EXACT_PRICE_PLACES);
  if (fine.remainder.eq(0)) return { price: fine.quotient, exact: true };
  const { quotient, remainder, step, unit } = flooredQuotient(n, d, ROUNDED_PRICE_PLACES);
  const twice = remainder.times(2);
  const lastDigitOdd = quotient.div(step).mod(2).eq(1);
  const up = twice.gt(unit) || (twice.eq(unit) && lastDigitOdd);
  return { price: up ? quotient.plus(step) : quotient, exact: false };
};

/** Σ quantity × price of the fills, exact (per quoted unit: no multiplier). */
export const fillsNotional = (fills: readonly Pick<Fill, 'quantity' | 'price'>[]): Decimal =>
  fills.reduce((total, fill) => total.plus(decimal(fill.quantity).times(fill.price)), ZERO);

/** The fills' volume-weighted average price; null before the first fill. */
export const averageFillPrice = (fills: readonly Pick<Fill, 'quantity' | 'price'>[]): Decimal | null => {
  const quantity = sumDecimals(fills.map((fill) => fill.quantity));
  return quantity.eq(0) ? null : averageOf(fillsNotional(fills), quantity).price;
};

const isBuying = (side: Order['side']) => side === 'BUY' || side === 'BUY_TO_COVER';

/** The order with one more execution; refuses what would break the order (409) or its limit (400). */
export const withFill = (order: Order, input: AddFillBody, stamp: Stamp): Order => {
  if (order.status === 'ALLOCATED') throw new ConflictError('An allocated order takes no more fills');
  if (order.fills.length >= MAX_FILLS_PER_ORDER) {
    throw new ConflictError(`An order keeps at most ${MAX_FILLS_PER_ORDER} fills`);
  }
  if (input.externalId !== undefined && order.fills.some((fill) => fill.externalId === input.externalId)) {
    throw new ConflictError('A fill with this externalId is already recorded on the order', {
      details: [{ path: 'externalId', message: `${input.externalId} is already recorded` }],
    });
  }
  const filled = decimal(order.filledQuantity).plus(input.quantity);
  if (filled.gt(order.quantity)) {
    const remaining = canonicalDecimal(decimal(order.quantity).minus(order.filledQuantity));
    throw new ConflictError('The fill would exceed the order quantity', {
      details: [{ path: 'quantity', message: `exceeds the unfilled quantity (${remaining})` }],
    });
  }
  if (order.limitPrice !== undefined) {
    const price = decimal(input.price);
    const outside = isBuying(order.side) ? price.gt(order.limitPrice) : price.lt(order.limitPrice);
    if (outside) {
      const bound = isBuying(order.side) ? 'above' : 'below';
      throw new ValidationError('Request is invalid', [
        { path: 'price', message: `is ${bound} the order's limit price (${order.limitPrice})` },
      ]);
    }
  }
  const fill: Fill = {
    fillId: stamp.id,
    quantity: input.quantity,
    price: input.price,
    time: input.time ?? stamp.now,
    ...(input.externalId === undefined ? {} : { externalId: input.externalId }),
  };
  const fills = [...order.fills, fill];
  const average = averageFillPrice(fills);
  return {
    ...order,
    fills,
    filledQuantity: canonicalDecimal(filled),
    averagePrice: average === null ? null : canonicalDecimal(average),
    status: filled.eq(order.quantity) ? 'FILLED' : 'OPEN',
    updatedAt: stamp.now,
  };
};

const CONTRACT_CLASSES: ReadonlySet<Instrument['assetClass']> = new Set(['OPTION', 'FUTURE']);

/**
 * Commission of one allocation: perShare × quantity (perContract × quantity for options and futures) plus
 * bpsOfNotional / 10,000 × quantity × price × multiplier, clamped to [minimum, maximum], then rounded
 * half-even to 2 places (after the clamp, so a bound with more places is rounded like any figure).
 */
export const commission = (
  schedule: CommissionSchedule,
  trade: { instrument: Instrument; quantity: DecimalInput; price: DecimalInput },
): Decimal => {
  const quantity = decimal(trade.quantity);
  const perUnit = CONTRACT_CLASSES.has(trade.instrument.assetClass)
    ? schedule.perContract
    : schedule.perShare;
  const notional = quantity.times(trade.price).times(trade.instrument.multiplier ?? '1');
  let total = ZERO;
  if (perUnit !== undefined) total = total.plus(quantity.times(perUnit));
  if (schedule.bpsOfNotional !== undefined)
    total = total.plus(notional.times(schedule.bpsOfNotional).times(BASIS_POINT));
  if (schedule.minimum !== undefined && total.lt(schedule.minimum)) total = decimal(schedule.minimum);
  if (schedule.maximum !== undefined && total.gt(schedule.maximum)) total = decimal(schedule.maximum);
  return total.round(COMMISSION_PLACES, Decimal.roundHalfEven);
};

/** Largest quantity first, ties by portfolioId: the first one carries the rounding residual. */
const residualCarrier = (allocations: readonly AllocateOrderBody['allocations'][number][]): string => {
  const [first] = [...allocations].sort((a, b) => {
    const byQuantity = decimal(b.quantity).cmp(a.quantity);
    if (byQuantity !== 0) return byQuantity;
    return a.portfolioId < b.portfolioId ? -1 : a.portfolioId > b.portfolioId ? 1 : 0;
  });
  return first?.portfolioId ?? '';
};

/**
 * The order ALLOCATED across the caller's portfolios (`portfolios` maps each requested id to the caller's
 * portfolio, undefined when the caller has none by that id). Every allocation gets the fills' average price;
 * the rounding residual Σ fill notional − Σ quantity × price (× multiplier) goes to the largest allocation
 * (ties: smallest portfolioId), so that Σ notional + Σ residual = Σ fill notional exactly.
 */
export const allocate = (
  order: Order,
  body: AllocateOrderBody,
  portfolios: ReadonlyMap<string, Portfolio | undefined>,
  stamp: { now: string; newId: () => string },
): Order => {
  if (order.status === 'ALLOCATED') throw new ConflictError('The order is already allocated');
  if (order.fills.length === 0) throw new ConflictError('The order has no fills to allocate');
  if (body.allocations.some((allocation) => portfolios.get(allocation.portfolioId) === undefined)) {
    throw new NotFoundError('Portfolio');
  }
  const total = sumDecimals(body.allocations.map((allocation) => allocation.quantity));
  if (!total.eq(order.filledQuantity)) {
    throw new ValidationError('Allocated quantities must sum exactly to the filled quantity', [
      {
        path: 'allocations',
        message: `quantities sum to ${canonicalDecimal(total)}; the order's filled quantity is ${order.filledQuantity}`,
      },
    ]);
  }
  const mismatched = body.allocations.flatMap((allocation, index) => {
    const currency = portfolios.get(allocation.portfolioId)?.commissionSchedule?.currency;
    return currency === undefined || currency === order.currency
      ? []
      : [
          {
            path: `allocations.${index}.portfolioId`,
            message: `portfolio ${allocation.portfolioId} has a commission schedule in ${currency}; the order is in ${order.currency}`,
          },
        ];
  });
  if (mismatched.length > 0) {
    throw new ValidationError('A commission schedule is in another currency than the order', mismatched);
  }

  const multiplier = decimal(order.instrument.multiplier ?? '1');
  const { price } = averageOf(fillsNotional(order.fills), decimal(order.filledQuantity));
  const residual = fillsNotional(order.fills).minus(total.times(price)).times(multiplier);
  const carrier = residualCarrier(body.allocations);
  const allocations = body.allocations.map((allocation): Allocation => {
    const schedule = portfolios.get(allocation.portfolioId)?.commissionSchedule;
    const fees =
      schedule === undefined
        ? undefined
        : commission(schedule, { instrument: order.instrument, quantity: allocation.quantity, price });
    return {
      portfolioId: allocation.portfolioId,
      tradeId: stamp.newId(),
      quantity: allocation.quantity,
      price: canonicalDecimal(price),
      notional: canonicalDecimal(decimal(allocation.quantity).times(price).times(multiplier)),
      residual: allocation.portfolioId === carrier ? canonicalDecimal(residual) : '0',
      ...(fees === undefined ? {} : { fees: fees.toFixed(COMMISSION_PLACES) }),
    };
  });
  return { ...order, status: 'ALLOCATED', allocations, updatedAt: stamp.now };
};

/** UTC date of the latest fill: the tradeDate of every allocation (ISO-8601 UTC dates sort as text). */
const lastFillDate = (fills: readonly Fill[]): string =>
  fills
    .map((fill) => fill.time.slice(0, 10))
    .sort()
    .at(-1) ?? '';

/**
 * The trades an allocated order books, one per allocation, rebuilt from the order alone (so that an
 * interrupted booking can be completed with identical trades): type = side, externalId
 * `order:<orderId>:<portfolioId>`, booked at the allocation time.
 */
export const allocationTrades = (order: Order): Trade[] => {
  const tradeDate = lastFillDate(order.fills);
  return order.allocations.map((allocation) =>
    newTrade(
      allocation.portfolioId,
      {
        type: order.side,
        instrument: order.instrument,
        quantity: allocation.quantity,
        price: allocation.price,
        currency: order.currency,
        tradeDate,
        externalId: `order:${order.orderId}:${allocation.portfolioId}`,
        ...(allocation.fees === undefined ? {} : { fees: allocation.fees }),
        ...(order.note === undefined ? {} : { note: order.note }),
      },
      { id: allocation.tradeId, now: order.updatedAt },
    ),
  );
};
