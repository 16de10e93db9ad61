import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export const TEST_ISSUER = 'https://issuer.unit-test.localhost';
export const TEST_CLIENT_ID = 'kupala-unit-test';

export interface TestIssuer {
  jwks: { keys: JWK[] };
  /** A valid access token (RS256, 10 minutes) for `sub`, shaped like a Cognito access token. */
  sign: (sub: string) => Promise<string>;
}

/**
 * An in-memory issuer for unit tests: it points the real verifier (AUTH_* variables) at fresh keys, so
 * handler tests exercise the real authentication instead of mocking it.
 */
export const useTestIssuer = async (): Promise<TestIssuer> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'unit-test', alg: 'RS256', use: 'sig' }] };
  process.env.AUTH_LOCAL_ISSUER = TEST_ISSUER;
  process.env.AUTH_CLIENT_ID = TEST_CLIENT_ID;
  process.env.AUTH_LOCAL_JWKS = JSON.stringify(jwks);
  return {
    jwks,
    sign: (sub) =>
      new SignJWT({ token_use: 'access', client_id: TEST_CLIENT_ID })
        .setProtectedHeader({ alg: 'RS256', kid: 'unit-test' })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_CLIENT_ID)
        .setSubject(sub)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
};
