import fc from 'fast-check';
import {
  CredentialContextMismatchError,
  type CredentialDecryptor,
  MASK,
  maskFields,
  maskSecret,
  openCredential,
  requireContext,
} from './credentials';

describe('maskSecret: never the whole secret, at most its last 4 characters', () => {
  it.each([
    // under 12 characters nothing shows: a PIN or a short password is never revealed
    ['1', '••••'],
    ['4711', '••••'],
    ['abcdefghijk', '••••'], // 11
    // 12–15: floor(length / 4) = 3 characters
    ['abcdefghijkl', '••••jkl'], // 12
    ['abcdefghijklmno', '••••mno'], // 15
    // from 16 on: the last 4
    ['abcdefghijklmnop', '••••mnop'], // 16
    ['AKIAIOSFODNN7EXAMPLEwJalrXUtnFEMI1234', '••••1234'],
  ])('%s → %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });

  it('counts characters, not UTF-16 units: 16 emoji show their last 4, never half a character', () => {
    // 12 + 4 = 16 characters (32 UTF-16 units)
    expect(maskSecret('😀'.repeat(12) + '🔑🔒🔓🗝')).toBe('••••🔑🔒🔓🗝');
    expect(maskSecret('😀'.repeat(6))).toBe(MASK); // 6 characters (12 UTF-16 units): nothing shows
  });

  it('property: shows a suffix of at most a quarter of the secret, capped at 4, behind a fixed mask', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 80 }), (secret) => {
        const masked = maskSecret(secret);
        const shown = [...masked.slice(MASK.length)];
        expect(masked.startsWith(MASK)).toBe(true);
        expect(secret.endsWith(shown.join(''))).toBe(true);
        expect(shown.length).toBeLessThanOrEqual(Math.min(4, Math.floor([...secret].length / 4)));
      }),
    );
  });

  it('masks every field by name', () => {
    expect(maskFields({ apiKey: 'abcdefghijklmnop', pin: '4711' })).toEqual({
      apiKey: '••••mnop',
      pin: '••••',
    });
  });
});

describe('requireContext: the context of a decrypted message must be exactly the expected one', () => {
  const expected = { userId: 'alice', provider: 'ibkr' };

  it("accepts the expected pair, with the SDK's own signing key alongside", () => {
    expect(() => requireContext({ userId: 'alice', provider: 'ibkr' }, expected)).not.toThrow();
    expect(() =>
      requireContext({ userId: 'alice', provider: 'ibkr', 'aws-crypto-public-key': 'A7zT…' }, expected),
    ).not.toThrow();
  });

  it.each([
    ['another user', { userId: 'mallory', provider: 'ibkr' }],
    ['another provider', { userId: 'alice', provider: 'schwab' }],
    ['no provider', { userId: 'alice' }],
    ['no context at all', {}],
    ['an extra key', { userId: 'alice', provider: 'ibkr', purpose: 'other' }],
    ['the values swapped', { userId: 'ibkr', provider: 'alice' }],
  ])('refuses %s', (_case, actual: Record<string, string>) => {
    expect(() => requireContext(actual, expected)).toThrow(CredentialContextMismatchError);
  });
});

describe('openCredential', () => {
  const decryptorAnswering = (context: Record<string, string>): CredentialDecryptor => ({
    decrypt: async () => ({ plaintext: new TextEncoder().encode('{"apiKey":"s3cr3t-value"}'), context }),
  });

  it('returns the fields when the message is bound to this user and provider', async () => {
    const fields = await openCredential(
      decryptorAnswering({ userId: 'alice', provider: 'ibkr' }),
      { userId: 'alice', provider: 'ibkr' },
      new Uint8Array([1]),
    );
    expect(fields).toEqual({ apiKey: 's3cr3t-value' });
  });

  it('refuses a message bound to someone else, and its error never carries the plaintext', async () => {
    const opening = openCredential(
      decryptorAnswering({ userId: 'alice', provider: 'ibkr' }),
      { userId: 'mallory', provider: 'ibkr' },
      new Uint8Array([1]),
    );
    await expect(opening).rejects.toThrow(CredentialContextMismatchError);
    const error: unknown = await opening.catch((caught: unknown) => caught);
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
      's3cr3t',
    );
  });
});
