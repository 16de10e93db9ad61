import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Chromium from the npm registry: `@sparticuz/chromium` ships the binary inside its package and
 * unpacks it to the temp dir on first use. It is ESM-only and reads `import.meta`, which Jest's CommonJS
 * transform cannot compile, so a short Node child asks it for the binary's path and launch arguments.
 */
export const launchHeadlessChromium = async (): Promise<Browser> => {
  const script =
    "const { default: chromium } = await import('@sparticuz/chromium');" +
    'process.stdout.write(JSON.stringify({ executablePath: await chromium.executablePath(), args: chromium.args }));';
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: __dirname,
  });
  const { executablePath, args } = JSON.parse(stdout) as { executablePath: string; args: string[] };
  return chromium.launch({ executablePath, args, headless: true });
};
