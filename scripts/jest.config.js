module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'scripts',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
  // The ladder runs terraform per stack with test.concurrent; lib/stacks.ts bounds the processes.
  maxConcurrency: 8,
};
