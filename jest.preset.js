// Shared Jest preset: SWC transpiles TypeScript (type checking is the `typecheck` target's job),
// and the tsconfig path aliases (@flow/*) resolve to each library's source.
const { readFileSync } = require('node:fs');
const path = require('node:path');

// The AWS SDK warns once per test process that its releases after January 2027 need Node 22; the workspace supports
// Node 20, 22 and 24 and tests all three (`npm run test:node-versions`), so the notice is only noise in test output.
// Set here, before Jest starts its workers, so they and the processes tests spawn inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const tsconfig = JSON.parse(readFileSync(path.join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // jose and @middy ship ESM only: let SWC turn them into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@middy)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper,
  // Generous: CI machines are shared and slow at times; a test that hangs still fails.
  testTimeout: 30_000,
  clearMocks: true,
  restoreMocks: true,
};
