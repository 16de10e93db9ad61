import { type LocalIssuer, loadOrCreateLocalIssuer } from './issuer';

/**
 * Test helper: an access token for `username`, signed by the throwaway issuer the integration global
 * setup created (KUPALA_TEST_ISSUER_DIR), which the handlers under test trust through AUTH_LOCAL_JWKS.
 */
const issuers = new Map<string, Promise<LocalIssuer>>();

export const testIssuer = (): Promise<LocalIssuer> => {
  const dir = process.env.KUPALA_TEST_ISSUER_DIR;
  if (dir === undefined || dir === '') {
    throw new Error('KUPALA_TEST_ISSUER_DIR is not set: tokenFor() works in the Jest `integration` project');
  }
  let issuer = issuers.get(dir);
  if (issuer === undefined) {
    issuer = loadOrCreateLocalIssuer(dir);
    issuers.set(dir, issuer);
  }
  return issuer;
};

export const tokenFor = async (
  username: string,
  options: { expiresInSeconds?: number } = {},
): Promise<string> => (await testIssuer()).signAccessToken(username, options);
