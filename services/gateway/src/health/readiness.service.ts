import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

/** Aggregates readiness probes registered by the infrastructure modules (store, read models, NATS). */
@Injectable()
export class ReadinessService {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  async check(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, string> }> {
    const out: Record<string, string> = {};
    let ok = true;
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) =>
              setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref(),
            ),
          ]);
          out[name] = 'ok';
        } catch (e) {
          ok = false;
          out[name] = `unavailable: ${e instanceof Error ? e.message : String(e)}`;
        }
      }),
    );
    return { status: ok ? 'ok' : 'degraded', checks: out };
  }
}
