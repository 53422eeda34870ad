// ESLint (flat config) for the repository: `npm run lint`. No stylistic rules: only problems, the
// house rules (style.md §6.8, §7.13) and yieldio's own plugin, type-aware via typescript-eslint.
// Run through tsx (package.json "lint"), so the plugin is loaded from its TypeScript source.
import tseslint from 'typescript-eslint';
import yieldio from './src/eslint-plugin/index.ts';

const root = import.meta.dirname;

export default [
  { ignores: ['dist/**', 'docs/**', 'node_modules/**', '**/.*/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    // Off: older directives name rules this config does not enable (no-unsafe-finally).
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { yieldio, '@typescript-eslint': tseslint.plugin },
    rules: {
      'yieldio/no-floating-coroutine': 'error',
      'yieldio/no-yield-without-star': 'error',
    },
  },
  {
    // The core entry runs in browsers, Deno and Bun: only src/node/ may import node: modules.
    files: ['src/**/*.ts'],
    ignores: ['src/node/**', 'src/**/*.test.ts', 'src/**/*.test-d.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^node:',
              message: 'only src/node/ may import node: modules (the yieldio entry must run in browsers, Deno and Bun)',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportExpression > Literal[value=/^node:/]",
          message: 'only src/node/ may import node: modules (the yieldio entry must run in browsers, Deno and Bun)',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts', 'src/**/*.test-d.ts', 'src/internal/**'],
    rules: { 'yieldio/require-export-jsdoc': 'error' },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.type='MemberExpression'][callee.property.name='only'][callee.object.name=/^(it|test|describe|suite)$/]",
          message: 'focused test (.only) hides the rest of the suite',
        },
      ],
    },
  },
];
