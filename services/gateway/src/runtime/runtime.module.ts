import { isAbsolute, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { LocalRuntimeBackend, type RuntimeBackend } from '@bpane/runtime-backend';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { LiveModule } from '../live/live.module';
import { RuntimeCoordinator } from './runtime-coordinator';
import { RUNTIME_BACKEND } from './runtime.tokens';

/** The backend named by `BPANE_RUNTIME_BACKEND` (null for `none`). */
export const runtimeBackendFromConfig = (config: GatewayConfig): RuntimeBackend | null => {
  if (config.runtimeBackend === 'none') return null;
  const dataRoot = isAbsolute(config.runtimeDataRoot)
    ? config.runtimeDataRoot
    : resolve(process.cwd(), config.runtimeDataRoot);
  const command = config.runtimeHostAgentCommand?.trim();
  return new LocalRuntimeBackend({
    dataRoot,
    ...(command ? { command: command.split(/\s+/) } : {}),
    maxActive: config.maxActiveRuntimes === 0 ? null : config.maxActiveRuntimes,
    maxStarting: config.maxStartingRuntimes === 0 ? null : config.maxStartingRuntimes,
    startTimeoutMs: config.runtimeStartTimeoutMs,
    audio: config.runtimeAudio,
  });
};

/** Runtime backends and the session ↔ runtime lifecycle (docs/runtime-backends.md). */
@Module({
  imports: [LiveModule],
  providers: [
    {
      provide: RUNTIME_BACKEND,
      useFactory: (config: GatewayConfig) => runtimeBackendFromConfig(config),
      inject: [GATEWAY_CONFIG],
    },
    RuntimeCoordinator,
  ],
  exports: [RuntimeCoordinator, RUNTIME_BACKEND],
})
export class RuntimeModule {}
