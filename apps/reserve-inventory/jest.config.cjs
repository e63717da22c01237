/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reserve-inventory',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
