// Two projects: `unit` (fast, mocks allowed) and `testbed` (the real programs; needs `npm run testbed:up`).
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testEnvironment: 'node'
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    { ...common, displayName: 'testbed', testMatch: ['<rootDir>/__tests__/testbed/**/*.test.ts'] }
  ]
};
