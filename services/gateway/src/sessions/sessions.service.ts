import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { NotFoundError, ValidationFailedError } from '@bpane/ddd';
import {
  isLiveSession,
  resolveSessionConfig,
  SessionIllegalStateError,
  sessionStreamId,
  TERMINAL_STATES,
  type AdmissionInput,
  type SessionCommand,
  type SessionData,
  type SessionLifecycleState,
  type RuntimeState,
} from '@bpane/domain-sessions';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import {
  findServicePrincipalByClientId,
  getProject,
  getSession,
  getSessionById,
  getSessionTemplate,
  listSessions,
  type ReadModelDatabase,
  type SessionView,
} from '@bpane/read-models';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { resolveIdempotency } from '../http/idempotency';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { EVENT_STORE, READ_MODELS } from '../infra/tokens';
import { LiveAutomationAccess, type SessionAutomationAccessDto } from '../live/live-automation-access';
import { prefixedFilters } from '../session-templates/values.dto';
import { CAPACITY_FREEING_EVENTS, SessionAdmission } from './session-admission';
import { RunSessionCommand, type SessionCommandResult } from './session-commands';
import {
  configFromBody,
  sessionToDto,
  statusToDto,
  type SessionCreateBody,
  type SessionDto,
  type SessionStatusDto,
} from './session.dto';
import { SessionProblemError } from './session-problems.filter';

export type SessionList = { items: SessionDto[]; total: number; limit: number; offset: number };

type Id = { sessionId: string };
type OwnerCommand = Exclude<SessionCommand, { type: 'CreateSession' }>;

const dataOf = (result: SessionCommandResult): SessionData => {
  if (!isLiveSession(result.state)) throw new Error('a session command left no session');
  return result.state;
};

