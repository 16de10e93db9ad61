import { execFileSync, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, SERVICE_NAMES } from '../support/packaged-services';

// Issue #8 item 6: .gitlab-ci.yml read as GitLab would (structure), then run through gitlab-ci-local (npm) in a
// scratch git repository: which jobs a change on a feature branch or on protected main starts, the GitLab JSON
// schema, the expanded preview, and one real job run with the shell executor (no Docker on these machines).

const CI_FILE = path.join(REPO_ROOT, '.gitlab-ci.yml');
const GITLAB_CI_LOCAL = path.join(REPO_ROOT, 'node_modules', '.bin', 'gitlab-ci-local');
const TIMEOUT_MS = 120_000;
const RSYNC_STAND_IN = [
  '#!/usr/bin/env bash',
  '# stand-in for rsync: the last argument is the destination; copy the tracked files there',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion, not a JS template
  'dest="${@: -1}"; mkdir -p "$dest"; git ls-files -z | xargs -0 -I{} cp --parents -a {} "$dest"',
  '',
].join('\n');

type Job = Record<string, unknown> & {
  stage?: string;
  script?: string[];
  before_script?: string[];
  rules?: { if?: string; changes?: string[] }[];
  environment?: { name: string };
  id_tokens?: Record<string, { aud: string }>;
  extends?: string;
};
const pipeline = parse(readFileSync(CI_FILE, 'utf8'), { merge: true }) as Record<string, Job> & {
  stages: string[];
};
const job = (name: string): Job => {
  const own = pipeline[name] ?? {};
  return own.extends === undefined ? own : { ...job(own.extends), ...own };
};
const scriptOf = (name: string) =>
  [...(job(name).before_script ?? []), ...(job(name).script ?? [])].flat().join('\n');

describe('.gitlab-ci.yml as written', () => {
  it('runs install -> verify -> package -> deploy, and the README test command exactly', () => {
    expect(pipeline.stages).toEqual(['install', 'verify', 'package', 'deploy']);
    expect(job('suite').script).toEqual(['bash .ci/run']);
    expect(readFileSync(path.join(REPO_ROOT, '.ci', 'run'), 'utf8')).toContain(
      'npx -y pnpm@12.21.0 install --frozen-lockfile && npx -y pnpm@12.21.0 test',
    );
  });

  it.each(SERVICE_NAMES.map((service) => [service]))(
    '%s: its own verify, package and deploy jobs',
    (service) => {
      const verify = scriptOf(`verify:${service}`);
      for (const step of [
        'run typecheck',
        'biome check',
        'jest --ci services/$SERVICE',
        '--selectProjects infra',
      ]) {
        expect(verify).toContain(step);
      }
      expect(job(`verify:${service}`).variables).toEqual({ SERVICE: service });
      expect(scriptOf(`package:${service}`)).toContain('serverless package --stage $DEPLOY_STAGE');
      for (const stage of ['verify', 'package', 'deploy']) {
        const changes = (job(`${stage}:${service}`).rules ?? []).flatMap((rule) => rule.changes ?? []);
        expect(changes).toEqual(expect.arrayContaining([`services/${service}/**/*`, 'packages/**/*']));
        expect(
          changes.filter((glob) => glob.startsWith('services/') && !glob.startsWith(`services/${service}/`)),
        ).toEqual([]);
      }
    },
  );

  it.each(SERVICE_NAMES.map((service) => [service]))(
    'deploy:%s runs on protected main only, in the protected environment, with OIDC credentials',
    (service) => {
      const deploy = job(`deploy:${service}`);
      expect(deploy.stage).toBe('deploy');
      for (const rule of deploy.rules ?? []) {
        expect(rule.if).toBe(
          '$CI_COMMIT_BRANCH == "main" && $CI_COMMIT_REF_PROTECTED == "true" && $CI_PIPELINE_SOURCE == "push"',
        );
      }
      expect(deploy.environment?.name).toBe('production');
      expect(deploy.id_tokens).toEqual({ AWS_ID_TOKEN: { aud: 'sts.amazonaws.com' } });
      const script = scriptOf(`deploy:${service}`);
      expect(script).toMatch(
        /aws sts assume-role-with-web-identity[\s\S]*--web-identity-token "\$AWS_ID_TOKEN"/,
      );
      expect(script).toContain('--role-arn "$KUPALA_DEPLOY_ROLE_ARN"');
      expect(script).toContain(`osls-compose deploy --stage $DEPLOY_STAGE --service=$SERVICE`);
    },
  );

  it('holds no static AWS credential: none set as a variable, none written in the file', () => {
    const text = readFileSync(CI_FILE, 'utf8');
    expect(text).not.toMatch(/(AKIA|ASIA)[A-Z0-9]{16}/);
    const variableBlocks = Object.values(pipeline)
      .filter((value): value is Job => typeof value === 'object' && value !== null && !Array.isArray(value))
      .map((value) => JSON.stringify(value.variables ?? {}));
    for (const block of [JSON.stringify(pipeline.variables ?? {}), ...variableBlocks]) {
      expect(block).not.toMatch(/AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)/);
    }
  });
});

