import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, NotFoundError, type HandleCommandResult } from '@bpane/ddd';
import {
  egressProfileDecider,
  egressProfileStreamId,
  egressUpcasters,
  type EgressProfileCommand,
  type EgressProfileEvent,
  type EgressProfileSettings,
  type EgressProfileState,
  type SettingsInput,
} from '@bpane/domain-egress';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import {
  getEgressProfile,
  listEgressProfiles,
  type EgressProfileView,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { idempotencyClash, resolveIdempotency } from '../http/idempotency';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE, READ_MODELS } from '../infra/tokens';
import { probeProxy } from './egress-probe';

export class RunEgressCommand {
  constructor(readonly command: EgressProfileCommand) {}
}
type Result = HandleCommandResult<EgressProfileEvent, EgressProfileState>;

@CommandHandler(RunEgressCommand)
export class RunEgressCommandHandler implements ICommandHandler<RunEgressCommand, Result> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunEgressCommand): Promise<Result> {
    try {
      const r = await handleCommand(this.store, {
        streamId: egressProfileStreamId(command.data.egressProfileId),
        decider: egressProfileDecider,
        command,
        upcasters: egressUpcasters,
      });
      if (r.position !== null) await this.ryw.waitFor(r.position);
      return r;
    } catch (error) {
      throw idempotencyClash(error, command.type === 'CreateEgressProfile', command.metadata.idempotencyKey);
    }
  }
}

type ProxyBody = { url: string; bypass?: string[]; credential_binding_id?: string | null } | null;
type Body = {
  name?: string;
  description?: string | null;
  labels?: Record<string, string>;
  proxy?: ProxyBody;
  custom_ca_ref?: string | null;
  traffic_observation?: { mode?: 'metadata_only' | 'tls_intercept'; sensitive_log_sink_ref?: string | null };
  state?: 'active' | 'disabled';
  client_request_id?: string;
};

export type EffectiveStatus = {
  proxied: boolean;
  proxy_host: string | null;
  proxy_scheme: string | null;
  proxy_auth: 'none' | 'credential_binding';
  custom_ca: boolean;
  traffic_observation: 'metadata_only' | 'tls_intercept';
  warnings: string[];
};

/** What will actually happen, without anything secret: host:port, scheme, whether auth and a CA apply. */
export const effectiveStatus = (s: EgressProfileSettings, state: 'active' | 'disabled'): EffectiveStatus => {
  const url = s.proxy === null ? null : new URL(s.proxy.url);
  const warnings: string[] = [];
  if (state === 'disabled') warnings.push('the profile is disabled: new sessions cannot use it');
  if (s.trafficObservation.mode === 'tls_intercept')
    warnings.push('TLS interception is on: decrypted traffic is logged to the sensitive log sink');
  if (url !== null && url.protocol === 'http:' && s.proxy?.credentialBindingId !== null)
    warnings.push('proxy credentials travel over plain HTTP to the proxy');
  return {
    proxied: url !== null,
    proxy_host: url === null ? null : url.host,
    proxy_scheme: url === null ? null : url.protocol.replace(/:$/, ''),
    proxy_auth: s.proxy?.credentialBindingId ? 'credential_binding' : 'none',
    custom_ca: s.customCaRef !== null,
    traffic_observation: s.trafficObservation.mode,
    warnings,
  };
};

const dto = (v: EgressProfileView) => ({
  id: v.id,
  name: v.settings.name,
  description: v.settings.description,
  labels: { ...v.settings.labels },
  state: v.state,
  proxy:
    v.settings.proxy === null
      ? null
      : {
          url: v.settings.proxy.url,
          bypass: [...v.settings.proxy.bypass],
          credential_binding_id: v.settings.proxy.credentialBindingId,
        },
  custom_ca_ref: v.settings.customCaRef,
  traffic_observation: {
    mode: v.settings.trafficObservation.mode,
    sensitive_log_sink_ref: v.settings.trafficObservation.sensitiveLogSinkRef,
  },
  effective_status: effectiveStatus(v.settings, v.state),
  created_at: v.createdAt,
  updated_at: v.updatedAt,
});
export type EgressProfileDto = ReturnType<typeof dto>;

const diagnostics = (v: EgressProfileView) => ({
  profile_id: v.id,
  evidence: v.lastProbe === null ? ('configuration_only' as const) : ('probe' as const),
  effective_status: effectiveStatus(v.settings, v.state),
  last_probe:
    v.lastProbe === null
      ? null
      : {
          outcome: v.lastProbe.outcome,
          latency_ms: v.lastProbe.latencyMs,
          detail: v.lastProbe.detail,
          probed_at: v.lastProbe.probedAt,
        },
});
export type EgressDiagnosticsDto = ReturnType<typeof diagnostics>;

