// Lint: typescript-eslint's strict rules, plus the layer table from STYLE.md as a
// default-deny import policy (eslint-plugin-boundaries). Import cycles are checked by
// dependency-cruiser (.dependency-cruiser.cjs), which `npm run lint` runs too.
// docs/adr/0004-layering-and-toolchain.md explains the table; scripts/lint-layers.test.ts proves
// a forbidden import fails.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Who may import whom. Anything not listed is denied. */
export const LAYERS = {
  abi: [],
  kernel: ['abi'],
  workers: ['abi'],
  fs: ['abi', 'workers'],
  gpu: ['abi', 'workers'],
  apps: ['abi', 'workers'],
  host: ['abi'],
  // Outside src/: end-to-end tests and benchmarks drive the system from outside and
  // may share only the ABI's constants with it, plus the tooling in scripts/.
  e2e: ['abi', 'scripts'],
  bench: ['abi', 'scripts'],
  scripts: ['abi'],
};

/**
 * Kernel tests may also import the domain runtime: they run real domains (worker
 * threads) against a real kernel in node. fs tests may import the kernel: they run the
 * fs server and its clients as domains of a real kernel in-thread
 * (src/kernel/test-harness.ts). Nothing else crosses the line.
 */
const TEST_POLICIES = [
  {
    from: { element: { type: 'kernel' }, file: { categories: 'test' } },
    allow: { to: { element: { type: 'workers' } } },
  },
  {
    from: { element: { type: 'fs' }, file: { categories: 'test' } },
    allow: { to: { element: { type: 'kernel' } } },
  },
];

const OUTSIDE_SRC = new Set(['e2e', 'bench', 'scripts']);
// Anchored at the project root, so that e.g. src/apps/bench is part of apps, not bench.
const elements = Object.keys(LAYERS).map((type) => ({
  type,
  pattern: OUTSIDE_SRC.has(type) ? type : `src/${type}`,
  partialMatch: false,
}));

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.worker },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'Use an `as const` object and a derived union type (STYLE.md).',
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/files': [{ category: 'test', pattern: '**/*.test.ts' }],
      'boundaries/include': ['src/**/*', 'e2e/**/*', 'bench/**/*', 'scripts/**/*'],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: Object.entries(LAYERS)
            .map(([from, to]) => ({
              from: { element: { type: from } },
              allow: { to: { element: { type: [from, ...to] } } },
            }))
            .concat(TEST_POLICIES),
        },
      ],
      'boundaries/no-unknown-dependencies': 'error',
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  {
    files: ['scripts/**', '*.config.{js,ts}', 'bench/*.ts', 'e2e/**'],
    languageOptions: { globals: { ...globals.node } },
  },
);
