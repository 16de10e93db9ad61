import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listZipEntries, readZipEntry } from '../../bench/zip';
import { packagedServices } from '../support/packaged-services';

// The contract's budget per function (issue 2). Size is deterministic, so it is a test; speed lives in bench/.
const MAX_HANDLER_BYTES = 300 * 1024;

const handlerBundles = packagedServices().flatMap((service) => {
  const dir = path.join(service.dir, '.serverless');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zip'))
    .map((file) => {
      const zip = readFileSync(path.join(dir, file));
      const handler = listZipEntries(zip).find((entry) => /handler\.js$/.test(entry.name));
      return {
        name: `${service.name}/${file.replace(/\.zip$/, '')}`,
        serviceDir: service.dir,
        bytes: handler?.size ?? -1,
        code: handler === undefined ? undefined : readZipEntry(zip, handler),
      };
    });
});

describe('every function bundle stays within the 300 KB budget (minified, AWS SDK excluded)', () => {
  it('finds the bundles', () => {
    expect(handlerBundles.length).toBeGreaterThanOrEqual(20);
  });

  it.each(handlerBundles.map((bundle) => [bundle.name, bundle.bytes]))('%s (%d bytes)', (_name, bytes) => {
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(MAX_HANDLER_BYTES);
  });
});

describe('every function bundle initialises as Lambda loads it', () => {
  let workDir: string;
  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'kupala-bundles-'));
  });
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  // Only the AWS SDK is external (the runtime provides it); here it resolves from the service's own
  // dependencies, so a bundle that needs a client its service does not declare fails, as would a bundle
  // that touches configuration or the network at load time.
  it.each(handlerBundles.map((bundle) => [bundle.name, bundle]))('%s', (name, bundle) => {
    expect(bundle.code).toBeDefined();
    const file = path.join(workDir, name, 'handler.js');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bundle.code ?? '');
    const output = execFileSync(
      process.execPath,
      [
        '-e',
        `const m = require(${JSON.stringify(file)}); process.stdout.write(typeof m.main); process.exit(0);`,
      ],
      {
        env: {
          PATH: process.env.PATH,
          NODE_PATH: path.join(bundle.serviceDir, 'node_modules'),
          AWS_REGION: 'eu-west-1',
        },
        encoding: 'utf8',
      },
    );
    expect(output).toBe('function');
  });
});
