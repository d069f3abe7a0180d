/** Shared jest settings: swc transpiles TypeScript (no type-check on the test path; `typecheck` does that). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  // cdktf's Testing helpers create temp dirs; keep output quiet and deterministic.
  setupFilesAfterEnv: [require.resolve('./jest.setup.js')],
};
