/**
 * Child process of the live benchmark: opens one NodeViewer per ticket given on stdin (JSON lines
 * `{"connect_url","ticket"}`), so the viewers' decoding does not count as gateway CPU. Prints "ready <n>"
 * once all are open and exits when stdin closes.
 */
import { createInterface } from 'node:readline';
import { NodeViewer } from '../src/live/testing/node-viewer';

const viewers: NodeViewer[] = [];
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const { connect_url: url, ticket } = JSON.parse(line) as { connect_url: string; ticket: string };
  const v = new NodeViewer({ url, ticket });
  viewers.push(v);
  void v.opened.then(
    () => process.stdout.write(`ready ${viewers.length}\n`),
    (e: unknown) => process.stdout.write(`failed ${String(e)}\n`),
  );
});
rl.on('close', () => {
  for (const v of viewers) v.close();
  process.exit(0);
});
