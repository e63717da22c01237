/** @type {import('jest').Config} */
module.exports = {
  displayName: 'asl-engine',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
