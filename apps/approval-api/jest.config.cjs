/** @type {import('jest').Config} */
module.exports = {
  displayName: 'approval-api',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
