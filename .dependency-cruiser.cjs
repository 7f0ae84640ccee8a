/**
 * The dependency rules of src/ (run by `npm test`, see the README's "How it is built"): arrows go one way —
 * channels and the store depend on the core's contracts (action ids, turns, replies, notifiers, records and
 * the store's ports), the core on neither; generic helpers (src/lib) on nothing of the product; no cycles.
 */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: { path: '^src' }, to: { circular: true } },
    {
      name: 'core-not-to-store',
      severity: 'error',
      comment: 'the core talks to the store through its ports only',
      from: { path: '^src/core' },
      to: { path: '^src/store' },
    },
    { name: 'core-not-to-channels', severity: 'error', from: { path: '^src/core' }, to: { path: '^src/channels' } },
    { name: 'store-not-to-channels', severity: 'error', from: { path: '^src/store' }, to: { path: '^src/channels' } },
    {
      name: 'channels-not-to-store',
      severity: 'error',
      comment: 'channels reach records through the core',
      from: { path: '^src/channels' },
      to: { path: '^src/store' },
    },
    {
      name: 'store-only-core-contract',
      severity: 'error',
      comment: 'the store knows the record schemas, the ports and their errors, nothing else of the core',
      from: { path: '^src/store' },
      to: { path: '^src/core', pathNot: '^src/core/(records|store-errors|outbox-record|reply|lang)\\.ts$' },
    },
    {
      name: 'channels-only-core-contract',
      severity: 'error',
      comment: 'channels speak turns, replies, notifiers and records; not the features inside the core',
      from: { path: '^src/channels' },
      to: {
        path: '^src/core',
        pathNot: '^src/core/(actions|assistant|create|lang|notifier|records|reply|store-errors|time-zone|turn)\\.ts$',
      },
    },
    {
      name: 'form-before-endorsement',
      severity: 'error',
      comment:
        'the form hands submitted applications on through its port (application/ports.ts);' +
        ' the endorsement workflow comes after it',
      from: { path: '^src/core/application' },
      to: { path: '^src/core/(endorsement|alerts|privacy)/' },
    },
    {
      name: 'router-knows-no-feature',
      severity: 'error',
      comment: 'the turn context and the generic handlers know no feature; features register in assistant.ts',
      from: { path: '^src/core/router' },
      to: { path: '^src/core/(application|endorsement|alerts|privacy|faq)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment: 'generic helpers know nothing of the product',
      from: { path: '^src/lib' },
      to: { path: '^src/(core|store|channels)' },
    },
    { name: 'not-to-tests', severity: 'error', from: { path: '^src' }, to: { path: '^(test|bench|scripts)' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