/** Sessions: writes through the decider pipeline (admission in `SessionAdmission`), reads from `sessions`. */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SessionAdmission) private readonly admission: SessionAdmission,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private run(command: SessionCommand): Promise<SessionCommandResult> {
    return this.commands.execute<RunSessionCommand, SessionCommandResult>(new RunSessionCommand(command));
  }

  /** The caller's session (404 for anyone else's). */
  private async own(ctx: RequestContext, id: string): Promise<SessionView> {
    const view = await getSession(this.db, { id, ownerId: ctx.ownerId });
    if (view === null) throw new NotFoundError('session', id);
    return view;
  }

  /**
   * A session the caller may automate: its own, or one delegated to the calling service principal
   * (`automation-owner`). Anything else is 404.
   */
  private async automatable(ctx: RequestContext, id: string): Promise<SessionView> {
    const view = await getSessionById(this.db, id);
    if (view !== null) {
      const s = view.session;
      if (s.ownerId === ctx.ownerId) return view;
      const p = ctx.principal;
      if (p.kind === 'service' && p.clientId !== undefined && s.automationOwner?.clientId === p.clientId)
        return view;
    }
    throw new NotFoundError('session', id);
  }

  /** The session as the response to a write: the command's state plus its current queue position. */
  private async respond(result: SessionCommandResult): Promise<SessionDto> {
    const s = dataOf(result);
    const view = s.admission?.decision === 'queued' ? await getSessionById(this.db, s.sessionId) : null;
    return sessionToDto(s, view?.queuePosition ?? s.admission?.queuePosition ?? null);
  }

  async list(ctx: RequestContext, query: Record<string, unknown>): Promise<SessionList> {
    const labels = prefixedFilters(query, 'label.');
    const integration = prefixedFilters(query, 'integration.');
    const str = (k: string): string | undefined => (typeof query[k] === 'string' ? query[k] : undefined);
    const page = await listSessions(this.db, {
      ownerId: ctx.ownerId,
      limit: query['limit'] as number,
      offset: query['offset'] as number,
      ...(str('state') !== undefined ? { state: str('state') as SessionLifecycleState } : {}),
      ...(str('runtime_state') !== undefined ? { runtimeState: str('runtime_state') as RuntimeState } : {}),
      ...(str('template_id') !== undefined ? { templateId: str('template_id')! } : {}),
      ...(str('project_id') !== undefined ? { projectId: str('project_id')! } : {}),
      ...(labels ? { labels } : {}),
      ...(integration ? { integration } : {}),
    });
    return {
      items: page.items.map((v) => sessionToDto(v.session, v.queuePosition)),
      total: page.total,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async get(ctx: RequestContext, id: string): Promise<SessionDto> {
    const v = await this.own(ctx, id);
    return sessionToDto(v.session, v.queuePosition);
  }

  async status(ctx: RequestContext, id: string): Promise<SessionStatusDto> {
    const v = await this.automatable(ctx, id);
    const s = v.session;
    const project =
      s.projectId === null ? null : await getProject(this.db, { id: s.projectId, ownerId: s.ownerId });
    return statusToDto(s, v.queuePosition, project);
  }

  async create(
    ctx: RequestContext,
    body: SessionCreateBody,
    headerKey: string | undefined,
  ): Promise<{ session: SessionDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'session',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    const sessionId = idem?.resourceId ?? crypto.randomUUID();
    let template = null;
    if (body.template_id !== undefined) {
      template = await getSessionTemplate(this.db, { id: body.template_id, ownerId: ctx.ownerId });
      if (template === null)
        throw new ValidationFailedError([
          { field: 'template_id', message: `no session template ${body.template_id} of yours exists` },
        ]);
    }
    const defaults = template?.template.defaults ?? null;
    const projectId = body.project_id !== undefined ? body.project_id : (defaults?.projectId ?? null);
    const config = resolveSessionConfig(defaults, configFromBody(body));
    const exists = idem !== undefined && (await this.streamExists(sessionId));

    const create = async (admission: AdmissionInput) =>
      this.run({
        type: 'CreateSession',
        data: { sessionId, templateId: body.template_id ?? null, projectId, config, admission },
        metadata: commandMetadata(ctx, idem?.commandKey),
      });

    let result: SessionCommandResult;
    if (exists) {
      // A retry: the stored session answers (same request) or the key clashes (409); no new decision.
      result = await create({
        decision: projectId === null ? 'owner_scoped' : 'admitted',
        reason: 'replay',
        projectId,
        queuePosition: null,
      });
    } else if (projectId === null) {
      result = await create({
        decision: 'owner_scoped',
        reason: 'owner_scoped',
        projectId: null,
        queuePosition: null,
      });
    } else {
      result = await this.admission.withProjectLock(projectId, async () => {
        const outcome = await this.admission.decide(ctx.ownerId, projectId);
        if (outcome === null)
          throw new ValidationFailedError([
            { field: 'project_id', message: `no project ${projectId} of yours exists` },
          ]);
        if (outcome.refused)
          throw new SessionProblemError(
            'project_archived',
            `project ${projectId} is archived; it admits no sessions`,
          );
        const { refused: _r, ...admission } = outcome;
        return create(admission);
      });
    }
    return { session: await this.respond(result), replayed: result.idempotentReplay };
  }

  private async streamExists(sessionId: string): Promise<boolean> {
    try {
      return (await this.store.readStream(sessionStreamId(sessionId), { maxCount: 1 })).length > 0;
    } catch {
      return false;
    }
  }

  /** Runs a lifecycle command on the caller's session (ownership checked again by the decider). */
  async command(
    ctx: RequestContext,
    id: string,
    build: (target: Id) => Pick<OwnerCommand, 'type' | 'data'>,
    viewer: 'owner' | 'automation' = 'owner',
  ): Promise<SessionDto> {
    const v = viewer === 'owner' ? await this.own(ctx, id) : await this.automatable(ctx, id);
    const partial = build({ sessionId: v.session.sessionId });
    // A delegated principal acts on the owner's session: the owner scope is the session's owner.
    const metadata = { ...commandMetadata(ctx), ownerId: v.session.ownerId };
    const result = await this.run({ ...partial, metadata } as OwnerCommand);
    const s = dataOf(result);
    // A slot this write freed goes to the project's queue before the response (the subscription in
    // SessionAdmission covers stops that do not come through this API).
    if (s.projectId !== null && result.events.some((e) => CAPACITY_FREEING_EVENTS.includes(e.type)))
      await this.admission.admitQueuedQuietly(s.projectId, s.ownerId);
    return this.respond(result);
  }

  /**
   * Delegates automation to a client. A client the owner registered as a service principal and then
   * disabled cannot be delegated to (409 `service_principal_disabled`); existing delegations stay
   * inspectable for cleanup.
   */
  async setAutomationOwner(ctx: RequestContext, id: string, clientId: string): Promise<SessionDto> {
    const sp = await findServicePrincipalByClientId(this.db, { clientId, ownerId: ctx.ownerId });
    if (sp !== null && sp.state === 'disabled')
      throw new BpaneError(
        'service_principal_disabled',
        `service principal ${sp.id} (${clientId}) is disabled; re-enable it before delegating automation to it`,
        { details: { service_principal_id: sp.id } },
      );
    return this.command(ctx, id, (t) => ({ type: 'SetAutomationOwner', data: { ...t, clientId } }));
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.own(ctx, id);
    await this.run({ type: 'DeleteSession', data: { sessionId: id }, metadata: commandMetadata(ctx) });
  }

  /**
   * A token-gated CDP endpoint for automation, issued by the live path once a runtime serves the
   * session; 409 `runtime_not_ready` before that, 409 `illegal_state` for a finished session.
   */
  async automationAccess(ctx: RequestContext, id: string): Promise<SessionAutomationAccessDto> {
    const v = await this.own(ctx, id);
    const s = v.session;
    if (TERMINAL_STATES.includes(s.status))
      throw new SessionIllegalStateError(
        `session ${id} is ${s.status}; it has no browser to automate`,
        s.status,
      );
    let access: LiveAutomationAccess | undefined;
    try {
      access = this.moduleRef.get(LiveAutomationAccess, { strict: false });
    } catch {
      access = undefined;
    }
    if (access !== undefined) {
      try {
        return await access.issue(
          ctx.ownerId,
          ctx.principal.clientId ?? ctx.principal.subject,
          id,
          this.config.publicUrl,
        );
      } catch (error) {
        if (!(error instanceof BpaneError && error.code === 'not_found')) throw error;
      }
    }
    throw new SessionProblemError(
      'runtime_not_ready',
      `session ${id} has no running browser runtime to automate yet (state ${s.status}); retry once it is ready`,
    );
  }
}
