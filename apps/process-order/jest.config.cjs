/** @type {import('jest').Config} */
module.exports = {
  displayName: 'process-order',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
