// Three projects: `unit` (fast, mocks allowed), `testbed` (the real programs; needs `npm run testbed:up`)
// and `k8s` (the kubernetes driver on a real cluster; needs `npm run testbed:k8s`).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node'
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...common, displayName: 'testbed', testMatch: ['<rootDir>/__tests__/testbed/**/*.test.ts'] },
    { ...common, displayName: 'k8s', testMatch: ['<rootDir>/__tests__/k8s/**/*.test.ts'] }
  ]
};
