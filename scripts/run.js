#!/usr/bin/env node
// Runs a TypeScript entry point without type-checking it: ts-node transpiles with swc (see the
// "ts-node" section of tsconfig.base.json). Type-checking is the separate `typecheck` target.
// Usage: node scripts/run.js <file.ts> [args...]
const { resolve } = require('node:path');
require('ts-node').register({ swc: true, project: resolve(__dirname, '..', 'tsconfig.base.json') });

// cdktf records a stack trace, with no depth limit, for every token it creates; ts-node's
// source-map support maps each frame of each of them, which was a third of synthesis time
// (measured with node --cpu-prof). cdktf reads those traces only to explain a failed synthesis,
// so traces captured inside cdktf get V8's plain format, and only their first frames (formatting
// every frame of every token's trace was still 8% of synthesis); every other stack trace keeps
// its TypeScript positions.
const { sep } = require('node:path');
const CDKTF_LIB = `${sep}node_modules${sep}cdktf${sep}lib${sep}`;
const CDKTF_TRACE_FRAMES = 16;
const mapStackTrace = Error.prepareStackTrace;
Error.prepareStackTrace = function prepareStackTrace(error, frames) {
  const top = frames[0] && frames[0].getFileName();
  if (!mapStackTrace || (top && top.includes(CDKTF_LIB))) {
    return `${error}${frames.slice(0, CDKTF_TRACE_FRAMES).map((f) => `\n    at ${f}`).join('')}`;
  }
  return mapStackTrace(error, frames);
};

const [, , entry, ...args] = process.argv;
if (!entry) {
  process.stderr.write('usage: node scripts/run.js <file.ts> [args...]\n');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...args];
require(resolve(entry));
