/** @type {import('jest').Config} */
module.exports = {
  displayName: 'asl-engine',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // conformance/: the recorded-AWS conformance suite (conformance.spec.ts).
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/conformance/**/*.spec.ts',
  ],
};
