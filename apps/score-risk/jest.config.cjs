/** @type {import('jest').Config} */
module.exports = {
  displayName: 'score-risk',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The configuration the function gets from infra (read once at module scope by the handler).
  setupFiles: ['<rootDir>/jest.env.cjs'],
};
