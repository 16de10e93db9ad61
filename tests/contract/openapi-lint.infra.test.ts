import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from '@kupala/trade-model';
import { REPO_ROOT } from '../support/packaged-services';

const run = promisify(execFile);

interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer: string }[];
}

// The served document, linted by Redocly's recommended rules: generated clients and API fuzzers read it.
describe('GET /openapi.json lints clean', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kupala-openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has no error and no warning under @redocly/cli recommended', async () => {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(buildOpenApiDocument()));
    const { stdout } = await run('npx', ['redocly', 'lint', file, '--format', 'json'], {
      cwd: REPO_ROOT,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: LintProblem[];
    };
    const problems = report.problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 120_000);
});
