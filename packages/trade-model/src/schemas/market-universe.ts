import * as z from '../zod';
import { CreateDatasetBodySchema } from './dataset';
import { SymbolSchema } from './instrument';
import { documentedJsonSchema, documentedWith } from './json-schema';
import { boundedText } from './primitives';

/** Most symbols one market-universe dataset covers (named in `symbols`, or on the feed's refresh list). */
export const MAX_UNIVERSE_SYMBOLS = 100;
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
 * Without `symbols` it covers every symbol on the feed's refresh list. Example:
 * `{"name":"Universe","source":"market-universe","symbols":["AAPL","MSFT"]}`.
 */
export const MarketUniverseBodySchema = z.strictObject({
  name: boundedText(100),
  source: z.literal('market-universe'),
  symbols: z.optional(
    documentedWith(z.array(UniverseSymbolSchema).check(z.minLength(1), z.maxLength(MAX_UNIVERSE_SYMBOLS)), {
      description:
        'The symbols to cover, 1 to 100, case-insensitive (a repeat counts once). Without it: every symbol the ' +
        "feed keeps current (market-data's refresh list), refused with 422 when that list holds more than 100.",
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
