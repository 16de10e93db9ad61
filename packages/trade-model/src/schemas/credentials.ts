import * as z from '../zod';
import { documentedAs, documentedWith } from './json-schema';
import { hasControlCharacters, TimestampSchema } from './primitives';

/** The most fields one provider's credentials may have (an API key, a secret, an account id, …). */
export const MAX_CREDENTIAL_FIELDS = 10;
/** The longest secret value, in characters (code points). */
export const MAX_CREDENTIAL_VALUE_LENGTH = 4096;
/**
 * A PUT body at its largest: 10 fields × (a 64-character name + 4096 characters, each at most 6 bytes as a JSON
 * `\uXXXX` escape) ≈ 246 KB, under this bound, so a valid body is never refused as too large.
 */
export const MAX_PUT_CREDENTIAL_BODY_BYTES = 256 * 1024;

/**
 * A provider's id: 1–32 lower-case letters, digits or hyphens, starting with a letter or digit, e.g. `ibkr`,
 * `alpha-vantage`. Free-form rather than an enum: the broker and data-provider list grows without an API change.
 */
export const ProviderSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or -'));

/** A field name: a letter, then up to 63 letters, digits, `_`, `.` or `-` (e.g. `apiKey`, `account_id`). */
export const CredentialFieldNameSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'must be a letter then up to 63 letters, digits, _ . or -'),
  );

/** A secret value: 1 to 4096 characters, no control characters but tab, line feed and carriage return (a PEM key). */
export const CredentialValueSchema = documentedAs(
  z.string().check(
    z.refine(
      (value) => value.length > 0 && [...value].length <= MAX_CREDENTIAL_VALUE_LENGTH,
      `must be 1 to ${MAX_CREDENTIAL_VALUE_LENGTH} characters`,
    ),
    z.refine((value) => !hasControlCharacters(value), 'must not contain control characters'),
  ),
  {
    type: 'string',
    minLength: 1,
    maxLength: MAX_CREDENTIAL_VALUE_LENGTH,
    pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]+$',
    description: `A secret of 1 to ${MAX_CREDENTIAL_VALUE_LENGTH} characters without control characters (tab, line feed and carriage return are allowed); write-only: never answered back`,
  },
);

export const CredentialPathSchema = z.strictObject({ provider: ProviderSchema });

/** `PUT /credentials/{provider}`: the whole set of secret fields, replacing any stored before. Example: `{"fields":{"apiKey":"AKIA…","secret":"…"}}`. */
export const PutCredentialBodySchema = z.strictObject({
  fields: documentedWith(
    z
      .record(CredentialFieldNameSchema, CredentialValueSchema)
      .check(
        z.refine(
          (fields) => Object.keys(fields).length >= 1 && Object.keys(fields).length <= MAX_CREDENTIAL_FIELDS,
          `must have 1 to ${MAX_CREDENTIAL_FIELDS} fields`,
        ),
      ),
    { minProperties: 1, maxProperties: MAX_CREDENTIAL_FIELDS },
  ),
});
export type PutCredentialBody = z.infer<typeof PutCredentialBodySchema>;

/** A masked value: `••••` and at most the last 4 characters (none for a short secret). */
export const MaskedValueSchema = z.string().check(z.maxLength(8));

/** What `GET /credentials` shows of one provider's credentials. Example: `{"provider":"ibkr","fields":{"token":"••••1234"},"updatedAt":"2026-01-02T10:00:00.000Z"}`. */
export const CredentialSummarySchema = z.strictObject({
  provider: ProviderSchema,
  fields: documentedWith(z.record(CredentialFieldNameSchema, MaskedValueSchema), {
    maxProperties: MAX_CREDENTIAL_FIELDS,
  }),
  updatedAt: TimestampSchema,
});
export type CredentialSummary = z.infer<typeof CredentialSummarySchema>;
