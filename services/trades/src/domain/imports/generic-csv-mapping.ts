import { TradeTypeSchema, z } from '@kupala/trade-model';
import { GENERIC_DATE_FORMATS } from './dates';

/**
 * Trade fields a generic-csv column can fill. `feeCurrency` is not a trade field: it names the currency
 * of the `fees` column when that differs from the trade's (see foreign-fees.ts).
 */
export const GENERIC_CSV_FIELDS = [
  'type',
  'instrument.assetClass',
  'instrument.symbol',
  'instrument.currency',
  'instrument.isin',
  'instrument.multiplier',
  'instrument.underlying',
  'instrument.expiry',
  'instrument.strike',
  'instrument.putCall',
  'quantity',
  'price',
  'amount',
  'currency',
  'fees',
  'feeCurrency',
  'tradeDate',
  'settleDate',
  'fxRate',
  'ratio',
  'externalId',
  'note',
] as const;
export type GenericCsvField = (typeof GENERIC_CSV_FIELDS)[number];

const MAX_TYPE_VALUES = 64;

const ColumnHeaderSchema = z.string().check(
  z.minLength(1),
  z.maxLength(128),
  z.refine((value) => value.trim().length > 0, 'must not be blank'),
);

/**
 * The `mapping` of a generic-csv import: which column holds which trade field, and how the file writes
 * dates, decimals and trade types. Needs a `tradeDate` column and either a `type` column or a `quantity`
 * column (whose sign then tells BUY from SELL). Example:
 * `{"columns":{"tradeDate":"Date","type":"Side","instrument.symbol":"Ticker","quantity":"Qty",
 * "price":"Price","currency":"Ccy"},"dateFormat":"DD/MM/YYYY","typeValues":{"B":"BUY","S":"SELL"}}`.
 */
export const GenericCsvMappingSchema = z
  .strictObject({
    columns: z.partialRecord(z.enum(GENERIC_CSV_FIELDS), ColumnHeaderSchema),
    dateFormat: z.optional(z.enum(GENERIC_DATE_FORMATS)),
    delimiter: z.optional(z.enum([',', ';', '\t', '|'])),
    decimalSeparator: z.optional(z.enum(['.', ','])),
    typeValues: z.optional(
      z
        .record(z.string().check(z.minLength(1), z.maxLength(64)), TradeTypeSchema)
        .check(
          z.refine(
            (values) => Object.keys(values).length <= MAX_TYPE_VALUES,
            `must have at most ${MAX_TYPE_VALUES} entries`,
          ),
        ),
    ),
  })
  .check(
    z.superRefine((mapping, ctx) => {
      const issue = (path: string[], message: string) =>
        ctx.issues.push({ code: 'custom', path, message, input: mapping });
      if (mapping.columns.tradeDate === undefined) issue(['columns', 'tradeDate'], 'is required');
      if (mapping.columns.type === undefined && mapping.columns.quantity === undefined) {
        issue(['columns', 'type'], 'is required unless a quantity column gives the direction by its sign');
      }
    }),
  );
export type GenericCsvMapping = z.infer<typeof GenericCsvMappingSchema>;
