import { Module, type DynamicModule } from '@nestjs/common';
import { loadHostAgentConfig, type HostAgentConfig } from './config/host-agent-config';
import { HostAgentService } from './host-agent.service';
import { HOST_AGENT_CONFIG } from './host-agent.tokens';
import { RuntimeSupervisor } from './runtime/runtime-supervisor';

@Module({})
export class HostAgentModule {
  /** The module with a given configuration (default: parsed from the environment). */
  static forRoot(config: HostAgentConfig = loadHostAgentConfig()): DynamicModule {
    return {
      module: HostAgentModule,
      providers: [
        { provide: HOST_AGENT_CONFIG, useValue: config },
        {
          provide: RuntimeSupervisor,
          useFactory: (cfg: HostAgentConfig) => new RuntimeSupervisor(cfg),
          inject: [HOST_AGENT_CONFIG],
        },
        HostAgentService,
      ],
      exports: [RuntimeSupervisor, HostAgentService],
    };
  }
}
