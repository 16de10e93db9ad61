import * as z from '../zod';
import { documentedAs, documentedWith } from './json-schema';

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNPROCESSABLE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * Every error response. Example: `{"error":{"code":"VALIDATION_FAILED","message":"Request is invalid",
 * "details":[{"path":"trades.0.price","message":"must not be negative"}]}}`.
 */
export const ErrorBodySchema = z.strictObject({
  error: z.strictObject({
    code: ErrorCodeSchema,
    message: z.string(),
    details: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;
/** The longest cursor: a valid one always fits in a URL with room to spare (no 414/431 on the way in). */
export const MAX_CURSOR_LENGTH = 1024;

/** `?limit=`: 1 to 500, default 50. */
export const LimitSchema = documentedAs(
  z.string().check(
    z.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`),
    z.refine((value) => Number(value) >= 1 && Number(value) <= MAX_PAGE_LIMIT, {
      message: `must be a whole number from 1 to ${MAX_PAGE_LIMIT}`,
    }),
  ),
  {
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: `Page size, a whole number from 1 to ${MAX_PAGE_LIMIT} written in decimal digits (default ${DEFAULT_PAGE_LIMIT})`,
  },
);
/** Opaque continuation token from a previous page's `nextCursor`. */
export const CursorSchema = documentedWith(
  z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(MAX_CURSOR_LENGTH),
      z.regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor'),
    ),
  {
    description:
      'Opaque: only a `nextCursor` this same query answered; any other value answers 400: is not a valid cursor for this query.',
  },
);

export const PaginationQuerySchema = z.strictObject({
  limit: z.optional(LimitSchema),
  cursor: z.optional(CursorSchema),
});

/** Every list: `{"items":[…],"nextCursor":"…"|null}`. */
export const pageOf = <T extends z.core.SomeType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const HealthSchema = z.strictObject({ status: z.literal('ok') });
