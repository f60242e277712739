/**
 * No import circle (npm run lint checks src/core), type-only imports included (import-x/no-cycle skips those, and
 * the circle process -> heap -> process was one). The direction of the layers is eslint.layering.js.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Two modules that import each other cannot be understood or changed apart.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
