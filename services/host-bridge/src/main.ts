import { homedir } from 'node:os';
import { runHostBridgeCli } from './cli';

// `node dist/services/host-bridge/main.mjs start --profile <name> …` (also `bpane host-bridge start …`).
const abort = new AbortController();
process.once('SIGINT', () => abort.abort());
process.once('SIGTERM', () => abort.abort());

runHostBridgeCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  platform: process.platform,
  homeDir: homedir(),
  signal: abort.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `host-bridge: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
