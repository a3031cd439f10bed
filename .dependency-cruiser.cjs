// Import cycles are forbidden (STYLE.md). Layering is checked by ESLint
// (eslint-plugin-boundaries); this config only looks for cycles between modules that
// exist at run time — a `import type` cycle is erased by the compiler and allowed.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module reaches itself through its imports. Break the cycle (see STYLE.md).',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: false,
    exclude: { path: '(^|/)(dist|node_modules|bench/results)/' },
  },
};
