import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NotFoundError } from '@bpane/ddd';
import {
  findServicePrincipalByClientId,
  getIdentityMapping,
  getProject,
  getServicePrincipal,
  listIdentityMappings,
  listServicePrincipals,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { BpaneError } from '@bpane/errors';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { resolveIdempotency } from '../http/idempotency';
import { READ_MODELS } from '../infra/tokens';
import {
  RunIdentityMappingCommand,
  RunServicePrincipalCommand,
  type IdentityMappingResult,
  type ServicePrincipalResult,
} from './identity-commands';
import {
  identityMappingDto,
  servicePrincipalDto,
  subjectFromDto,
  type IdentityMappingCreateBody,
  type IdentityMappingDto,
  type IdentityMappingUpdateBody,
  type ServicePrincipalCreateBody,
  type ServicePrincipalDto,
  type ServicePrincipalUpdateBody,
} from './identity.dto';

type List<T> = { items: T[]; total: number; limit: number; offset: number };

/** Service principals and identity mappings: commands through the pipeline, reads from read models. */
@Injectable()
export class IdentityService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
  ) {}

  // --- service principals ---------------------------------------------------------------------

  async listServicePrincipals(
    ctx: RequestContext,
    q: Record<string, unknown>,
  ): Promise<List<ServicePrincipalDto>> {
    const page = await listServicePrincipals(this.db, {
      ownerId: ctx.ownerId,
      limit: q['limit'] as number,
      offset: q['offset'] as number,
      ...(typeof q['state'] === 'string' ? { state: q['state'] as 'active' | 'disabled' } : {}),
      ...(typeof q['client_id'] === 'string' ? { clientId: q['client_id'] } : {}),
    });
    return {
      items: page.items.map(servicePrincipalDto),
      total: page.total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async getServicePrincipal(ctx: RequestContext, id: string): Promise<ServicePrincipalDto> {
    const v = await getServicePrincipal(this.db, { id, ownerId: ctx.ownerId });
    if (v === null) throw new NotFoundError('service principal', id);
    return servicePrincipalDto(v);
  }

  async createServicePrincipal(
    ctx: RequestContext,
    body: ServicePrincipalCreateBody,
    headerKey: string | undefined,
  ): Promise<{ resource: ServicePrincipalDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'service_principal',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    if (idem === undefined) {
      const existing = await findServicePrincipalByClientId(this.db, {
        clientId: body.client_id,
        ownerId: ctx.ownerId,
      });
      if (existing !== null)
        throw new BpaneError(
          'conflict',
          `client ${body.client_id} is already registered (service principal ${existing.id})`,
          {
            details: { service_principal_id: existing.id },
          },
        );
    }
    const id = idem?.resourceId ?? crypto.randomUUID();
    const result = await this.commands.execute<RunServicePrincipalCommand, ServicePrincipalResult>(
      new RunServicePrincipalCommand({
        type: 'RegisterServicePrincipal',
        data: {
          servicePrincipalId: id,
          clientId: body.client_id,
          displayName: body.display_name,
          ...(body.issuer !== undefined ? { issuer: body.issuer } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.labels !== undefined ? { labels: body.labels } : {}),
        },
        metadata: commandMetadata(ctx, idem?.commandKey),
      }),
    );
    return { resource: await this.getServicePrincipal(ctx, id), replayed: result.idempotentReplay };
  }

  async updateServicePrincipal(
    ctx: RequestContext,
    id: string,
    body: ServicePrincipalUpdateBody,
  ): Promise<ServicePrincipalDto> {
    const run = (command: RunServicePrincipalCommand['command']) =>
      this.commands.execute<RunServicePrincipalCommand, ServicePrincipalResult>(
        new RunServicePrincipalCommand(command),
      );
    const { state, ...fields } = body;
    if (Object.keys(fields).length > 0) {
      await run({
        type: 'UpdateServicePrincipal',
        data: {
          servicePrincipalId: id,
          ...(fields.display_name !== undefined ? { displayName: fields.display_name } : {}),
          ...(fields.description !== undefined ? { description: fields.description } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
        },
        metadata: commandMetadata(ctx),
      });
    }
    if (state !== undefined) {
      await run({
        type: state === 'disabled' ? 'DisableServicePrincipal' : 'EnableServicePrincipal',
        data: { servicePrincipalId: id },
        metadata: commandMetadata(ctx),
      });
    }
    return this.getServicePrincipal(ctx, id);
  }

  // --- identity mappings ----------------------------------------------------------------------

  private async projectName(ctx: RequestContext, projectId: string): Promise<string | null> {
    return (await getProject(this.db, { id: projectId, ownerId: ctx.ownerId }))?.name ?? null;
  }

  /** Mappings may only point at the caller's own projects and service principals. */
  private async requireOwnProject(ctx: RequestContext, projectId: string): Promise<void> {
    if ((await getProject(this.db, { id: projectId, ownerId: ctx.ownerId })) === null)
      throw new NotFoundError('project', projectId);
  }

  async listIdentityMappings(
    ctx: RequestContext,
    q: Record<string, unknown>,
  ): Promise<List<IdentityMappingDto>> {
    const page = await listIdentityMappings(this.db, {
      ownerId: ctx.ownerId,
      limit: q['limit'] as number,
      offset: q['offset'] as number,
      ...(typeof q['state'] === 'string' ? { state: q['state'] as 'active' | 'disabled' } : {}),
      ...(typeof q['project_id'] === 'string' ? { projectId: q['project_id'] } : {}),
      ...(typeof q['subject_kind'] === 'string' ? { subjectKind: q['subject_kind'] } : {}),
    });
    const names = new Map<string, string | null>();
    for (const m of page.items)
      if (!names.has(m.projectId)) names.set(m.projectId, await this.projectName(ctx, m.projectId));
    return {
      items: page.items.map((m) => identityMappingDto(m, names.get(m.projectId) ?? null)),
      total: page.total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async getIdentityMapping(ctx: RequestContext, id: string): Promise<IdentityMappingDto> {
    const v = await getIdentityMapping(this.db, { id, ownerId: ctx.ownerId });
    if (v === null) throw new NotFoundError('identity mapping', id);
    return identityMappingDto(v, await this.projectName(ctx, v.projectId));
  }

  async createIdentityMapping(
    ctx: RequestContext,
    body: IdentityMappingCreateBody,
    headerKey: string | undefined,
  ): Promise<{ resource: IdentityMappingDto; replayed: boolean }> {
    await this.requireOwnProject(ctx, body.project_id);
    if (body.subject.kind === 'service_principal') {
      const sp = await getServicePrincipal(this.db, {
        id: body.subject.service_principal_id,
        ownerId: ctx.ownerId,
      });
      if (sp === null) throw new NotFoundError('service principal', body.subject.service_principal_id);
    }
    const idem = resolveIdempotency({
      resourceType: 'identity_mapping',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    const id = idem?.resourceId ?? crypto.randomUUID();
    const result = await this.commands.execute<RunIdentityMappingCommand, IdentityMappingResult>(
      new RunIdentityMappingCommand({
        type: 'CreateIdentityMapping',
        data: {
          identityMappingId: id,
          subject: subjectFromDto(body.subject),
          projectId: body.project_id,
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
        },
        metadata: commandMetadata(ctx, idem?.commandKey),
      }),
    );
    return { resource: await this.getIdentityMapping(ctx, id), replayed: result.idempotentReplay };
  }

  async updateIdentityMapping(
    ctx: RequestContext,
    id: string,
    body: IdentityMappingUpdateBody,
  ): Promise<IdentityMappingDto> {
    const run = (command: RunIdentityMappingCommand['command']) =>
      this.commands.execute<RunIdentityMappingCommand, IdentityMappingResult>(
        new RunIdentityMappingCommand(command),
      );
    const { state, ...fields } = body;
    if (fields.project_id !== undefined) await this.requireOwnProject(ctx, fields.project_id);
    if (Object.keys(fields).length > 0) {
      await run({
        type: 'UpdateIdentityMapping',
        data: {
          identityMappingId: id,
          ...(fields.project_id !== undefined ? { projectId: fields.project_id } : {}),
          ...(fields.role !== undefined ? { role: fields.role } : {}),
          ...(fields.description !== undefined ? { description: fields.description } : {}),
        },
        metadata: commandMetadata(ctx),
      });
    }
    if (state !== undefined) {
      await run({
        type: state === 'disabled' ? 'DisableIdentityMapping' : 'EnableIdentityMapping',
        data: { identityMappingId: id },
        metadata: commandMetadata(ctx),
      });
    }
    return this.getIdentityMapping(ctx, id);
  }
}
