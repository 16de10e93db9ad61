import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { credentialsKeyringFromEnvironment } from '../../services/trades/src/adapters/credentials-keyring';
import { type CfnResource, REPO_ROOT, SERVICE_NAMES } from '../support/packaged-services';

// planted by tests/support/package-deployable-stage.mjs, which `pnpm run package:test` runs first
const PLANTED_ISSUER = 'https://planted-local-issuer.invalid';
const PLANTED_KID = 'planted-local-key';
const PLANTED_LOCAL_ENDPOINTS = [
  'http://127.0.0.1:4302',
  'http://127.0.0.1:8000',
  'http://127.0.0.1:9000',
  ':4999',
];
const DEPLOYABLE_STAGE = 'prod';
const PLANTED_CREDENTIALS_KEY = 'cGxhbnRlZC1sb2NhbC1jcmVkZW50aWFscy1rZXkhISE=';

interface CompiledStage {
  service: string;
  text: string;
  functions: [string, Record<string, unknown>][];
}

const compiled: CompiledStage[] = SERVICE_NAMES.map((service) => {
  const templatePath = path.join(
    REPO_ROOT,
    'services',
    service,
    '.serverless-prod',
    'cloudformation-template-update-stack.json',
  );
  if (!existsSync(templatePath))
    throw new Error(`${templatePath} is missing: run \`pnpm run package:test\` first`);
  const text = readFileSync(templatePath, 'utf8');
  const resources = JSON.parse(text).Resources as Record<string, CfnResource>;
  const functions = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([id, resource]): [string, Record<string, unknown>] => [
      id,
      ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ??
        {}) as Record<string, unknown>,
    ]);
  return { service, text, functions };
});

describe(`a deployable stage (${DEPLOYABLE_STAGE}) never trusts the local token issuer`, () => {
  it('compiled every service with functions (guard against an empty sweep)', () => {
    expect(compiled.map((stage) => stage.service)).toEqual([...SERVICE_NAMES]);
    for (const stage of compiled) expect(stage.functions.length).toBeGreaterThan(0);
  });

  it('no function carries local issuer settings, though the packaging shell held them', () => {
    for (const stage of compiled) {
      for (const [id, variables] of stage.functions) {
        for (const name of ['AUTH_LOCAL_ISSUER', 'AUTH_LOCAL_JWKS']) {
          expect({ fn: `${stage.service}/${id}`, name, value: variables[name] ?? '' }).toEqual({
            fn: `${stage.service}/${id}`,
            name,
            value: '',
          });
        }
        expect({ fn: `${stage.service}/${id}`, stage: variables.STAGE }).toEqual({
          fn: `${stage.service}/${id}`,
          stage: DEPLOYABLE_STAGE,
        });
      }
    }
  });

  it('every function logs at the reviewed level (INFO), though the packaging shell held LOG_LEVEL=DEBUG', () => {
    for (const stage of compiled) {
      for (const [id, variables] of stage.functions) {
        expect({ fn: `${stage.service}/${id}`, level: variables.POWERTOOLS_LOG_LEVEL }).toEqual({
          fn: `${stage.service}/${id}`,
          level: 'INFO',
        });
      }
    }
  });

  it('no function carries any other local-only setting: offline flags, local endpoints, test keys, simulated data', () => {
    const localOnlyName = /(^|_)(LOCAL|OFFLINE|TEST)(_|$)|^AWS_ENDPOINT_URL|^IS_OFFLINE$/;
    const localOnlyValue =
      /localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|http:\/\/|\.invalid|BEGIN [A-Z ]*PRIVATE KEY|"kty"|simulated|planted/i;
    let checked = 0;
    for (const stage of compiled) {
      for (const [id, variables] of stage.functions) {
        for (const [name, value] of Object.entries(variables)) {
          const text = typeof value === 'string' ? value : JSON.stringify(value);
          const label = `${stage.service}/${id} ${name}`;
          if (localOnlyName.test(name)) expect({ label, text }).toEqual({ label, text: '' });
          expect({ label, text }).toEqual({ label, text: expect.not.stringMatching(localOnlyValue) });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the planted values appear nowhere in any compiled template', () => {
    for (const stage of compiled) {
      expect(stage.text).not.toContain(PLANTED_ISSUER);
      expect(stage.text).not.toContain(PLANTED_KID);
      for (const endpoint of PLANTED_LOCAL_ENDPOINTS) expect(stage.text).not.toContain(endpoint);
    }
  });
});

describe(`a deployable stage (${DEPLOYABLE_STAGE}) never seals credentials with the local raw AES key`, () => {
  const functionsWithCredentials = compiled.flatMap((stage) =>
    stage.functions
      .filter(([, variables]) => 'CREDENTIALS_TABLE' in variables)
      .map(([id, variables]) => ({ id, variables })),
  );

  it('no function carries a local credentials key, and the planted one is nowhere in any template', () => {
    expect(functionsWithCredentials.length).toBeGreaterThanOrEqual(3);
    for (const stage of compiled) {
      expect(stage.text).not.toContain(PLANTED_CREDENTIALS_KEY);
      for (const [id, variables] of stage.functions)
        expect({ fn: `${stage.service}/${id}`, key: variables.CREDENTIALS_LOCAL_KEY ?? '' }).toEqual({
          fn: `${stage.service}/${id}`,
          key: '',
        });
    }
  });

  it("the function that encrypts selects the stack's KMS keyring with its compiled configuration", () => {
    const encrypting = functionsWithCredentials.filter(({ variables }) => 'CREDENTIALS_KEY_ARN' in variables);
    expect(encrypting.map(({ id }) => id)).toEqual(['PutCredentialLambdaFunction']);
    const saved = { ...process.env };
    try {
      for (const { variables } of encrypting) {
        expect(variables.CREDENTIALS_KEY_ARN).toEqual({ 'Fn::GetAtt': ['CredentialsKey', 'Arn'] });
        // the compiled variables as Lambda would see them, the key ARN as CloudFormation resolves it
        for (const [name, value] of Object.entries(variables))
          process.env[name] =
            typeof value === 'string' ? value : 'arn:aws:kms:eu-west-1:111122223333:key/resolved';
        expect(credentialsKeyringFromEnvironment().constructor.name).toBe('KmsKeyringNode');
        // and even a local key set by hand afterwards is refused on this stage, never used
        process.env.CREDENTIALS_LOCAL_KEY = PLANTED_CREDENTIALS_KEY;
        expect(() => credentialsKeyringFromEnvironment()).toThrow(/only local, test may use one/);
      }
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});
