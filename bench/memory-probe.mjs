// Preloaded into a benchmarked server process (`node --expose-gc --import bench/memory-probe.mjs …`): on SIGUSR2 it
// collects garbage and prints one line `PARLEY_MEMORY {json}` with process.memoryUsage() to stdout.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  process.stdout.write(`PARLEY_MEMORY ${JSON.stringify({ ...process.memoryUsage(), gc: typeof globalThis.gc === 'function' })}\n`);
});
