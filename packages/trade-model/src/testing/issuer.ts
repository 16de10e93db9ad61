import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const TEST_ISSUER = 'https://issuer.unit-test.localhost';
export const TEST_CLIENT_ID = 'kupala-unit-test';
const KID = 'unit-test';
const nowSeconds = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const accessClaims = (sub: string) => ({
  iss: TEST_ISSUER,
  aud: TEST_CLIENT_ID,
  sub,
  token_use: 'access',
  exp: nowSeconds() + 600,
});

export interface SignOptions {
  /** Another key than the trusted one (a forged token). */
  key?: PrivateKey;
  issuer?: string;
  /** Seconds from now (negative: already expired); null leaves `exp` out. */
  expiresIn?: number | null;
  /** `aud` and `client_id` of another app client. */
  audience?: string;
  /** A key id the JWKS does not have. */
  kid?: string;
  /** `nbf`, seconds from now (positive: not yet valid). */
  notBefore?: number;
}

export interface TestIssuer {
  /** An RS256 access token for `sub`, shaped like a Cognito access token; `claims` override or add. */
  sign(sub: string, claims?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A key the verifier has never seen, for forged tokens. */
  strangerKey: PrivateKey;
  /** The trusted public key as the JWKS serves it (what an algorithm-confusion attack signs with). */
  publicJwk: JWK;
}

/**
 * An in-memory issuer for unit tests: it points the real verifier (AUTH_* variables) at fresh keys, so
 * handler tests exercise the real authentication instead of mocking it.
 */
export const useTestIssuer = async (): Promise<TestIssuer> => {
  const trusted = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(trusted.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  // the verifier trusts preloaded local keys only on the stages that run on one machine
  process.env.STAGE = 'test';
  process.env.AUTH_LOCAL_ISSUER = TEST_ISSUER;
  process.env.AUTH_CLIENT_ID = TEST_CLIENT_ID;
  process.env.AUTH_LOCAL_JWKS = JSON.stringify({ keys: [jwk] });
  return {
    strangerKey: stranger.privateKey,
    publicJwk: jwk,
    sign: (sub, claims = {}, options = {}) => {
      const audience = options.audience ?? TEST_CLIENT_ID;
      const jwt = new SignJWT({ token_use: 'access', client_id: audience, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID })
        .setIssuer(options.issuer ?? TEST_ISSUER)
        .setAudience(audience)
        .setSubject(sub)
        .setIssuedAt();
      if (options.expiresIn !== null) jwt.setExpirationTime(nowSeconds() + (options.expiresIn ?? 600));
      if (options.notBefore !== undefined) jwt.setNotBefore(nowSeconds() + options.notBefore);
      return jwt.sign(options.key ?? trusted.privateKey);
    },
  };
};

/** An unsigned token (`alg: none`) that claims to be `sub`. */
export const unsignedToken = (sub: string): string =>
  `${base64url({ alg: 'none', kid: KID, typ: 'JWT' })}.${base64url(accessClaims(sub))}.`;

/**
 * Algorithm confusion: an HS256 token whose HMAC secret is the trusted RSA public key (PEM), which a verifier
 * that lets the token pick its algorithm would accept.
 */
export const hmacWithPublicKeyToken = (publicJwk: JWK, sub: string): string => {
  const pem = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const signingInput = `${base64url({ alg: 'HS256', kid: KID, typ: 'JWT' })}.${base64url(accessClaims(sub))}`;
  return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
};

/** A genuine token whose payload was swapped for one naming `sub`, original signature kept. */
export const tamperedToken = (genuine: string, sub: string): string => {
  const [header, , signature] = genuine.split('.');
  return `${header}.${base64url(accessClaims(sub))}.${signature}`;
};
