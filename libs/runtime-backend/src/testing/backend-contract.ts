import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeBackendError, type RuntimeBackend } from '../runtime-backend';

export type ContractFixture = Readonly<{
  /** A backend over the fixture's shared state (a second call sees the first one's runtimes). */
  make: (limits: { maxActive?: number | null; maxStarting?: number | null }) => RuntimeBackend;
  /** Whether the process (or container…) of a runtime still exists, judged outside the backend. */
  exists: (runtimeId: string, pid: number | null) => boolean;
  cleanup: () => Promise<void>;
}>;

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof RuntimeBackendError ? error.code : `untyped: ${String(error)}`;
  }
};

/**
 * The behaviour every runtime backend must show (docs/runtime-backends.md). A backend's
 * integration test calls this with a fixture; `local` runs it on real host agents.
 */
export const runtimeBackendContract = (name: string, fixture: () => ContractFixture): void => {
  describe(`runtime backend contract: ${name}`, () => {
    const fx = fixture();
    afterAll(() => fx.cleanup(), 60_000);
    const viewport = { width: 1024, height: 640 };

    it('starts a ready runtime, limits capacity, is seen by a new instance, and stops it', async () => {
      const backend = fx.make({ maxActive: 1, maxStarting: 1 });
      const sessionId = crypto.randomUUID();
      const h = await backend.start({ sessionId, viewport });
      expect(h.sessionId).toBe(sessionId);
      expect(h.backend).toBe(backend.name);
      expect(h.hostLinkUrl).toMatch(/^https?:\/\//);
      expect(h.hostLinkSecret.length).toBeGreaterThanOrEqual(32);
      expect((await backend.health(h.runtimeId)).status).toBe('ready');
      expect(backend.capacity()).toMatchObject({ active: 1, starting: 0, maxActive: 1 });
      // The link refuses a caller without the runtime's secret.
      const unauth = await fetch(`${h.hostLinkUrl}/cdp/json/version`);
      expect(unauth.status).toBe(401);
      if (h.cdp !== null) {
        const version = (await (await fetch(`${h.cdp.httpUrl}/json/version`)).json()) as { Browser: string };
        expect(version.Browser).toMatch(/Chrom/);
      }
      expect(await codeOf(backend.start({ sessionId: crypto.randomUUID(), viewport }))).toBe(
        'capacity_exhausted',
      );

      const again = fx.make({ maxActive: 1 });
      const listed = (await again.list()).find((r) => r.runtimeId === h.runtimeId);
      expect(listed).toMatchObject({ alive: true, pid: h.pid, sessionId, hostLinkUrl: h.hostLinkUrl });
      expect(again.capacity().active).toBe(1);

      await again.stop(h.runtimeId);
      expect(fx.exists(h.runtimeId, h.pid)).toBe(false);
      expect((await backend.health(h.runtimeId)).status).toBe('gone');
      expect((await backend.list()).some((r) => r.runtimeId === h.runtimeId)).toBe(false);
      await expect(backend.stop(h.runtimeId, { force: true })).resolves.toBeUndefined();
    }, 90_000);

    it('rejects bad specs with typed errors', async () => {
      const backend = fx.make({});
      expect(await codeOf(backend.start({ sessionId: 'x', runtimeId: '../etc', viewport }))).toBe(
        'invalid_runtime_spec',
      );
      expect((await backend.health('no-such-runtime')).status).toBe('gone');
      await expect(backend.stop('no-such-runtime')).resolves.toBeUndefined();
    });
  });
};
