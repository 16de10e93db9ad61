import * as z from '../zod';
import { documentedWith } from './json-schema';
import { CurrencySchema, IsoDateSchema, PositiveDecimalSchema } from './primitives';

export const ASSET_CLASSES = [
  'EQUITY',
  'ETF',
  'FUND',
  'BOND',
  'OPTION',
  'FUTURE',
  'FX',
  'CRYPTO',
  'CASH',
] as const;
export const AssetClassSchema = z.enum(ASSET_CLASSES);
export type AssetClass = z.infer<typeof AssetClassSchema>;

/** Tickers, OCC codes, pairs: letters, digits and . - _ / ^ = and space; never ':' (the key separator). */
export const SymbolSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9^][A-Za-z0-9.\-_/^= ]*$/, 'may contain letters, digits, space and . - _ / ^ = only'),
  );

/** ISIN: 2 letters, 9 alphanumerics, 1 check digit. */
export const IsinSchema = z.string().check(z.regex(/^[A-Z]{2}[A-Z0-9]{9}\d$/, 'must be a 12-character ISIN'));

/**
 * A tradable thing, embedded in trades. Options need underlying, expiry, strike and putCall; futures an
 * expiry. Example: `{"assetClass":"OPTION","symbol":"AAPL261218C00200000","currency":"USD","multiplier":"100",
 * "underlying":"AAPL","expiry":"2026-12-18","strike":"200","putCall":"C"}`.
 */
/** The instrument's own rules, as its checks answer them. */
export const INSTRUMENT_RULES =
  'Instrument (400, detail at the field): for an option each of underlying, expiry, strike and putCall ' +
  'is required for an option; on any other asset class strike or putCall is only allowed for an option; ' +
  'for a future the expiry is required for a future.';

export const InstrumentSchema = z
  .strictObject({
    assetClass: AssetClassSchema,
    symbol: SymbolSchema,
    currency: CurrencySchema,
    isin: z.optional(IsinSchema),
    multiplier: z.optional(PositiveDecimalSchema),
    underlying: z.optional(SymbolSchema),
    expiry: z.optional(IsoDateSchema),
    strike: z.optional(PositiveDecimalSchema),
    putCall: z.optional(z.enum(['C', 'P'])),
  })
  .check(
    z.superRefine((instrument, ctx) => {
      const require = (field: 'underlying' | 'expiry' | 'strike' | 'putCall', why: string) => {
        if (instrument[field] === undefined) {
          ctx.issues.push({
            code: 'custom',
            path: [field],
            message: `is required ${why}`,
            input: instrument,
          });
        }
      };
      const forbid = (field: 'strike' | 'putCall', why: string) => {
        if (instrument[field] !== undefined) {
          ctx.issues.push({
            code: 'custom',
            path: [field],
            message: `is only allowed ${why}`,
            input: instrument,
          });
        }
      };
      if (instrument.assetClass === 'OPTION') {
        for (const field of ['underlying', 'expiry', 'strike', 'putCall'] as const)
          require(field, 'for an option');
      } else {
        forbid('strike', 'for an option');
        forbid('putCall', 'for an option');
      }
      if (instrument.assetClass === 'FUTURE') require('expiry', 'for a future');
    }),
  );
documentedWith(InstrumentSchema, { description: INSTRUMENT_RULES });
export type Instrument = z.infer<typeof InstrumentSchema>;
