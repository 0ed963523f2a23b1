// One lint toolchain: ESLint 9 flat config + typescript-eslint 8 (TypeScript 5.9, below its 6.1 ceiling).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-bench/**', '.state/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Unawaited promises are how sync engines silently lose writes.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The CLI, the demo and the benchmark talk to a person on the terminal.
    files: ['core/cli/**/*.ts', 'demo/**/*.ts', 'bench/**/*.ts', 'bin/**/*'],
    rules: { 'no-console': 'off' },
  },
  {
    // The Partner Center sandbox is an independent implementation of the wire format: importing the
    // connector's types or mapping would mirror a connector mistake on both sides, where no test sees it.
    files: ['sandbox/partner-center/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/connectors/**', 'connectors/**'], message: 'The Partner Center sandbox must not import from connectors/: give it its own wire types (sandbox/partner-center/wire/).' }],
      }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
);
