/** @type {import('jest').Config} */
module.exports = {
  displayName: 'approval-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // jose and @middy/core ship ESM only: let SWC turn them into CommonJS for Jest.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@middy)/)'],
};
