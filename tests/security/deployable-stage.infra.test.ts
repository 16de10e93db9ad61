import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type CfnResource, REPO_ROOT, SERVICE_NAMES } from '../support/packaged-services';

const run = promisify(execFile);
// what a careless deploying shell might still hold after `pnpm dev`: it must never reach a deployed function
const PLANTED_ISSUER = 'https://planted-local-issuer.invalid';
const PLANTED_JWKS = '{"keys":[{"kid":"planted-local-key"}]}';
const DEPLOYABLE_STAGE = 'prod';

interface CompiledStage {
  service: string;
  text: string;
  functions: [string, Record<string, unknown>][];
}

const compiled: CompiledStage[] = [];
const outDir = mkdtempSync(path.join(tmpdir(), 'kupala-prod-package-'));

beforeAll(async () => {
  for (const service of SERVICE_NAMES) {
    const target = path.join(outDir, service);
    await run('npx', ['serverless', 'package', '--stage', DEPLOYABLE_STAGE, '--package', target], {
      cwd: path.join(REPO_ROOT, 'services', service),
      env: { ...process.env, KUPALA_AUTH_LOCAL_ISSUER: PLANTED_ISSUER, KUPALA_AUTH_LOCAL_JWKS: PLANTED_JWKS },
      maxBuffer: 16 * 1024 * 1024,
    });
    const text = readFileSync(path.join(target, 'cloudformation-template-update-stack.json'), 'utf8');
    const resources = JSON.parse(text).Resources as Record<string, CfnResource>;
    const functions = Object.entries(resources)
      .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
      .map(([id, resource]): [string, Record<string, unknown>] => [
        id,
        ((resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables ?? {}) as Record<string, unknown>,
      ]);
    compiled.push({ service, text, functions });
  }
}, 600_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

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

  it('the planted values appear nowhere in any compiled template', () => {
    for (const stage of compiled) {
      expect(stage.text).not.toContain(PLANTED_ISSUER);
      expect(stage.text).not.toContain('planted-local-key');
    }
  });
});
