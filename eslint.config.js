// Lint: typescript-eslint's type-aware rules (floating and misused promises, unsafe any, …) over
// src, test and bench. Folder boundaries stay in test/architecture.test.ts, where they read as
// one table of which capability may import which.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Feed text is stripped of control characters on purpose, and tests assert they are gone.
      'no-control-regex': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test doubles implement async interfaces without awaiting, and vitest's asymmetric matchers
    // (expect.any, expect.stringMatching) are typed `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  // Plain JavaScript that Node loads untranspiled (the module-loading recorder of the CLI tests,
  // the young-generation and memory-reducer probes that CI also runs inside the image).
  { files: ['eslint.config.js', 'test/**/*.mjs', 'test/**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['test/**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', console: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } } },
);