describe('.gitlab-ci.yml through gitlab-ci-local (shell executor, scratch repository)', () => {
  let work = '';
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=ci@kupala.invalid', '-c', 'user.name=ci', ...args], {
      cwd: work,
      stdio: 'pipe',
    });
  const env = { ...process.env, PATH: process.env.PATH ?? '' };
  const gitlabCiLocal = (...args: string[]) =>
    spawnSync(GITLAB_CI_LOCAL, ['--home', path.join(work, '..', 'home'), ...args], {
      cwd: work,
      env,
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
    });
  const startedJobs = (...variables: string[]) => {
    const result = gitlabCiLocal(
      '--list-json',
      '--ignore-predefined-vars',
      'CI_COMMIT_REF_PROTECTED,CI_PIPELINE_SOURCE',
      ...variables.flatMap((variable) => ['--variable', variable]),
    );
    expect(result.status).toBe(0);
    const listed = JSON.parse(result.stdout.slice(result.stdout.indexOf('[\n'))) as {
      name: string;
      when: string;
    }[];
    return listed.filter((entry) => entry.when !== 'never').map((entry) => entry.name);
  };
  const commitChange = (file: string) => {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), `${randomInt(1e9)}\n`);
    git('add', file);
    git('commit', '-qm', `change ${file}`);
  };

  beforeAll(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'kupala-gitlab-ci-'));
    work = path.join(root, 'work');
    mkdirSync(path.join(work, '.ci'), { recursive: true });
    copyFileSync(CI_FILE, path.join(work, '.gitlab-ci.yml'));
    copyFileSync(path.join(REPO_ROOT, '.ci', 'run'), path.join(work, '.ci', 'run'));
    execFileSync('git', ['init', '-q', '--bare', path.join(root, 'origin.git')]);
    git('init', '-q', '-b', 'main');
    for (const file of [
      ...SERVICE_NAMES.map((service) => `services/${service}/serverless.yml`),
      'packages/x/index.ts',
    ]) {
      commitChange(file);
    }
    git('add', '.gitlab-ci.yml', '.ci/run');
    git('commit', '-qm', 'pipeline');
    git('remote', 'add', 'origin', path.join(root, 'origin.git'));
    git('push', '-q', 'origin', 'main');
    git('remote', 'set-head', 'origin', 'main');
    // gitlab-ci-local copies the tracked files into its build dir with rsync before a job; where the machine has
    // none (a fresh one here has only Node and Java), a stand-in copies exactly the tracked files the same way
    if (spawnSync('sh', ['-c', 'command -v rsync']).status !== 0) {
      const bin = path.join(root, 'bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'rsync'), RSYNC_STAND_IN);
      chmodSync(path.join(bin, 'rsync'), 0o755);
      env.PATH = `${bin}${path.delimiter}${env.PATH}`;
    }
  }, TIMEOUT_MS);

  afterAll(() => {
    if (work !== '') rmSync(path.dirname(work), { recursive: true, force: true });
  });

  it(
    'validates against GitLab’s CI schema and expands (extends, anchors) without error',
    () => {
      const preview = gitlabCiLocal('--preview', '--json-schema-validation');
      expect(preview.status).toBe(0);
      expect(preview.stdout).toContain('deploy:positions:');
    },
    TIMEOUT_MS,
  );

  it(
    'a feature branch touching trades starts only the trades pipeline (and the shared checks), never a deploy',
    () => {
      git('checkout', '-qb', 'feature/trades-only');
      commitChange('services/trades/src/new.ts');
      const started = startedJobs('CI_COMMIT_REF_PROTECTED=false');
      expect(started.sort()).toEqual([
        'install',
        'no-static-credentials',
        'package:trades',
        'suite',
        'verify:trades',
      ]);
      git('checkout', '-q', 'main');
    },
    TIMEOUT_MS,
  );

  it(
    'a shared package change on protected main starts every service through deploy',
    () => {
      commitChange('packages/x/index.ts');
      const started = startedJobs('CI_COMMIT_REF_PROTECTED=true');
      for (const service of SERVICE_NAMES) {
        expect(started).toEqual(
          expect.arrayContaining([`verify:${service}`, `package:${service}`, `deploy:${service}`]),
        );
      }
    },
    TIMEOUT_MS,
  );

  it(
    'main that is not protected (or a tag/MR pipeline) deploys nothing',
    () => {
      expect(
        startedJobs('CI_COMMIT_REF_PROTECTED=false').filter((name) => name.startsWith('deploy:')),
      ).toEqual([]);
      expect(
        startedJobs('CI_COMMIT_REF_PROTECTED=true', 'CI_PIPELINE_SOURCE=merge_request_event').filter((name) =>
          name.startsWith('deploy:'),
        ),
      ).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'runs the no-static-credentials job for real: passes on a clean tree, fails on a planted key',
    () => {
      const clean = gitlabCiLocal('--force-shell-executor', 'no-static-credentials');
      expect({ status: clean.status, output: clean.stdout.includes('no-static-credentials') }).toEqual({
        status: 0,
        output: true,
      });
      // a fresh fake access key id, generated here so that no key-shaped string sits in this repository
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      const fakeKeyId = `AKIA${Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
      writeFileSync(path.join(work, 'leak.env'), `AWS_ACCESS_KEY_ID=${fakeKeyId}\n`);
      git('add', 'leak.env');
      git('commit', '-qm', 'leak');
      const leaked = gitlabCiLocal('--force-shell-executor', 'no-static-credentials');
      expect(leaked.status).not.toBe(0);
      expect(leaked.stdout + leaked.stderr).toContain('static AWS credentials found');
    },
    TIMEOUT_MS,
  );
});
