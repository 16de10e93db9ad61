import { execFile, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/packaged-services';

const run = promisify(execFile);

/** Runs secretlint with the repository's configuration over `patterns` in `cwd`; exit code and output. */
const secretlint = async (cwd: string, patterns: string[]) => {
  try {
    const { stdout } = await run(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'secretlint'),
      [
        '--secretlintrc',
        path.join(REPO_ROOT, '.secretlintrc.json'),
        '--secretlintignore',
        path.join(REPO_ROOT, '.secretlintignore'),
        '--format',
        'json',
        ...patterns,
      ],
      { cwd, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, output: stdout };
  } catch (error: unknown) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, output: failed.stdout ?? '' };
  }
};

// Debian's git-secrets is not on a fresh machine (only Node and Java are): it runs where it is installed.
const hasGitSecrets = (() => {
  try {
    execFileSync('git', ['secrets', '--list'], { cwd: REPO_ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('no secret in the tree, and the scanners do fire on one', () => {
  it('secretlint finds nothing in the repository (git-secrets --scan-history too, where installed)', async () => {
    const result = await secretlint(REPO_ROOT, ['**/*']);
    expect({ code: result.code, findings: result.code === 0 ? [] : JSON.parse(result.output) }).toEqual({
      code: 0,
      findings: [],
    });
    if (hasGitSecrets) {
      execFileSync('git', ['secrets', '--register-aws'], { cwd: REPO_ROOT, stdio: 'ignore' });
      execFileSync('git', ['secrets', '--scan-history'], { cwd: REPO_ROOT, stdio: 'pipe' });
    }
  }, 180_000);

  it('canary: a freshly generated fake AWS key pair and private key planted in a temp dir are reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kupala-secret-canary-'));
    try {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      const keyId = `AKIA${[...randomBytes(16)].map((byte) => alphabet[byte % 32]).join('')}`;
      const secret = randomBytes(30).toString('base64');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      writeFileSync(
        path.join(dir, 'leaked.env'),
        `AWS_ACCESS_KEY_ID=${keyId}\nAWS_SECRET_ACCESS_KEY=${secret}\n`,
      );
      writeFileSync(
        path.join(dir, 'leaked-key.pem'),
        privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      );
      const result = await secretlint(dir, ['**/*']);
      expect(result.code).not.toBe(0);
      const reported = (JSON.parse(result.output) as { filePath: string; messages: { ruleId: string }[] }[])
        .filter((file) => file.messages.length > 0)
        .map((file) => path.basename(file.filePath))
        .sort();
      expect(reported).toEqual(['leaked-key.pem', 'leaked.env']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
