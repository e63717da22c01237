/** @type {import('jest').Config} */
module.exports = {
  displayName: 'durable-log',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
