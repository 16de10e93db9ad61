import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { localStateDir } from './workspace';

/** Issuer and client id the services' verifier expects locally (AUTH_LOCAL_ISSUER, AUTH_CLIENT_ID). */
export const LOCAL_ISSUER = 'https://issuer.kupala.localhost';
export const LOCAL_CLIENT_ID = 'kupala-local';

const SIGNING_KEY_FILE = 'signing-key.jwk.json';
const ALGORITHM = 'RS256';

export interface PublicJwks {
  keys: (JWK & { kid: string; alg: typeof ALGORITHM; use: 'sig' })[];
}

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  token_use: 'access';
  username: string;
  iat: number;
  exp: number;
  jti: string;
}

export interface LocalIssuer {
  readonly directory: string;
  readonly kid: string;
  readonly publicJwks: PublicJwks;
  /** A Cognito-shaped access token for the local user `username` (RS256, default one hour). */
  signAccessToken(username: string, options?: { expiresInSeconds?: number }): Promise<string>;
}

/** Where `dev` and `token` keep the local key pair: $KUPALA_ISSUER_DIR, else <state dir>/issuer. */
export const defaultIssuerDir = (env: NodeJS.ProcessEnv = process.env): string => {
  const explicit = env.KUPALA_ISSUER_DIR;
  if (explicit !== undefined && explicit !== '') return explicit;
  const state = env.KUPALA_STATE_DIR;
  return join(state !== undefined && state !== '' ? state : localStateDir(), 'issuer');
};

/**
 * The stable user id of a local username: sha256("kupala-local:" + username) laid out as an RFC 9562
 * version-8 (custom) UUID, so `token alice` always maps to the same owner.
 */
export const localSubFor = (username: string): string => {
  const bytes = createHash('sha256').update(`kupala-local:${username}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const assertUsername = (username: string): void => {
  if (username.trim() === '' || username.length > 128 || /[\s\p{Cc}]/u.test(username)) {
    throw new Error(`Invalid local username ${JSON.stringify(username)}: 1-128 characters, no whitespace`);
  }
};

const isStoredKey = (value: unknown): value is JWK & { kid: string } =>
  typeof value === 'object' &&
  value !== null &&
  (value as JWK).kty === 'RSA' &&
  typeof (value as JWK).d === 'string' &&
  typeof (value as JWK).kid === 'string';

const createSigningKey = async (file: string): Promise<void> => {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e });
  const staged = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(staged, `${JSON.stringify({ ...jwk, kid, alg: ALGORITHM, use: 'sig' }, null, 2)}\n`, {
    mode: 0o600,
  });
  try {
    // link() never replaces: when two processes race, the first key wins and both use it.
    await link(staged, file);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(staged, { force: true });
  }
};

/** Loads the issuer's RS256 key pair from `dir`, generating and storing it on first use. */
export const loadOrCreateLocalIssuer = async (dir: string = defaultIssuerDir()): Promise<LocalIssuer> => {
  const file = join(dir, SIGNING_KEY_FILE);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await createSigningKey(file);
  }
  const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isStoredKey(stored))
    throw new Error(`${file} is not an RSA private JWK with a kid; delete it to regenerate`);
  const { kid } = stored;
  const privateKey = await importJWK(stored, ALGORITHM);
  const publicJwks: PublicJwks = {
    keys: [{ kty: 'RSA', n: stored.n, e: stored.e, kid, alg: ALGORITHM, use: 'sig' }],
  };
  return {
    directory: dir,
    kid,
    publicJwks,
    signAccessToken: async (username, { expiresInSeconds = 3600 } = {}) => {
      assertUsername(username);
      const iat = Math.floor(Date.now() / 1000);
      const claims: AccessTokenClaims = {
        iss: LOCAL_ISSUER,
        sub: localSubFor(username),
        aud: LOCAL_CLIENT_ID,
        client_id: LOCAL_CLIENT_ID,
        token_use: 'access',
        username,
        iat,
        exp: iat + expiresInSeconds,
        jti: randomUUID(),
      };
      return new SignJWT({ ...claims }).setProtectedHeader({ alg: ALGORITHM, kid }).sign(privateKey);
    },
  };
};

/** The AUTH_* variables every process that runs handlers needs to verify local tokens. */
export const localAuthEnvironment = (issuer: LocalIssuer): Record<string, string> => ({
  AUTH_LOCAL_ISSUER: LOCAL_ISSUER,
  AUTH_LOCAL_JWKS: JSON.stringify(issuer.publicJwks),
  AUTH_CLIENT_ID: LOCAL_CLIENT_ID,
});
