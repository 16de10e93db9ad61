/** JSON calls to the local platform's HTTP API as one user, failing loudly on any non-2xx answer. */
export const localApi =
  (baseUrl: string, token: string) =>
  async (method: string, route: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
