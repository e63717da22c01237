/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reserve-inventory',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // @middy/core ships ESM only: let SWC turn it into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@middy)/)'],
  // The configuration the function gets from infra (read once at module scope by the handler).
  setupFiles: ['<rootDir>/jest.env.cjs'],
};
