import type { Principal } from '@bpane/auth';
import type { MappingSubject } from '@bpane/domain-identity';
import type { IdentityMappingView, ServicePrincipalView } from '@bpane/read-models';

export type ServicePrincipalDto = {
  id: string;
  client_id: string;
  issuer: string | null;
  display_name: string;
  description: string | null;
  labels: Record<string, string>;
  state: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
};

export type MappingSubjectDto =
  | { kind: 'user'; subject: string }
  | { kind: 'group'; group: string }
  | { kind: 'claim'; claim: string; value: string }
  | { kind: 'service_principal'; service_principal_id: string };

export type IdentityMappingDto = {
  id: string;
  subject: MappingSubjectDto;
  project_id: string;
  project_name: string | null;
  role: 'member' | 'viewer';
  description: string | null;
  state: 'active' | 'disabled';
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
};

export type ServicePrincipalCreateBody = {
  client_id: string;
  issuer?: string | null;
  display_name: string;
  description?: string | null;
  labels?: Record<string, string>;
  client_request_id?: string;
};
export type ServicePrincipalUpdateBody = {
  display_name?: string;
  description?: string | null;
  labels?: Record<string, string>;
  state?: 'active' | 'disabled';
};
export type IdentityMappingCreateBody = {
  subject: MappingSubjectDto;
  project_id: string;
  role?: 'member' | 'viewer';
  description?: string | null;
  client_request_id?: string;
};
export type IdentityMappingUpdateBody = {
  project_id?: string;
  role?: 'member' | 'viewer';
  description?: string | null;
  state?: 'active' | 'disabled';
};

export const servicePrincipalDto = (v: ServicePrincipalView): ServicePrincipalDto => ({
  id: v.id,
  client_id: v.clientId,
  issuer: v.issuer,
  display_name: v.displayName,
  description: v.description,
  labels: { ...v.labels },
  state: v.state,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
  disabled_at: v.disabledAt,
});

export const identityMappingDto = (
  v: IdentityMappingView,
  projectName: string | null,
): IdentityMappingDto => ({
  id: v.id,
  subject: v.subject as MappingSubjectDto,
  project_id: v.projectId,
  project_name: projectName,
  role: v.role,
  description: v.description,
  state: v.state,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
  disabled_at: v.disabledAt,
});

export const subjectFromDto = (s: MappingSubjectDto): MappingSubject => {
  switch (s.kind) {
    case 'user':
      return { kind: 'user', subject: s.subject };
    case 'group':
      return { kind: 'group', group: s.group };
    case 'claim':
      return { kind: 'claim', claim: s.claim, value: s.value };
    case 'service_principal':
      return { kind: 'service_principal', servicePrincipalId: s.service_principal_id };
  }
};

export type IdentityMeDto = {
  principal_type: 'user' | 'service_principal';
  subject: string;
  issuer: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  client_id: string | null;
  groups: string[];
};

/** The caller as the API sees it: a sanitized principal, never the token or its raw claims. */
export const identityMe = (p: Principal): IdentityMeDto => ({
  principal_type: p.kind === 'service' ? 'service_principal' : 'user',
  subject: p.subject,
  issuer: p.issuer,
  username: p.username ?? null,
  email: p.email ?? null,
  display_name: p.name ?? null,
  client_id: p.clientId ?? null,
  groups: [...p.groups],
});
