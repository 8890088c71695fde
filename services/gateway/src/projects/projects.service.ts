import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NotFoundError } from '@bpane/ddd';
import type { ProjectCommand, ProjectState } from '@bpane/domain-projects';
import {
  countActiveProjectSessions,
  getProject,
  listProjects,
  type ProjectView,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { resolveIdempotency } from '../http/idempotency';
import { READ_MODELS } from '../infra/tokens';
import { RunProjectCommand, type ProjectCommandResult } from './project-commands';
import {
  quotasFromBody,
  quotasToDto,
  type ProjectCreateBody,
  type ProjectDto,
  type ProjectUpdateBody,
} from './project.dto';

export type ProjectList = { items: ProjectDto[]; total: number; limit: number; offset: number };
export type ProjectUsageDto = {
  project_id: string;
  active_sessions: number;
  active_workflow_runs: number;
  retained_storage_bytes: number;
  quotas: ProjectDto['quotas'];
};

const fromView = (v: ProjectView): ProjectDto => ({
  id: v.id,
  name: v.name,
  description: v.description,
  labels: v.labels,
  state: v.state,
  quotas: quotasToDto(v.quotas),
  created_at: v.createdAt,
  updated_at: v.updatedAt,
  archived_at: v.archivedAt,
});

const fromState = (s: ProjectState): ProjectDto => {
  if (s.status === 'absent') throw new Error('a successful project command left no project');
  return {
    id: s.projectId,
    name: s.name,
    description: s.description,
    labels: s.labels,
    state: s.status,
    quotas: quotasToDto(s.quotas),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    archived_at: s.status === 'archived' ? s.archivedAt : null,
  };
};

const labelFilters = (query: Record<string, unknown>): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query))
    if (k.startsWith('label.') && typeof v === 'string') out[k.slice(6)] = v;
  return Object.keys(out).length > 0 ? out : undefined;
};

/** Projects: writes go through the decider pipeline, reads come from the `projects` read model. */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
  ) {}

  private run(command: ProjectCommand): Promise<ProjectCommandResult> {
    return this.commands.execute<RunProjectCommand, ProjectCommandResult>(new RunProjectCommand(command));
  }

  async list(ctx: RequestContext, query: Record<string, unknown>): Promise<ProjectList> {
    const labels = labelFilters(query);
    const page = await listProjects(this.db, {
      ownerId: ctx.ownerId,
      limit: query['limit'] as number,
      offset: query['offset'] as number,
      ...(typeof query['state'] === 'string' ? { state: query['state'] as 'active' | 'archived' } : {}),
      ...(labels ? { labels } : {}),
    });
    return { items: page.items.map(fromView), total: page.total, limit: page.limit, offset: page.offset };
  }

  async get(ctx: RequestContext, id: string): Promise<ProjectDto> {
    const view = await getProject(this.db, { id, ownerId: ctx.ownerId });
    if (view === null) throw new NotFoundError('project', id);
    return fromView(view);
  }

  async create(
    ctx: RequestContext,
    body: ProjectCreateBody,
    headerKey: string | undefined,
  ): Promise<{ project: ProjectDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'project',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    const quotas = quotasFromBody(body.quotas);
    const result = await this.run({
      type: 'CreateProject',
      data: {
        projectId: idem?.resourceId ?? crypto.randomUUID(),
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.labels !== undefined ? { labels: body.labels } : {}),
        ...(quotas !== undefined ? { quotas } : {}),
      },
      metadata: commandMetadata(ctx, idem?.commandKey),
    });
    return { project: fromState(result.state), replayed: result.idempotentReplay };
  }

  async update(ctx: RequestContext, id: string, body: ProjectUpdateBody): Promise<ProjectDto> {
    const { state, ...fields } = body;
    const quotas = quotasFromBody(fields.quotas);
    let last: ProjectCommandResult | undefined;
    if (
      fields.name !== undefined ||
      fields.description !== undefined ||
      fields.labels !== undefined ||
      quotas !== undefined
    ) {
      last = await this.run({
        type: 'UpdateProject',
        data: {
          projectId: id,
          ...(fields.name !== undefined ? { name: fields.name } : {}),
          ...(fields.description !== undefined ? { description: fields.description } : {}),
          ...(fields.labels !== undefined ? { labels: fields.labels } : {}),
          ...(quotas !== undefined ? { quotas } : {}),
        },
        metadata: commandMetadata(ctx),
      });
    }
    if (state !== undefined) {
      const current = last !== undefined ? last.state.status : (await this.get(ctx, id)).state;
      if (current !== state) {
        last = await this.run({
          type: state === 'archived' ? 'ArchiveProject' : 'UnarchiveProject',
          data: { projectId: id },
          metadata: commandMetadata(ctx),
        });
      }
    }
    return last === undefined ? this.get(ctx, id) : fromState(last.state);
  }

  async usage(ctx: RequestContext, id: string): Promise<ProjectUsageDto> {
    const project = await this.get(ctx, id);
    // Workflow runs and retained files are counted here as their contexts arrive.
    return {
      project_id: project.id,
      active_sessions: await countActiveProjectSessions(this.db, project.id),
      active_workflow_runs: 0,
      retained_storage_bytes: 0,
      quotas: project.quotas,
    };
  }
}
