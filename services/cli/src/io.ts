/** Everything the CLI touches outside itself, passed in so tests and tools can run it in-process. */
export type CliIo = Readonly<{
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress bars redraw in place only then). */
  stderrIsTty: boolean;
  homeDir: string;
  /** Aborted on SIGINT/SIGTERM (ends `--follow` and long operations cleanly). */
  signal: AbortSignal;
}>;
