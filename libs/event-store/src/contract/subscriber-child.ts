/**
 * A subscriber in its own process, for the contract's kill-and-resume case. It follows the global
 * log from an exclusive checkpoint and persists, for each event, a line `position id` to a file
 * before taking the next one (its checkpoint store). The test SIGKILLs it mid-stream.
 *
 *   BPANE_CT_CONFIG='{"kind":"postgres",...}' BPANE_CT_AFTER=123 BPANE_CT_PREFIX=ct…- \
 *   BPANE_CT_OUT=/tmp/x.log node --import tsx libs/event-store/src/contract/subscriber-child.ts
 */
import { appendFileSync } from 'node:fs';
import type { EventStoreConfig } from '../config';
import { createEventStore } from '../create-event-store';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const config = JSON.parse(env('BPANE_CT_CONFIG')) as EventStoreConfig;
const out = env('BPANE_CT_OUT');
const store = await createEventStore(config);
const subscription = store.subscribeToAll({
  after: BigInt(env('BPANE_CT_AFTER')),
  filter: { streamPrefixes: [env('BPANE_CT_PREFIX')] },
});
process.stdout.write('ready\n');
for await (const event of subscription) {
  // Slow consumer: the kill lands mid-stream, with events still to come.
  if (Number(event.revision) % 50 === 0) await new Promise((r) => setTimeout(r, 5));
  appendFileSync(out, `${event.position} ${event.id}\n`);
}
