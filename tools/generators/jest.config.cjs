/** @type {import('jest').Config} */
module.exports = {
  displayName: 'generators',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
