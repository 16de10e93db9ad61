import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const SERVICES = readdirSync(path.join(ROOT, 'services'));

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) ? [full] : [];
  });

const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import\(|require\()\s*['"]([^'"]+)['"]/g)].map(
    (match) => match[1] ?? '',
  );

/** Where an import lands: a workspace package/service name, or undefined for third-party modules. */
const targetOf = (file: string, specifier: string): string | undefined => {
  if (specifier.startsWith('@kupala/')) return specifier.split('/').slice(0, 2).join('/');
  if (!specifier.startsWith('.')) return undefined;
  const resolved = path.relative(ROOT, path.resolve(path.dirname(file), specifier));
  const [area, name] = resolved.split(path.sep);
  if (area === 'services') return `service:${name}`;
  if (area === 'packages') return `@kupala/${name}`;
  return area;
};

const edges = (area: 'services' | 'packages', name: string) =>
  sourceFiles(path.join(ROOT, area, name, 'src')).flatMap((file) =>
    importsOf(file).map((specifier) => ({
      file: path.relative(ROOT, file),
      specifier,
      target: targetOf(file, specifier),
    })),
  );

describe('dependency direction', () => {
  it.each(SERVICES)(
    'service %s imports no other service (values cross only through CloudFormation)',
    (service) => {
      const crossing = edges('services', service).filter(
        ({ target }) =>
          (target?.startsWith('service:') && target !== `service:${service}`) ||
          target === `@kupala/${service}`,
      );
      expect(crossing).toEqual([]);
    },
  );

  it.each(SERVICES)('service %s uses shared packages by name, never by a deep relative path', (service) => {
    const deep = edges('services', service).filter(({ specifier }) => /^\.\.?\/.*packages\//.test(specifier));
    expect(deep).toEqual([]);
  });

  it('trade-model depends on no other workspace package and no service (it is the bottom layer)', () => {
    const upward = edges('packages', 'trade-model').filter(
      ({ target }) =>
        target !== undefined &&
        target !== '@kupala/trade-model' &&
        !['src'].includes(target) &&
        (target.startsWith('@kupala/') || target.startsWith('service:')),
    );
    expect(upward).toEqual([]);
  });

  it('lot-engine is pure: outside its tests it imports trade-model and nothing else (no AWS, no node:)', () => {
    const outside = edges('packages', 'lot-engine').filter(
      ({ file, specifier, target }) =>
        !file.endsWith('.test.ts') && !specifier.startsWith('.') && target !== '@kupala/trade-model',
    );
    expect(outside).toEqual([]);
  });

  it('local-stack may use trade-model but no service code', () => {
    const intoServices = edges('packages', 'local-stack').filter(({ target }) =>
      target?.startsWith('service:'),
    );
    expect(intoServices).toEqual([]);
  });
});
