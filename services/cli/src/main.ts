import { homedir } from 'node:os';
import { runCli } from './program';

const abort = new AbortController();
const stop = (): void => abort.abort();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
// `bpane events tail | head` closes stdout early: that is a normal end, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const write =
  (stream: NodeJS.WriteStream) =>
  (text: string): void => {
    stream.write(text);
  };

runCli(process.argv.slice(2), {
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  env: process.env,
  stderrIsTty: process.stderr.isTTY === true,
  homeDir: homedir(),
  signal: abort.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bpane: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
