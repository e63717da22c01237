/** @type {import('jest').Config} */
module.exports = {
  displayName: 'score-risk',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
