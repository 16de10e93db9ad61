import { useTestIssuer } from '../testing';
import { buildAccessTokenVerifier, LocalIssuerOnDeployedStageError } from './auth';

describe('the local issuer is trusted only on the local and test stages', () => {
  const saved = process.env.STAGE;
  afterEach(() => {
    process.env.STAGE = saved;
  });

  it.each(['prod', 'dev', 'private-acme', ''])(
    'refuses to build a verifier from local keys on stage "%s"',
    async (stage) => {
      const issuer = await useTestIssuer();
      const token = await issuer.sign('11111111-2222-3333-4444-555555555555');
      process.env.STAGE = stage;
      expect(() => buildAccessTokenVerifier()).toThrow(LocalIssuerOnDeployedStageError);
      // the same token is fine where local keys belong: the refusal is the stage's doing
      process.env.STAGE = 'test';
      await expect(buildAccessTokenVerifier()(token)).resolves.toMatchObject({
        sub: '11111111-2222-3333-4444-555555555555',
      });
    },
  );

  it.each(['local', 'test'])('accepts local keys on stage "%s"', async (stage) => {
    const issuer = await useTestIssuer();
    process.env.STAGE = stage;
    const verify = buildAccessTokenVerifier();
    await expect(verify(await issuer.sign('abc-123'))).resolves.toMatchObject({ sub: 'abc-123' });
  });
});
