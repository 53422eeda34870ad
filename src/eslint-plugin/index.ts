/**
 * yieldio/eslint-plugin: lint rules for the mistakes TypeScript cannot see. `no-floating-coroutine`
 * flags a coroutine created and dropped (`sleep(10);`, `items.forEach(function* ...)`), the
 * generator-world twin of typescript-eslint's `no-floating-promises`; `no-yield-without-star` flags
 * `yield aw` where `yield* aw` was meant. Both are type-aware: parse with typescript-eslint and a
 * project service. `configs.recommended` turns both on.
 * @module
 * @example
 * // eslint.config.js
 * import tseslint from 'typescript-eslint';
 * import yieldio from 'yieldio/eslint-plugin';
 * export default [
 *   { files: ['**\/*.ts'], languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } } },
 *   yieldio.configs.recommended,
 * ];
 */
import type { ESLint, Linter, Rule } from 'eslint';
import { noFloatingCoroutine, noYieldWithoutStar, requireExportJsdoc } from './rules.ts';

const rules: Record<string, Rule.RuleModule> = {
  'no-floating-coroutine': noFloatingCoroutine,
  'no-yield-without-star': noYieldWithoutStar,
  'require-export-jsdoc': requireExportJsdoc,
};

/** The config that turns on the two rules for users (the house rule `require-export-jsdoc` is not in it). */
const recommended: Linter.Config = {
  name: 'yieldio/recommended',
  // Type-aware rules: only files that typescript-eslint parses with type information.
  files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
  plugins: {},
  rules: {
    'yieldio/no-floating-coroutine': 'error',
    'yieldio/no-yield-without-star': 'error',
  },
};

/**
 * The ESLint plugin: `rules` and `configs.recommended` (register it as `yieldio`).
 * @example
 * export default [{ plugins: { yieldio }, rules: { 'yieldio/no-floating-coroutine': 'error' } }];
 */
const plugin: ESLint.Plugin & { rules: Record<string, Rule.RuleModule>; configs: { recommended: Linter.Config } } = {
  meta: { name: 'yieldio/eslint-plugin' },
  rules,
  configs: { recommended },
};
(recommended.plugins as Record<string, ESLint.Plugin>).yieldio = plugin;

export default plugin;