const settingsInput = (b: Body): SettingsInput => ({
  ...(b.name !== undefined ? { name: b.name } : {}),
  ...(b.description !== undefined ? { description: b.description } : {}),
  ...(b.labels !== undefined ? { labels: b.labels } : {}),
  ...(b.proxy !== undefined
    ? {
        proxy:
          b.proxy === null
            ? null
            : {
                url: b.proxy.url,
                bypass: b.proxy.bypass ?? [],
                credentialBindingId: b.proxy.credential_binding_id ?? null,
              },
      }
    : {}),
  ...(b.custom_ca_ref !== undefined ? { customCaRef: b.custom_ca_ref } : {}),
  ...(b.traffic_observation !== undefined
    ? {
        trafficObservation: {
          ...(b.traffic_observation.mode !== undefined ? { mode: b.traffic_observation.mode } : {}),
          ...(b.traffic_observation.sensitive_log_sink_ref !== undefined
            ? { sensitiveLogSinkRef: b.traffic_observation.sensitive_log_sink_ref }
            : {}),
        },
      }
    : {}),
});

@Injectable()
export class EgressProfilesService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
  ) {}

  private run(command: EgressProfileCommand): Promise<Result> {
    return this.commands.execute<RunEgressCommand, Result>(new RunEgressCommand(command));
  }

  private async view(ctx: RequestContext, id: string): Promise<EgressProfileView> {
    const v = await getEgressProfile(this.db, { id, ownerId: ctx.ownerId });
    if (v === null) throw new NotFoundError('egress profile', id);
    return v;
  }

  async list(ctx: RequestContext, q: Record<string, unknown>) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(q))
      if (k.startsWith('label.') && typeof v === 'string') labels[k.slice(6)] = v;
    const page = await listEgressProfiles(this.db, {
      ownerId: ctx.ownerId,
      limit: q['limit'] as number,
      offset: q['offset'] as number,
      ...(typeof q['state'] === 'string' ? { state: q['state'] as 'active' | 'disabled' } : {}),
      labels,
    });
    return { items: page.items.map(dto), total: page.total, limit: page.limit, offset: page.offset };
  }

  async get(ctx: RequestContext, id: string): Promise<EgressProfileDto> {
    return dto(await this.view(ctx, id));
  }

  async create(
    ctx: RequestContext,
    body: Body,
    headerKey: string | undefined,
  ): Promise<{ resource: EgressProfileDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'egress_profile',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    const id = idem?.resourceId ?? crypto.randomUUID();
    const r = await this.run({
      type: 'CreateEgressProfile',
      data: { egressProfileId: id, settings: settingsInput(body) },
      metadata: commandMetadata(ctx, idem?.commandKey),
    });
    return { resource: await this.get(ctx, id), replayed: r.idempotentReplay };
  }

  async update(ctx: RequestContext, id: string, body: Body): Promise<EgressProfileDto> {
    const { state, ...rest } = body;
    if (Object.keys(rest).length > 0)
      await this.run({
        type: 'UpdateEgressProfile',
        data: { egressProfileId: id, settings: settingsInput(rest) },
        metadata: commandMetadata(ctx),
      });
    if (state !== undefined)
      await this.run({
        type: state === 'disabled' ? 'DisableEgressProfile' : 'EnableEgressProfile',
        data: { egressProfileId: id },
        metadata: commandMetadata(ctx),
      });
    return this.get(ctx, id);
  }

  async diagnostics(ctx: RequestContext, id: string): Promise<EgressDiagnosticsDto> {
    return diagnostics(await this.view(ctx, id));
  }

  async probe(
    ctx: RequestContext,
    id: string,
    body: { target_host?: string; target_port?: number } | undefined,
  ): Promise<EgressDiagnosticsDto> {
    const v = await this.view(ctx, id);
    if (v.state === 'disabled')
      throw new BpaneError('illegal_state', 'a disabled egress profile cannot be probed; enable it first');
    const result = await probeProxy(v.settings, {
      host: body?.target_host ?? 'example.com',
      port: body?.target_port ?? 443,
    });
    await this.run({
      type: 'RecordEgressProbe',
      data: { egressProfileId: id, ...result },
      metadata: commandMetadata(ctx),
    });
    return this.diagnostics(ctx, id);
  }
}
