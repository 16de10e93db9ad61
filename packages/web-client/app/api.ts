/** The HTTP API as the SPA calls it: bearer token, JSON in and out, errors kept with their status and body. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    const message =
      typeof body === 'object' && body !== null && 'error' in body
        ? String((body as { error: { message?: unknown } }).error.message)
        : `HTTP ${status}`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

export interface Api {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** A GET whose answer is a file (CSV, JSON, XLSX): its bytes, for a download the browser saves. */
  download(path: string): Promise<Blob>;
}

const parseBody = (text: string): unknown => {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text; // not JSON: keep the text
  }
};

export const createApi = (baseUrl: string, token: string, onUnauthorized: () => void): Api => {
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw new ApiError(response.status, parseBody(await response.text()));
    return response;
  };
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      return parseBody(await (await call(method, path, body)).text()) as T;
    },
    async download(path: string): Promise<Blob> {
      return (await call('GET', path)).blob();
    },
  };
};

/** An API error as one line: its message, then each validation detail as `path: message`. */
export const describeApiError = (error: unknown): string => {
  if (!(error instanceof ApiError)) return 'The API cannot be reached.';
  const body = error.body as { error?: { details?: { path: string; message: string }[] } } | undefined;
  const details = body?.error?.details?.map((detail) => `${detail.path}: ${detail.message}`) ?? [];
  return [error.message, ...details].join(' · ');
};

/** Query string of the filters that have a value. */
export const query = (params: Record<string, string | undefined>): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};
