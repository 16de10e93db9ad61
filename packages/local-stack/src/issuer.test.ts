import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import {
  LOCAL_CLIENT_ID,
  LOCAL_ISSUER,
  type LocalIssuer,
  loadOrCreateLocalIssuer,
  localSubFor,
} from './issuer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const verifierFor = (issuer: LocalIssuer) => {
  // Configured exactly like the services' verifier (AUTH_LOCAL_ISSUER / AUTH_LOCAL_JWKS / AUTH_CLIENT_ID).
  const verifier = JwtRsaVerifier.create({
    issuer: LOCAL_ISSUER,
    audience: LOCAL_CLIENT_ID,
    jwksUri: 'https://issuer.kupala.localhost/.well-known/jwks.json',
  });
  verifier.cacheJwks(JSON.parse(JSON.stringify(issuer.publicJwks)));
  return verifier;
};

const segments = (token: string): [string, string, string] => {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
};

describe('local issuer', () => {
  let dir: string;
  let issuer: LocalIssuer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kupala-issuer-'));
    issuer = await loadOrCreateLocalIssuer(join(dir, 'issuer'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores the key pair privately and reloads the same key later', async () => {
    const file = join(dir, 'issuer', 'signing-key.jwk.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await loadOrCreateLocalIssuer(join(dir, 'issuer'));
    expect(again.kid).toBe(issuer.kid);
    expect(again.publicJwks).toEqual(issuer.publicJwks);
    expect(JSON.parse(await readFile(file, 'utf8')).kid).toBe(issuer.kid);
  });

  it('agrees on one key when several processes create it at once', async () => {
    const raced = join(dir, 'raced');
    const issuers = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateLocalIssuer(raced)));
    expect(new Set(issuers.map((candidate) => candidate.kid)).size).toBe(1);
  });

  it('publishes only the public key, with kid, alg RS256 and use sig', () => {
    expect(issuer.publicJwks.keys).toHaveLength(1);
    const [key] = issuer.publicJwks.keys;
    expect(key).toEqual({
      kty: 'RSA',
      n: expect.any(String),
      e: 'AQAB',
      kid: issuer.kid,
      alg: 'RS256',
      use: 'sig',
    });
    expect(key).not.toHaveProperty('d');
  });

  it('signs a Cognito-shaped access token that aws-jwt-verify accepts', async () => {
    const token = await issuer.signAccessToken('alice');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.kid });
    const payload = await verifierFor(issuer).verify(token);
    expect(payload).toEqual({
      iss: LOCAL_ISSUER,
      sub: localSubFor('alice'),
      aud: LOCAL_CLIENT_ID,
      client_id: LOCAL_CLIENT_ID,
      token_use: 'access',
      username: 'alice',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('maps a username to the same UUID-formatted sub every time, different users to different subs', () => {
    expect(localSubFor('alice')).toMatch(UUID);
    expect(localSubFor('alice')).toBe(localSubFor('alice'));
    expect(localSubFor('bob')).not.toBe(localSubFor('alice'));
  });

  it('honours expiresInSeconds and the verifier rejects an expired token', async () => {
    const token = await issuer.signAccessToken('alice', { expiresInSeconds: 1 });
    const payload = JSON.parse(Buffer.from(segments(token)[1], 'base64url').toString('utf8'));
    expect(payload.exp - payload.iat).toBe(1);
    await new Promise((resolveLater) => setTimeout(resolveLater, 2100));
    await expect(verifierFor(issuer).verify(token)).rejects.toThrow(/expired/i);
  });

  it('rejects a tampered payload', async () => {
    const [header, payload, signature] = segments(await issuer.signAccessToken('alice'));
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: localSubFor('mallory') })).toString(
      'base64url',
    );
    await expect(verifierFor(issuer).verify(`${header}.${forged}.${signature}`)).rejects.toThrow();
  });

  it('rejects a token signed by another key under the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const impostor = await new SignJWT({ token_use: 'access', client_id: LOCAL_CLIENT_ID, username: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: issuer.kid })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_CLIENT_ID)
      .setSubject(localSubFor('alice'))
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
    await expect(verifierFor(issuer).verify(impostor)).rejects.toThrow();
  });

  it('does not trust another issuer directory', async () => {
    const other = await loadOrCreateLocalIssuer(join(dir, 'other'));
    expect(other.kid).not.toBe(issuer.kid);
    await expect(verifierFor(issuer).verify(await other.signAccessToken('alice'))).rejects.toThrow();
  });

  it('refuses empty or whitespace usernames', async () => {
    await expect(issuer.signAccessToken('')).rejects.toThrow(/Invalid local username/);
    await expect(issuer.signAccessToken('a b')).rejects.toThrow(/Invalid local username/);
  });
});
