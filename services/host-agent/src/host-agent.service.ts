import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { HostAgentConfig } from './config/host-agent-config';
import { HealthServer } from './health/health-server';
import { HOST_AGENT_CONFIG } from './host-agent.tokens';
import { RuntimeSupervisor } from './runtime/runtime-supervisor';

/**
 * Composition root of the running agent: starts the runtime (Xvfb, openbox, PulseAudio, Chromium)
 * and the health server when Nest boots, and stops both, in reverse, when Nest shuts down.
 */
@Injectable()
export class HostAgentService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('HostAgent');
  private readonly health: HealthServer;
  private sub: Subscription | null = null;
  healthPort = 0;

  constructor(
    @Inject(HOST_AGENT_CONFIG) private readonly cfg: HostAgentConfig,
    // explicit tokens: the agent also runs under tsx, which emits no decorator metadata
    @Inject(RuntimeSupervisor) readonly runtime: RuntimeSupervisor,
  ) {
    this.health = new HealthServer({
      live: () => this.runtime.health(),
      ready: () => this.runtime.readiness(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sub = this.runtime.events.subscribe((ev) => this.log.log(JSON.stringify(ev)));
    this.healthPort = await this.health.listen(this.cfg.healthHost, this.cfg.healthPort);
    this.log.log(`health on http://${this.cfg.healthHost}:${this.healthPort}/healthz`);
    await this.runtime.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
    await this.health.close();
    this.sub?.unsubscribe();
  }
}
