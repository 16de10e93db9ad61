import type { ErrorCode } from '../schemas/api';

export interface ErrorDetail {
  path: string;
  message: string;
}

/** An error whose message is safe to show the caller; mapped to the contract's error body. */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: ErrorDetail[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details;
  }
  readonly details: ErrorDetail[] | undefined;
}

export class ValidationError extends HttpError {
  override readonly name = 'ValidationError';
  constructor(message: string, details: ErrorDetail[] = [], cause?: unknown) {
    super(400, 'VALIDATION_FAILED', message, { details, cause });
  }
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'A valid bearer token is required', cause?: unknown) {
    super(401, 'UNAUTHORIZED', message, { cause });
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';
  constructor(what = 'Resource') {
    super(404, 'NOT_FOUND', `${what} not found`);
  }
}

export class ConflictError extends HttpError {
  override readonly name = 'ConflictError';
  constructor(message: string, options: { cause?: unknown; details?: ErrorDetail[] } = {}) {
    super(409, 'CONFLICT', message, options);
  }
}

/** 422: the request is well-formed but what it asks for cannot be made from the data there is (the message says why). */
export class UnprocessableError extends HttpError {
  override readonly name = 'UnprocessableError';
  constructor(message: string, details: ErrorDetail[] = []) {
    super(422, 'UNPROCESSABLE', message, { details });
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor() {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', 'Request body must be JSON (Content-Type: application/json)');
  }
}

/**
 * 503: storage stayed busy (throttling, transaction conflicts) after every bounded retry. Nothing of the
 * request is visible, or a retry with the same Idempotency-Key finishes it; the message says which.
 */
export class ServiceUnavailableError extends HttpError {
  override readonly name: string = 'ServiceUnavailableError';
  constructor(message = 'The service is busy; retry shortly', options: { cause?: unknown } = {}) {
    super(503, 'SERVICE_UNAVAILABLE', message, options);
  }
}
