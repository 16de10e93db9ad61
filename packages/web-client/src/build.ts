import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** The SPA's sources (DOM code, outside `src/`, which holds the pure logic the Node tests run). */
export const WEB_CLIENT_APP_DIR = join(__dirname, '..', 'app');
/** Where `dev` and `services/web` take the built site from (git-ignored). */
export const WEB_CLIENT_DIST_DIR = join(__dirname, '..', 'dist');

export interface BuiltWebClient {
  outDir: string;
  /** Site-relative paths of every file written, index.html included. */
  files: string[];
  /** The entry script (what the browser loads first) and its size in bytes. */
  entryScript: { path: string; bytes: number };
  ms: number;
}

/**
 * Bundles the SPA with esbuild (Preact, JSX automatic runtime, minified, content-hashed names so a CDN can
 * cache them for ever) and writes index.html pointing at the hashed files. About 100 ms: `dev` runs it on start.
 */
export const buildWebClient = async (outDir: string = WEB_CLIENT_DIST_DIR): Promise<BuiltWebClient> => {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(WEB_CLIENT_APP_DIR, 'main.tsx'), join(WEB_CLIENT_APP_DIR, 'styles.css')],
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const script = outputs.find(([, output]) => output.entryPoint?.endsWith('main.tsx'));
  const styles = outputs.find(([, output]) => output.entryPoint?.endsWith('styles.css'));
  if (script === undefined || styles === undefined)
    throw new Error('esbuild wrote no entry script or styles');
  const siteRelative = (file: string) => `assets/${basename(file)}`;
  const template = await readFile(join(WEB_CLIENT_APP_DIR, 'index.html'), 'utf8');
  const html = template
    .replace('%SCRIPT%', `/${siteRelative(script[0])}`)
    .replace('%STYLES%', `/${siteRelative(styles[0])}`);
  await writeFile(join(outDir, 'index.html'), html);
  return {
    outDir,
    files: ['index.html', ...outputs.map(([file]) => siteRelative(file))],
    entryScript: { path: siteRelative(script[0]), bytes: script[1].bytes },
    ms: Date.now() - started,
  };
};
