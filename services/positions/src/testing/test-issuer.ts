import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const TEST_ISSUER = 'https://issuer.positions.test.localhost';
export const TEST_CLIENT_ID = 'kupala-positions-test';

export interface SignOptions {
  key?: PrivateKey;
  issuer?: string;
  /** Seconds from now; null leaves `exp` out. */
  expiresIn?: number | null;
}

/** A local RS256 issuer whose public key the real verifier preloads (AUTH_LOCAL_JWKS), as in `dev`. */
export interface TestIssuer {
  sign(sub: string, claims?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A key the verifier has never seen, for forged tokens. */
  strangerKey: PrivateKey;
}

const KID = 'positions-test-key';
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Generates the key pairs and points AUTH_LOCAL_ISSUER / AUTH_LOCAL_JWKS / AUTH_CLIENT_ID at them. */
export const startTestIssuer = async (): Promise<TestIssuer> => {
  const pair = await generateKeyPair('RS256');
  const stranger = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  process.env.AUTH_LOCAL_ISSUER = TEST_ISSUER;
  process.env.AUTH_CLIENT_ID = TEST_CLIENT_ID;
  process.env.AUTH_LOCAL_JWKS = JSON.stringify({ keys: [jwk] });
  return {
    strangerKey: stranger.privateKey,
    sign: (sub, claims = {}, options = {}) => {
      const jwt = new SignJWT({ token_use: 'access', client_id: TEST_CLIENT_ID, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setIssuer(options.issuer ?? TEST_ISSUER)
        .setAudience(TEST_CLIENT_ID)
        .setSubject(sub)
        .setIssuedAt();
      if (options.expiresIn !== null) jwt.setExpirationTime(nowSeconds() + (options.expiresIn ?? 600));
      return jwt.sign(options.key ?? pair.privateKey);
    },
  };
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`) that claims to be `sub`. */
export const unsignedToken = (sub: string): string =>
  `${base64url({ alg: 'none', kid: KID, typ: 'JWT' })}.${base64url({
    iss: TEST_ISSUER,
    aud: TEST_CLIENT_ID,
    sub,
    token_use: 'access',
    exp: nowSeconds() + 600,
  })}.`;

/** A genuine token whose payload was swapped for one naming `sub`, original signature kept. */
export const tamperedToken = (genuine: string, sub: string): string => {
  const [header, , signature] = genuine.split('.');
  const payload = base64url({
    iss: TEST_ISSUER,
    aud: TEST_CLIENT_ID,
    sub,
    token_use: 'access',
    exp: nowSeconds() + 600,
  });
  return `${header}.${payload}.${signature}`;
};
