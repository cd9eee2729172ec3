// @ts-check
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The benchmarks type-check against their own dependencies (bench/package.json): lint them once
// `npm run bench:install` has installed those.
const benchInstalled = existsSync(join(import.meta.dirname, 'bench/node_modules/.package-lock.json'));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'reports/', '.stryker-tmp/', 'bench/node_modules/', ...(benchInstalled ? [] : ['bench/'])] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) read as expressions
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'stryker.config.mjs', 'stryker/*.mjs', '.mocharc.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
