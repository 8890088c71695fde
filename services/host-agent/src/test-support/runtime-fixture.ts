import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHostAgentConfig, type HostAgentConfig } from '../config/host-agent-config';
import { reapStaleRuntimes } from '../runtime/process-record';
import { RuntimeSupervisor } from '../runtime/runtime-supervisor';

export type RuntimeFixture = {
  cfg: HostAgentConfig;
  runtime: RuntimeSupervisor;
  /** Stops the runtime, kills anything still recorded, removes the directories. Idempotent. */
  dispose: () => Promise<void>;
};

/**
 * A real runtime (Xvfb + openbox + Chromium, PulseAudio when asked) in a fresh temporary root, for
 * integration tests. Always pair with `afterAll(() => fixture.dispose())`: it also reaps the
 * recorded process groups if `stop()` could not run.
 */
export const startRuntime = async (overrides: Partial<HostAgentConfig> = {}): Promise<RuntimeFixture> => {
  const rootDir = mkdtempSync(join(tmpdir(), 'bpane-ha-test-'));
  const cfg = loadHostAgentConfig(
    {},
    { rootDir, runtimeId: 'rt', healthPort: 0, audio: false, maxWidth: 1920, maxHeight: 1080, ...overrides },
  );
  const runtime = new RuntimeSupervisor(cfg);
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    try {
      await runtime.stop();
    } finally {
      // Anything the record still names (for example after a failed start) is killed by group.
      await reapStaleRuntimes(rootDir).catch(() => undefined);
      rmSync(rootDir, { recursive: true, force: true });
    }
  };
  try {
    await runtime.start();
  } catch (e) {
    await dispose();
    throw e;
  }
  return { cfg, runtime, dispose };
};
