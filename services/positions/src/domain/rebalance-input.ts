import type { RebalanceInput, RebalancePosition } from '@kupala/performance';
import { ConflictError, Decimal, type PortfolioPositions } from '@kupala/trade-model';

/** Asset classes traded in fractions (a step of 1e-8); every other one trades whole units. */
const FRACTIONAL = new Set(['CRYPTO', 'FX', 'CASH']);
const FRACTION_STEP = '0.00000001';

/** A target's instrument that is not held: `<ASSET CLASS>:<SYMBOL>:<CURRENCY>` keys only (no expiry or strike). */
export const plainInstrumentOf = (key: string) => {
  const parts = key.split(':');
  if (parts.length !== 3) return undefined;
  const [assetClass = '', symbol = '', currency = ''] = parts;
  return { assetClass, symbol, currency };
};

/** The price of a target not held, in base currency, or undefined when there is none. */
export type UnheldPrice = (key: string) => Promise<string | undefined>;

/**
 * The rebalancing input of a portfolio (pure but for the unheld targets' prices): open positions at their
 * base-currency unit value (marketValueBase / (quantity × multiplier)), cash = net liquidation − market value,
 * targets as set. A holding or target without a value is a 409 naming it.
 */
export const rebalanceInputOf = async (
  portfolio: PortfolioPositions,
  targets: Record<string, string>,
  unheldPrice: UnheldPrice,
): Promise<RebalanceInput> => {
  const missing: string[] = [];
  const positions: RebalancePosition[] = [];
  for (const position of portfolio.positions) {
    const quantity = new Decimal(position.quantity);
    if (quantity.eq(0)) continue;
    const multiplier = position.instrument.multiplier ?? '1';
    if (position.marketValueBase === null) {
      missing.push(position.instrumentKey);
      continue;
    }
    positions.push({
      instrumentKey: position.instrumentKey,
      quantity: position.quantity,
      price: new Decimal(position.marketValueBase).div(quantity.times(multiplier)).toFixed(),
      multiplier,
      quantityStep: FRACTIONAL.has(position.instrument.assetClass) ? FRACTION_STEP : '1',
    });
  }
  for (const key of Object.keys(targets)) {
    if (positions.some((position) => position.instrumentKey === key)) continue;
    const price = await unheldPrice(key);
    if (price === undefined) {
      missing.push(key);
      continue;
    }
    const instrument = plainInstrumentOf(key);
    positions.push({
      instrumentKey: key,
      quantity: '0',
      price,
      quantityStep: instrument !== undefined && FRACTIONAL.has(instrument.assetClass) ? FRACTION_STEP : '1',
    });
  }
  const { netLiquidation, marketValue } = portfolio.totals;
  if (missing.length > 0 || netLiquidation === null || marketValue === null) {
    throw new ConflictError(
      `No price (or FX rate) to value ${missing.join(', ') || 'the portfolio'}: set a close with PUT /instruments/{symbol}/prices`,
    );
  }
  return { positions, cash: new Decimal(netLiquidation).minus(marketValue).toFixed(), targets };
};
