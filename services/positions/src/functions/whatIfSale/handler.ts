import {
  ConflictError,
  type HttpRouteOptions,
  httpRoute,
  NotFoundError,
  ValidationError,
  whatIfSaleRoute,
} from '@kupala/trade-model';
import { rateOn } from '../../adapters/market-data-reader';
import { prefetchedFx } from '../../domain/fx-context';
import { type PositionsHttpSideEffects, positionsHttpSideEffects } from '../../positionsSideEffects';

const errorNamed = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

export const buildHandler = (
  effects: () => PositionsHttpSideEffects = positionsHttpSideEffects,
  options: HttpRouteOptions = {},
) =>
  httpRoute(
    whatIfSaleRoute,
    async ({ user, params, body }) => {
      const { portfolios, table, marketData, engine, now } = effects();
      const settings = await portfolios.getPortfolioSettings(user.sub, params.portfolioId);
      if (settings === undefined) throw new NotFoundError('Portfolio');
      const trades = (await table.ledgerAfter(user.sub, params.portfolioId, body.instrumentKey, '')).map(
        (entry) => entry.trade,
      );
      const instrument = trades[0]?.instrument;
      if (instrument === undefined) throw new ConflictError(`The portfolio holds no ${body.instrumentKey}`);
      const date = body.date ?? now().toISOString().slice(0, 10);
      const fx = await prefetchedFx(marketData, rateOn, user.sub, settings.baseCurrency, trades, [
        { currency: instrument.currency, date },
      ]);
      try {
        const methods = engine.whatIfSale(
          trades,
          { quantity: body.quantity, price: body.price, date },
          { baseCurrency: settings.baseCurrency, fx },
        );
        const outcome = (method: keyof typeof methods) => {
          const { realizedGain, proceeds, cost, lotsClosed, shortTermGain, longTermGain } = methods[method];
          return {
            realizedGain,
            proceeds,
            cost,
            lotsClosed,
            ...(shortTermGain === undefined ? {} : { shortTermGain }),
            ...(longTermGain === undefined ? {} : { longTermGain }),
          };
        };
        return {
          statusCode: 200,
          body: {
            instrumentKey: body.instrumentKey,
            quantity: body.quantity,
            price: body.price,
            date,
            currency: instrument.currency,
            lotMethod: settings.lotMethod,
            methods: {
              FIFO: outcome('FIFO'),
              LIFO: outcome('LIFO'),
              HIFO: outcome('HIFO'),
              AVERAGE: outcome('AVERAGE'),
            },
          },
        };
      } catch (error: unknown) {
        if (errorNamed(error, 'InsufficientQuantityError')) {
          throw new ConflictError('The open long quantity does not cover the sale', { cause: error });
        }
        if (errorNamed(error, 'OutOfOrderError')) {
          throw new ValidationError('Request is invalid', [
            { path: 'date', message: 'must not be before the last trade of the position' },
          ]);
        }
        if (errorNamed(error, 'MissingFxRateError')) {
          throw new ConflictError('An FX rate to the base currency is missing for this position', {
            cause: error,
          });
        }
        throw error;
      }
    },
    options,
  );

export const main = buildHandler();
