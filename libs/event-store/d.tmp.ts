import { startFakeEventStoreDb } from './src/eventstoredb/fake-eventstoredb-server';
import { createEventStoreDbEventStore } from './src/eventstoredb/eventstoredb-event-store';
import { newEvent } from './src/contract/helpers';
const fake = await startFakeEventStoreDb();
const store = await createEventStoreDbEventStore({ kind: 'eventstoredb', connectionString: fake.url });
await store.appendToStream('s1', [newEvent(), newEvent(), newEvent()]);
const step = process.argv[2];
if (step === 'a')
  console.log(await store.readAll({ direction: 'backwards', maxCount: 1 }).then((x) => x.length));
if (step === 'b')
  console.log(await store.readStream('s1', { direction: 'backwards', maxCount: 1 }).then((x) => x.length));
if (step === 'c') console.log(await store.readAll({ maxCount: 1 }).then((x) => x.length));
const t = performance.now();
const timer = setTimeout(() => {
  console.log(step, 'store.close still pending after 5s');
  process.exit(1);
}, 5000);
await store.close();
clearTimeout(timer);
console.log(step, 'store.close', performance.now() - t);
await fake.close();
