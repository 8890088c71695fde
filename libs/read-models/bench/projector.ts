/**
 * Command pipeline, projector and rebuild throughput on a fresh throw-away database.
 *
 *   npm run bench:projector [-- --quick] [-- --projects 1500]
 *
 * 1. command pipeline: create `--projects` projects and update each three times through
 *    `handleCommand` (load → fold → decide → append), sequentially; latency per command;
 * 2. projector catch-up: a projector started on the full log, until its checkpoint reaches the head;
 * 3. rebuild: `rebuildProjections` into shadow tables and swap;
 * 4. read-your-writes: with the projector live, time from a command's append to `waitForPosition`.
 * Writes bench-results/projector.json and prints a summary.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { handleCommand, type CommandMetadata } from '@bpane/ddd';
import { projectDecider, projectStreamId, type ProjectCommand } from '@bpane/domain-projects';
import { createPostgresEventStore } from '@bpane/event-store';
import {
  defaultProjections,
  ProjectionPositions,
  Projector,
  readModelEntities,
  ReadModelDatabase,
  rebuildProjections,
} from '../src/index';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase } from '@bpane/testing';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    projects: { type: 'string' },
    samples: { type: 'string' },
  },
});
const projects = Number(values.projects ?? (values.quick ? 300 : 2500));
const samples = Number(values.samples ?? (values.quick ? 50 : 200));

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;
const meta = (): CommandMetadata => ({
  now: new Date().toISOString(),
  actor: { kind: 'user', id: 'bench-owner' },
  correlationId: randomUUID(),
});

const tdb = await createTestDatabase('bpane_bench_pj');
const store = await createPostgresEventStore({ connectionString: tdb.url });
const db = await ReadModelDatabase.connect({ url: tdb.url, entities: readModelEntities });
const positions = new ProjectionPositions({ url: tdb.url });
try {
  const exec = async (command: ProjectCommand) =>
    handleCommand(store, {
      streamId: projectStreamId(command.data.projectId),
      decider: projectDecider,
      command,
    });

  // 1. Command pipeline.
  const latencies: number[] = [];
  const ids: string[] = [];
  const t1 = performance.now();
  for (let i = 0; i < projects; i++) {
    const projectId = randomUUID();
    ids.push(projectId);
    let t = performance.now();
    await exec({
      type: 'CreateProject',
      data: { projectId, name: `p${i}`, labels: { i: String(i) } },
      metadata: meta(),
    });
    latencies.push(performance.now() - t);
    for (let u = 1; u <= 3; u++) {
      t = performance.now();
      await exec({
        type: 'UpdateProject',
        data: { projectId, quotas: { maxActiveSessions: u } },
        metadata: meta(),
      });
      latencies.push(performance.now() - t);
    }
  }
  const pipelineSeconds = (performance.now() - t1) / 1000;
  latencies.sort((a, b) => a - b);
  const events = latencies.length;

  // 2. Projector catch-up from zero.
  const head = await store.headPosition();
  const projector = new Projector({ store, db, projections: defaultProjections() });
  const t2 = performance.now();
  await projector.start();
  if (!(await positions.waitForPosition(head, 600_000))) throw new Error('projector did not catch up');
  const catchUpSeconds = (performance.now() - t2) / 1000;

  // 4. Read-your-writes latency with the projector live.
  const ryw: number[] = [];
  for (let i = 0; i < samples; i++) {
    const projectId = ids[i % ids.length]!;
    const r = await exec({ type: 'UpdateProject', data: { projectId, name: `ryw${i}` }, metadata: meta() });
    const t = performance.now();
    if (!(await positions.waitForPosition(r.position!, 10_000, ['projects'])))
      throw new Error('not projected');
    ryw.push(performance.now() - t);
  }
  ryw.sort((a, b) => a - b);
  await projector.stop();

  // 3. Rebuild.
  const rebuilt = await rebuildProjections({ store, db, projections: defaultProjections() });

  const result = {
    name: 'projector',
    quick: values.quick,
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    commandPipeline: {
      commands: events,
      seconds: round(pipelineSeconds),
      commandsPerSecond: round(events / pipelineSeconds, 0),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
    },
    projectorCatchUp: {
      events,
      seconds: round(catchUpSeconds),
      eventsPerSecond: round(events / catchUpSeconds, 0),
    },
    rebuild: {
      events: rebuilt.eventsDone,
      seconds: round(rebuilt.elapsedMs / 1000),
      eventsPerSecond: round((rebuilt.eventsDone * 1000) / rebuilt.elapsedMs, 0),
    },
    readYourWrites: {
      samples: ryw.length,
      p50Ms: round(percentile(ryw, 50)),
      p99Ms: round(percentile(ryw, 99)),
    },
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/projector.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    [
      `command pipeline: ${result.commandPipeline.commands} commands, ${result.commandPipeline.commandsPerSecond}/s, p50 ${result.commandPipeline.p50Ms} ms, p99 ${result.commandPipeline.p99Ms} ms`,
      `projector catch-up: ${events} events in ${result.projectorCatchUp.seconds} s (${result.projectorCatchUp.eventsPerSecond} events/s)`,
      `rebuild: ${result.rebuild.events} events in ${result.rebuild.seconds} s (${result.rebuild.eventsPerSecond} events/s)`,
      `read-your-writes (append → projected): p50 ${result.readYourWrites.p50Ms} ms, p99 ${result.readYourWrites.p99Ms} ms over ${result.readYourWrites.samples}`,
      'written bench-results/projector.json',
    ].join('\n'),
  );
} finally {
  await positions.close();
  await db.close();
  await store.close();
  await tdb.drop();
}
