/* global module */
/**
 * Import boundaries (issue #15): src/ folders form layers, and a folder imports only folders
 * below it. The order is written once, here, and in docs/architecture.md#layers (a test checks the
 * two agree). Upward imports that existed when the rule arrived are listed in
 * .dependency-cruiser-known-violations.json and reported as known (they are the refactor's to-do
 * list, see docs/architecture.md); `npm run lint` fails on any new one.
 */
const LAYERS = [
  'core',
  'ecosystems',
  'inventory',
  'registry',
  'image',
  'docker',
  'vulndb',
  'vex',
  'match',
  'sbom',
  'checks',
  'secrets',
  'netpol',
  'audit',
  'report',
  'scan',
  'sign',
  'policy',
  'plan',
  'k8s',
  'admission',
  'server',
  'cli',
];

const forbidden = LAYERS.slice(0, -1).map((name, i) => ({
  name: `layer-${name}`,
  comment: `src/${name} sits below ${LAYERS.slice(i + 1).join(', ')} and must not import them`,
  severity: 'error',
  from: { path: `^src/${name}/`, pathNot: '\\.test\\.ts$' },
  to: { path: `^src/(${LAYERS.slice(i + 1).join('|')})/` },
}));

forbidden.push({
  name: 'layer-unknown-folder',
  comment: 'every src/ folder has a place in LAYERS (.dependency-cruiser.cjs)',
  severity: 'error',
  from: { path: '^src/', pathNot: [`^src/(${LAYERS.join('|')})/`, '^src/[^/]+$'] },
  to: {},
});

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
