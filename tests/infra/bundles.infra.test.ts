import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listZipEntries } from '../../bench/zip';
import { packagedServices } from '../support/packaged-services';

// The contract's budget per function (issue 2). Size is deterministic, so it is a test; speed lives in bench/.
const MAX_HANDLER_BYTES = 300 * 1024;

const handlerBundles = packagedServices().flatMap((service) => {
  const dir = path.join(service.dir, '.serverless');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.zip'))
    .map((file) => {
      const entries = listZipEntries(readFileSync(path.join(dir, file)));
      const handler = entries.find((entry) => /handler\.js$/.test(entry.name));
      return { name: `${service.name}/${file.replace(/\.zip$/, '')}`, bytes: handler?.size ?? -1 };
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
