import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NotFoundError, ValidationFailedError } from '@bpane/ddd';
import type { SessionTemplateCommand } from '@bpane/domain-sessions';
import {
  getProject,
  getSessionTemplate,
  listSessionTemplates,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { resolveIdempotency } from '../http/idempotency';
import { READ_MODELS } from '../infra/tokens';
import { RunSessionTemplateCommand, type SessionTemplateCommandResult } from './session-template-commands';
import {
  defaultsFromBody,
  templateToDto,
  type SessionTemplateCreateBody,
  type SessionTemplateDto,
  type SessionTemplateUpdateBody,
} from './session-template.dto';
import { prefixedFilters } from './values.dto';

export type SessionTemplateList = {
  items: SessionTemplateDto[];
  total: number;
  limit: number;
  offset: number;
};

/** Session templates: writes through the decider pipeline, reads from `session_templates`. */
@Injectable()
export class SessionTemplatesService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
  ) {}

  private run(command: SessionTemplateCommand): Promise<SessionTemplateCommandResult> {
    return this.commands.execute<RunSessionTemplateCommand, SessionTemplateCommandResult>(
      new RunSessionTemplateCommand(command),
    );
  }

  /** A template's default project must be one of the caller's projects (only its id is stored). */
  private async checkProject(ctx: RequestContext, projectId: string | null | undefined): Promise<void> {
    if (projectId === undefined || projectId === null) return;
    if ((await getProject(this.db, { id: projectId, ownerId: ctx.ownerId })) === null)
      throw new ValidationFailedError([
        { field: 'project_id', message: `no project ${projectId} of yours exists` },
      ]);
  }

  async list(ctx: RequestContext, query: Record<string, unknown>): Promise<SessionTemplateList> {
    const labels = prefixedFilters(query, 'label.');
    const page = await listSessionTemplates(this.db, {
      ownerId: ctx.ownerId,
      limit: query['limit'] as number,
      offset: query['offset'] as number,
      ...(labels ? { labels } : {}),
    });
    return {
      items: page.items.map((v) => templateToDto(v.template)),
      total: page.total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async get(ctx: RequestContext, id: string): Promise<SessionTemplateDto> {
    const view = await getSessionTemplate(this.db, { id, ownerId: ctx.ownerId });
    if (view === null) throw new NotFoundError('session template', id);
    return templateToDto(view.template);
  }

  async create(
    ctx: RequestContext,
    body: SessionTemplateCreateBody,
    headerKey: string | undefined,
  ): Promise<{ template: SessionTemplateDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'session-template',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    await this.checkProject(ctx, body.project_id);
    const result = await this.run({
      type: 'CreateSessionTemplate',
      data: {
        templateId: idem?.resourceId ?? crypto.randomUUID(),
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.labels !== undefined ? { labels: body.labels } : {}),
        defaults: defaultsFromBody(body),
      },
      metadata: commandMetadata(ctx, idem?.commandKey),
    });
    return { template: templateToDto(result.state), replayed: result.idempotentReplay };
  }

  async update(
    ctx: RequestContext,
    id: string,
    body: SessionTemplateUpdateBody,
  ): Promise<SessionTemplateDto> {
    await this.checkProject(ctx, body.project_id);
    const result = await this.run({
      type: 'UpdateSessionTemplate',
      data: {
        templateId: id,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.labels !== undefined ? { labels: body.labels } : {}),
        defaults: defaultsFromBody(body),
      },
      metadata: commandMetadata(ctx),
    });
    return templateToDto(result.state);
  }
}
