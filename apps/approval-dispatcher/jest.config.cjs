/** @type {import('jest').Config} */
module.exports = {
  displayName: 'approval-dispatcher',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
