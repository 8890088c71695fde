import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@bpane/auth';
import { isMappableClaim } from '@bpane/domain-identity';
import {
  activeIdentityMappings,
  listIdentityMappings,
  listProjects,
  listServicePrincipals,
  listSessions,
  type IdentityMappingView,
  type ReadModelDatabase,
  type ServicePrincipalView,
} from '@bpane/read-models';
import type { RequestContext } from '../auth/current-principal';
import { READ_MODELS } from '../infra/tokens';
import { ProjectsService } from '../projects/projects.service';
import {
  identityMappingDto,
  identityMe,
  servicePrincipalDto,
  type IdentityMappingDto,
  type IdentityMeDto,
  type ServicePrincipalDto,
} from './identity.dto';

export type UnmappedSignal = { kind: 'group' | 'claim' | 'service_principal'; name: string; value: string };

export type AccessReviewDto = {
  principal: IdentityMeDto;
  matched_mappings: IdentityMappingDto[];
  unmapped_signals: UnmappedSignal[];
  service_principals: ServicePrincipalDto[];
  identity_mappings: IdentityMappingDto[];
  projects: { id: string; name: string; state: string; active_mappings: number; active_sessions: number }[];
  resource_counts: Record<string, number>;
  delegated_automation: {
    session_id: string;
    principal: string;
    service_principal_id: string | null;
    service_principal_state: string | null;
  }[];
};

const REVIEW_LIMIT = 200;

/** The caller's safe claim values, as (claim name, value) pairs; raw token payloads never appear. */
export const safeClaimValues = (p: Principal): { claim: string; value: string }[] => {
  const out: { claim: string; value: string }[] = [];
  for (const role of p.roles) {
    const i = role.indexOf(':');
    if (i > 0) out.push({ claim: `resource_access.${role.slice(0, i)}.roles`, value: role.slice(i + 1) });
    else {
      out.push({ claim: 'roles', value: role });
      out.push({ claim: 'realm_access.roles', value: role });
    }
  }
  for (const [claim, value] of Object.entries(p.attributes))
    if (value !== undefined) out.push({ claim, value });
  return out.filter((c) => isMappableClaim(c.claim));
};

/** Whether an active mapping applies to a principal (service principals by their registered client id). */
export const mappingMatches = (
  m: IdentityMappingView,
  p: Principal,
  servicePrincipals: ReadonlyMap<string, ServicePrincipalView>,
): boolean => {
  const s = m.subject;
  switch (s['kind']) {
    case 'user':
      return p.kind === 'user' && s['subject'] === p.subject;
    case 'group':
      return p.groups.includes(s['group'] ?? '');
    case 'claim':
      return safeClaimValues(p).some((c) => c.claim === s['claim'] && c.value === s['value']);
    case 'service_principal': {
      const sp = servicePrincipals.get(s['service_principal_id'] ?? '');
      return p.kind === 'service' && sp !== undefined && sp.state === 'active' && sp.clientId === p.clientId;
    }
    default:
      return false;
  }
};

@Injectable()
export class AccessReviewService {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
  ) {}

  async review(ctx: RequestContext): Promise<AccessReviewDto> {
    const ownerId = ctx.ownerId;
    const [sps, mappings, active, projectPage] = await Promise.all([
      listServicePrincipals(this.db, { ownerId, limit: REVIEW_LIMIT }),
      listIdentityMappings(this.db, { ownerId, limit: REVIEW_LIMIT }),
      activeIdentityMappings(this.db, ownerId),
      listProjects(this.db, { ownerId, limit: REVIEW_LIMIT }),
    ]);
    const spById = new Map(sps.items.map((s) => [s.id, s]));
    const projectName = new Map(projectPage.items.map((p) => [p.id, p.name]));
    const dto = (m: IdentityMappingView) => identityMappingDto(m, projectName.get(m.projectId) ?? null);
    const p = ctx.principal;

    const matched = active.filter((m) => mappingMatches(m, p, spById));
    const unmapped: UnmappedSignal[] = [];
    for (const g of p.groups)
      if (!active.some((m) => m.subject['kind'] === 'group' && m.subject['group'] === g))
        unmapped.push({ kind: 'group', name: 'groups', value: g });
    for (const c of safeClaimValues(p))
      if (
        !active.some(
          (m) =>
            m.subject['kind'] === 'claim' && m.subject['claim'] === c.claim && m.subject['value'] === c.value,
        )
      )
        unmapped.push({ kind: 'claim', name: c.claim, value: c.value });
    if (p.kind === 'service' && p.clientId !== undefined && !sps.items.some((s) => s.clientId === p.clientId))
      unmapped.push({ kind: 'service_principal', name: 'client_id', value: p.clientId });

    const projects = [];
    for (const pr of projectPage.items) {
      const usage = await this.projects.usage(ctx, pr.id);
      projects.push({
        id: pr.id,
        name: pr.name,
        state: pr.state,
        active_mappings: active.filter((m) => m.projectId === pr.id).length,
        active_sessions: usage.active_sessions,
      });
    }

    const sessions = await listSessions(this.db, { ownerId, limit: REVIEW_LIMIT });
    const spByClient = new Map(sps.items.map((s) => [s.clientId, s]));
    const delegated = sessions.items
      .map((v) => v.session)
      .filter((s) => s.automationOwner !== null)
      .map((s) => {
        const sp = spByClient.get(s.automationOwner!.clientId);
        return {
          session_id: s.sessionId,
          principal: s.automationOwner!.clientId,
          service_principal_id: sp?.id ?? null,
          service_principal_state: sp?.state ?? null,
        };
      });

    return {
      principal: identityMe(p),
      matched_mappings: matched.map(dto),
      unmapped_signals: unmapped,
      service_principals: sps.items.map(servicePrincipalDto),
      identity_mappings: mappings.items.map(dto),
      projects,
      resource_counts: {
        projects: projectPage.total,
        service_principals: sps.total,
        identity_mappings: mappings.total,
        sessions: sessions.total,
      },
      delegated_automation: delegated,
    };
  }
}
