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
import { HostLinkServer } from './link/host-link-server';
import { LiveMedia } from './link/live-media';
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
  private media: LiveMedia | null = null;
  private link: HostLinkServer | null = null;
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
    if (this.cfg.linkSecret !== '') await this.startLink();
  }

  /** The gateway link (ADR 0013): the media pipeline and the `/link` + `/cdp` endpoint. */
  private async startLink(): Promise<void> {
    const runtime = this.runtime;
    this.media = await LiveMedia.start(this.cfg, {
      display: runtime.display,
      cdpPort: runtime.cdpPort,
      resize: (size) => runtime.resize(size),
      ...(this.cfg.audio ? { pulseServer: runtime.pulseServer } : {}),
      files: { uploads: runtime.dirs.uploads, downloads: runtime.dirs.downloads },
    });
    this.link = new HostLinkServer({
      host: this.cfg.linkHost,
      port: this.cfg.linkPort,
      secret: this.cfg.linkSecret,
      media: this.media,
      cdpPort: () => runtime.cdpPort,
      clipboardMaxBytes: this.cfg.clipboardMaxBytes,
      log: (line) => this.log.log(line),
    });
    const port = await this.link.listen();
    this.log.log(`host link on http://${this.cfg.linkHost}:${port}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link?.close();
    await this.media?.stop();
    await this.runtime.stop();
    await this.health.close();
    this.sub?.unsubscribe();
  }
}
