import { logger, REDACTED, redactSecrets, TRUNCATED } from './logging';

describe('redactSecrets', () => {
  it('removes secret-looking keys and JWTs at any depth, keeping the rest', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';
    const redacted = redactSecrets({
      method: 'GET',
      headers: { Authorization: `Bearer ${jwt}`, 'x-api-key': 'k-123', accept: 'application/json' },
      nested: [{ password: 'hunter2', note: `token was ${jwt}` }],
    });
    expect(redacted).toEqual({
      method: 'GET',
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, accept: 'application/json' },
      nested: [{ password: REDACTED, note: `token was ${REDACTED}` }],
    });
    expect(JSON.stringify(redacted)).not.toContain('hunter2');
  });

  it("redacts a credential's `fields` whatever their names, and only the key named exactly so", () => {
    const redacted = redactSecrets({
      body: { fields: { pin: '4711', account: 'U1234567' } },
      uploadFields: { key: 'imports/a/source' },
    });
    expect(redacted).toEqual({ body: { fields: REDACTED }, uploadFields: { key: 'imports/a/source' } });
  });

  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';

  it('redacts tokens inside an error message and stack, and keeps the cause chain (redacted too)', () => {
    const root = new Error(`upstream refused ${jwt}`);
    const error = new Error(`verify failed for ${jwt}`, { cause: root });
    const redacted = redactSecrets({ error }) as { error: Record<string, unknown> };
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(redacted.error.stack).toEqual(expect.stringContaining(`verify failed for ${REDACTED}`));
    expect(redacted.error.cause).toMatchObject({ message: `upstream refused ${REDACTED}` });
    expect(String((redacted.error.cause as { stack: string }).stack)).toContain('upstream refused');
  });

  it('never passes a deeply nested secret through: past the depth bound values are cut', () => {
    let nested: Record<string, unknown> = { apiKey: 'sk-live-123', note: jwt };
    for (let level = 0; level < 40; level += 1) nested = { level: nested };
    const text = JSON.stringify(redactSecrets(nested));
    expect(text).not.toContain('sk-live-123');
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(text).toContain(TRUNCATED);
  });

  it('survives a cycle', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'a', self: TRUNCATED });
  });

  it('keeps secrets out of the written log line (stack, cause, nested)', () => {
    const lines: string[] = [];
    // Powertools writes through its own Console on the process streams (errors to stderr)
    const spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }),
    );
    const level = logger.getLevelName();
    logger.setLogLevel('DEBUG');
    try {
      logger.error('failed', {
        error: new Error(`bad ${jwt}`, { cause: { headers: { authorization: `Bearer ${jwt}` } } }),
        deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: { password: 'hunter2' } } } } } } } } } },
      });
    } finally {
      logger.setLogLevel(level);
      for (const spy of spies) spy.mockRestore();
    }
    const written = lines.join('\n');
    expect(written).toContain('failed');
    expect(written).not.toContain('eyJhbGciOiJSUzI1NiJ9');
    expect(written).not.toContain('hunter2');
    expect(written).toContain('cause');
  });
});
