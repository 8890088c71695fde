/**
 * Deeper fuzzing of the wire protocol than the fuzz tier runs.
 *
 *   npm run fuzz:protocol -- [--seed N] [--iterations N] [--from I] [--max-frame-size BYTES]
 *
 * Defaults: a random seed (printed), 10,000,000 iterations. Exits 1 on any crash (a non-ProtocolError,
 * a split-dependent result, a non-bijective accept) and prints how to replay each crashing input.
 */
import { parseArgs } from 'node:util';
import { runFuzz } from '../../libs/protocol/test-support/fuzz';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    iterations: { type: 'string', default: '10000000' },
    from: { type: 'string', default: '0' },
    'max-frame-size': { type: 'string' },
  },
});

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const iterations = Number(values.iterations);
const from = Number(values.from);
if (!Number.isInteger(seed) || !Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(from)) {
  console.error('usage: fuzz:protocol [--seed N] [--iterations N] [--from I] [--max-frame-size BYTES]');
  process.exit(2);
}
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
console.log(`fuzzing the protocol: seed ${seed}, iterations ${from}..${from + iterations - 1}`);
const report = runFuzz({
  seed,
  iterations,
  from,
  ...(values['max-frame-size'] ? { maxFrameSize: Number(values['max-frame-size']) } : {}),
  progressEvery: 500_000,
  onProgress: (done, r) =>
    console.log(
      `  ${done.toLocaleString('en-US')} inputs, ${r.framesAccepted.toLocaleString('en-US')} frames accepted, ${r.crashes.length} crashes, heap ${mb(process.memoryUsage().heapUsed)}`,
    ),
});
console.log(
  `done: ${report.iterations.toLocaleString('en-US')} inputs (${mb(report.inputBytes)}) in ${(report.elapsedMs / 1000).toFixed(1)} s`,
);
console.log(
  `  accepted: ${report.inputsAccepted.toLocaleString('en-US')} inputs, ${report.framesAccepted.toLocaleString('en-US')} frames`,
);
console.log(`  rejected: ${JSON.stringify(report.errors)}`);
console.log(
  `  heap: start ${mb(report.heapStartBytes)}, peak ${mb(report.heapPeakBytes)}, end ${mb(report.heapEndBytes)}`,
);
if (report.crashes.length > 0) {
  console.error(`${report.crashes.length} crash(es):`);
  for (const c of report.crashes) {
    console.error(`  iteration ${c.iteration}: ${c.error}\n    input ${c.input}`);
    console.error(`    replay: npm run fuzz:protocol -- --seed ${seed} --from ${c.iteration} --iterations 1`);
  }
  process.exit(1);
}
console.log('  crashes: 0');
