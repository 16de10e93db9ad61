import { REDACTED, redactSecrets } from './logging';

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
});
