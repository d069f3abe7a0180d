#!/usr/bin/env node
// Runs a TypeScript entry point without type-checking it: ts-node transpiles with swc (see the
// "ts-node" section of tsconfig.base.json). Type-checking is the separate `typecheck` target.
// Usage: node scripts/run.js <file.ts> [args...]
const { resolve } = require('node:path');
require('ts-node').register({ swc: true, project: resolve(__dirname, '..', 'tsconfig.base.json') });
const [, , entry, ...args] = process.argv;
if (!entry) {
  process.stderr.write('usage: node scripts/run.js <file.ts> [args...]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...args];
require(resolve(entry));
