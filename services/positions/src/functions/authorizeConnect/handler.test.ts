import {
  hmacWithPublicKeyToken,
  type TestIssuer,
  tamperedToken,
  unsignedToken,
  useTestIssuer,
} from '@kupala/trade-model/testing';
import { main } from './handler';

const SUB = '11111111-2222-3333-4444-555555555555';
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:abcdef/test/$connect';
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await useTestIssuer();
});

const authorize = (token: string | undefined) =>
  main({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    queryStringParameters: token === undefined ? {} : { token },
  });

describe('$connect authorizer: the same verifier as the HTTP routes', () => {
  it('allows a valid access token on this route only, with the sub as principal and context', async () => {
    const result = await authorize(await issuer.sign(SUB));
    expect(result).toEqual({
      principalId: SUB,
      context: { sub: SUB },
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }],
      },
    });
  });

  it.each([
    ['no token', async () => undefined],
    ['a token signed by another key', async () => issuer.sign(SUB, {}, { key: issuer.strangerKey })],
    ['an expired token', async () => issuer.sign(SUB, {}, { expiresIn: -120 })],
    ['a token without exp', async () => issuer.sign(SUB, {}, { expiresIn: null })],
    ['a token that is not valid yet', async () => issuer.sign(SUB, {}, { notBefore: 600 })],
    ['another issuer', async () => issuer.sign(SUB, {}, { issuer: 'https://evil.example' })],
    ['another app client', async () => issuer.sign(SUB, {}, { audience: 'other-client' })],
    ['an id token', async () => issuer.sign(SUB, { token_use: 'id' })],
    ['alg none', async () => unsignedToken(SUB)],
    ['HS256 signed with the public key', async () => hmacWithPublicKeyToken(issuer.publicJwk, SUB)],
    ['a tampered payload', async () => tamperedToken(await issuer.sign(SUB), 'someone-else')],
    ['an unknown key id', async () => issuer.sign(SUB, {}, { kid: 'rotated-away' })],
  ])('denies %s (a policy, never a throw: 403 in AWS and offline alike)', async (_case, makeToken) => {
    const result = await authorize(await makeToken());
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN },
    ]);
    expect(result.context).toBeUndefined();
  });
});
