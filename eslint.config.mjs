// ESLint flat config. Type-aware typescript-eslint rules catch the mistakes the compiler lets through
// (a promise nobody awaits, an async callback where a sync one is expected); `no-restricted-imports` keeps the
// protocol core in src/core framework-free. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworkImports = {
  patterns: [
    { group: ['@nestjs/*'], message: 'src/core is framework-free: no Nest imports (see docs/architecture.md).' },
    { group: ['typeorm', 'typeorm/*', 'pg', 'fastify', 'fastify/*', '@fastify/*'], message: 'src/core is framework-free: no database or HTTP-server imports.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**', '.satgate/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      // A closure that may run before the assignment (a subscription callback firing synchronously) needs `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Nest's reflection API (Reflector, route metadata) is typed with Function.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read JSON response bodies, whose shape the assertions themselves state.
    files: ['test/**/*.ts', 'src/**/*.spec.ts', 'src/**/*.spec-support.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', frameworkImports] },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
