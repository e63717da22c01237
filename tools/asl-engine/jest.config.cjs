/** @type {import('jest').Config} */
module.exports = {
  displayName: 'asl-engine',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The first definition a test file loads compiles asl-validator's schemas (seconds on a loaded 2-core machine).
  testTimeout: 20000,
  // conformance/: the recorded-AWS conformance suite (conformance.spec.ts).
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/conformance/**/*.spec.ts',
  ],
};
