/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// Jest runs CommonJS; ESM-only dependencies (middy 7, jose) are compiled by swc like our own sources.
const transform: Config['transform'] = {
  '^.+\\.(t|j|mj)s$': [
    '@swc/jest',
    { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
  ],
};
const transformIgnorePatterns = ['/node_modules/(?!(\\.pnpm/)?(@middy|jose))'];
const common = {
  transform,
  transformIgnorePatterns,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFiles: ['<rootDir>/tests/setup/env.ts'],
  // zod's per-locale entry points have a CommonJS twin; Jest (CommonJS) takes that one.
  moduleNameMapper: { '^zod/v4/locales/(.*)\\.js$': 'zod/v4/locales/$1.cjs' },
  resolver: '<rootDir>/tests/setup/esm-only-resolver.cjs',
} satisfies Config;

const config: Config = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/{packages,services}/*/src/**/*.test.ts',
        '<rootDir>/tests/architecture/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['\\.integration\\.test\\.ts$', '\\.infra\\.test\\.ts$', '/node_modules/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/{packages,services}/*/src/**/*.integration.test.ts',
        '<rootDir>/tests/**/*.integration.test.ts',
      ],
      globalSetup: '<rootDir>/tests/setup/integration-global-setup.ts',
      globalTeardown: '<rootDir>/tests/setup/integration-global-teardown.ts',
      setupFiles: ['<rootDir>/tests/setup/env.ts', '<rootDir>/tests/setup/integration-env.ts'],
    },
    {
      ...common,
      displayName: 'infra',
      testMatch: ['<rootDir>/{packages,services}/*/**/*.infra.test.ts', '<rootDir>/tests/**/*.infra.test.ts'],
    },
  ],
};

export default config;
