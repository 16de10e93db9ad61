import * as z from '../zod';
import { CreateDatasetBodySchema } from './dataset';
import { SymbolSchema } from './instrument';
import { documentedJsonSchema, documentedWith } from './json-schema';
import { boundedText } from './primitives';

/** Most symbols one market-universe dataset covers when they are named in `symbols`. */
export const MAX_UNIVERSE_SYMBOLS = 100;
/**
 * The market universe's default symbols (without `symbols`): a fixed, public list of liquid US-listed ETFs across
 * equity indices, regions, sectors, bonds, real estate and commodities. market-data keeps each of them current
 * even before anyone asks (like the major FX pairs), so the default has history on a fresh stage. It is fixed
 * rather than "whatever the feed refreshes" because the refresh list is made of what users hold and look up:
 * building from it would tell one user which symbols others follow.
 */
export const DEFAULT_UNIVERSE_SYMBOLS = [
  'DBC',
  'DIA',
  'EEM',
  'EFA',
  'GLD',
  'HYG',
  'IEF',
  'IWM',
  'LQD',
  'QQQ',
  'SHY',
  'SLV',
  'SPY',
  'TLT',
  'VNQ',
  'XLE',
  'XLF',
  'XLK',
  'XLU',
  'XLV',
] as const;
/** Calendar days of daily closes a market-universe dataset reads back from its build day (five years). */
export const UNIVERSE_HISTORY_DAYS = 1827;

/** A symbol as market-data keys it: trimmed, upper case ("aapl " is AAPL). */
const UniverseSymbolSchema = z.pipe(
  SymbolSchema,
  z.transform((symbol: string) => symbol.trim().toUpperCase()),
);

/**
 * Body of `POST /datasets` building the built-in market universe: per symbol, features of its daily closes
 * (the feed's merged with the caller's manual prices) and a forward-return target, one row per month end.
 * Without `symbols` it covers the fixed default list `DEFAULT_UNIVERSE_SYMBOLS`. Example:
 * `{"name":"Universe","source":"market-universe","symbols":["AAPL","MSFT"]}`.
 */
export const MarketUniverseBodySchema = z.strictObject({
  name: boundedText(100),
  source: z.literal('market-universe'),
  symbols: z.optional(
    documentedWith(z.array(UniverseSymbolSchema).check(z.minLength(1), z.maxLength(MAX_UNIVERSE_SYMBOLS)), {
      description:
        'The symbols to cover, 1 to 100, case-insensitive (a repeat counts once). Without it: a fixed default ' +
        `list of ${DEFAULT_UNIVERSE_SYMBOLS.length} liquid ETFs that the feed keeps current (${DEFAULT_UNIVERSE_SYMBOLS.join(', ')}). ` +
        'Symbols without enough daily closes add no rows; 422 when no symbol has enough.',
    }),
  ),
});
export type MarketUniverseBody = z.infer<typeof MarketUniverseBodySchema>;

/** The inline-file body, keyed `source: "file"` when the key is given (the default). */
const FileDatasetBodySchema = z.extend(CreateDatasetBodySchema, { source: z.optional(z.literal('file')) });
// extending makes a new schema: the inline body's own stated rules carry over to the OpenAPI document
documentedWith(FileDatasetBodySchema, documentedJsonSchema(CreateDatasetBodySchema)?.fragment ?? {});

/**
 * Body of `POST /datasets`, keyed by `source`: an inline CSV or XLSX file (`source` absent or "file"), or the
 * built-in market universe (`source: "market-universe"`).
 */
export const CreateDatasetRequestSchema = z.discriminatedUnion('source', [
  FileDatasetBodySchema,
  MarketUniverseBodySchema,
]);
export type CreateDatasetRequest = z.infer<typeof CreateDatasetRequestSchema>;
