// Preloaded with `node --require` by scripts/lib/synth.ts: reports the process's peak resident
// memory on exit, on stderr, for the synth summary and the benchmark.
process.on('exit', () => {
  process.stderr.write(`platform-peak-rss=${process.resourceUsage().maxRSS * 1024}\n`);
});
