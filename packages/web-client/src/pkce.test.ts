import { createHash } from 'node:crypto';
import { authorizeUrl, base64Url, codeChallenge, randomToken, readRedirect, tokenRequest } from './pkce';

// RFC 7636 Appendix B: these 32 octets give this verifier, whose S256 challenge is the one below
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
  240, 91, 88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const RFC_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const sha256 = async (data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> => {
  const digest = createHash('sha256').update(data).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.length) as ArrayBuffer;
};
const AUTH = { domain: 'https://kupala-prod.auth.eu-west-1.amazoncognito.com/', clientId: 'client123' };

describe('PKCE (RFC 7636, S256)', () => {
  it("matches the RFC's worked example", async () => {
    const verifier = randomToken(() => new Uint8Array(RFC_OCTETS));
    expect(verifier).toBe(RFC_VERIFIER);
    await expect(codeChallenge(verifier, sha256)).resolves.toBe(RFC_CHALLENGE);
  });

  it('encodes base64url without padding, - and _ for + and /', () => {
    // 0xfb 0xff -> standard "+/8=" -> "-_8"
    expect(base64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(randomToken(() => new Uint8Array(32))).toHaveLength(43);
  });

  it('asks the hosted UI for a code with the challenge and state, and trades it with the verifier', () => {
    const url = new URL(authorizeUrl(AUTH, 'https://d1.cloudfront.net/', RFC_CHALLENGE, 'st4te'));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://kupala-prod.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d1.cloudfront.net/',
      scope: 'openid',
      state: 'st4te',
      code_challenge: RFC_CHALLENGE,
      code_challenge_method: 'S256',
    });
    const request = tokenRequest(AUTH, 'https://d1.cloudfront.net/', 'the-code', RFC_VERIFIER);
    expect(request.url).toBe('https://kupala-prod.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'client123',
      code: 'the-code',
      redirect_uri: 'https://d1.cloudfront.net/',
      code_verifier: RFC_VERIFIER,
    });
    // a public client: no secret is ever sent
    expect(request.body).not.toContain('secret');
  });

  it('exchanges only a redirect carrying the state this tab stored', () => {
    expect(readRedirect('', 'st4te')).toBeUndefined();
    expect(readRedirect('?foo=1', 'st4te')).toBeUndefined();
    expect(readRedirect('?code=abc&state=st4te', 'st4te')).toEqual({ code: 'abc' });
    expect(readRedirect('?code=abc&state=other', 'st4te')).toEqual({
      error: 'The sign-in answer does not match this tab (state). Sign in again.',
    });
    expect(readRedirect('?code=abc&state=st4te', null)).toHaveProperty('error');
    expect(readRedirect('?error=access_denied&error_description=Nope&state=st4te', 'st4te')).toEqual({
      error: 'Sign-in failed: Nope',
    });
  });
});
