/** @type {import('jest').Config} */
module.exports = {
  displayName: 'local-dynamodb',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
