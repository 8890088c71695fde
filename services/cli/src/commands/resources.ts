import { type Command } from 'commander';
import { apiClientFor, type ApiClient } from '../api/client';
import { compact, labelOption, nonNegativeInt, oneOf, repeat, viewport } from '../api/options';
import { type Column, field, labelsCell, type Page, printDone, printObject, printPage } from '../api/render';
import { CliError } from '../errors';
import { positiveInt } from '../parsers';
import { type CommandContext } from '../program';

type Run = (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>;
type Labels = Readonly<Record<string, string>>;
type ListOptions = Readonly<{ limit?: number; offset?: number }>;

const api = (ctx: CommandContext): ApiClient => apiClientFor(ctx.settings, ctx.io.signal);
const seg = (id: string): string => encodeURIComponent(id);

const withPaging = (cmd: Command): Command =>
  cmd
    .option('--limit <n>', 'page size (1-200; API default 50)', positiveInt)
    .option('--offset <n>', 'skip this many items', nonNegativeInt);

const withIdempotency = (cmd: Command): Command =>
  cmd.option(
    '--idempotency-key <key>',
    'Idempotency-Key header: repeating the request with the same key returns the first result',
  );

const requireChanges = (body: Record<string, unknown>): Record<string, unknown> => {
  const changes = compact(body);
  if (Object.keys(changes).length === 0)
    throw new CliError('usage', 'nothing to update: give at least one option (see --help)');
  return changes;
};

const list = async (
  ctx: CommandContext,
  path: string,
  query: Record<string, string | number | undefined>,
  columns: readonly Column[],
): Promise<void> => {
  const page = await api(ctx).get<Page>(path, query);
  printPage(ctx, page, columns);
};

const get = async (ctx: CommandContext, path: string): Promise<void> => {
  printObject(ctx, await api(ctx).get(path));
};

const put = async (ctx: CommandContext, path: string, body: Record<string, unknown>): Promise<void> => {
  printObject(ctx, await api(ctx).put(path, body));
};

// ---------------------------------------------------------------------------------------------
// identity

const registerIdentity = (program: Command, run: Run): void => {
  const identity = program.command('identity').description('who the API sees you as, and what you can reach');
  identity
    .command('me')
    .description('the calling principal (GET /api/v1/identity/me)')
    .action(() => run((ctx) => get(ctx, '/api/v1/identity/me')));
  identity
    .command('access-review')
    .description(
      'mappings, projects, service principals and delegations visible to the caller (GET /api/v1/identity/access-review)',
    )
    .action(() => run((ctx) => get(ctx, '/api/v1/identity/access-review')));
};

// ---------------------------------------------------------------------------------------------
// service principals

const SP_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['client id', field('client_id')],
  ['display name', field('display_name')],
  ['state', field('state')],
  ['issuer', field('issuer')],
  ['labels', labelsCell()],
];

type SpOptions = Readonly<{
  clientId?: string;
  issuer?: string;
  displayName?: string;
  description?: string;
  label?: Labels;
  state?: string;
  idempotencyKey?: string;
}>;

const registerServicePrincipals = (program: Command, run: Run): void => {
  const base = '/api/v1/service-principals';
  const sp = program
    .command('service-principal')
    .description('machine identities (OAuth clients) allowed to call the API');
  withIdempotency(
    sp
      .command('create')
      .description('register a service principal')
      .argument('<display-name>', 'human-readable name')
      .requiredOption('--client-id <id>', 'OAuth client id of the principal')
      .option('--issuer <url>', 'issuer of its tokens (default: the API issuer)')
      .option('--description <text>', 'free text')
      .option('--label <key=value>', 'label (repeatable)', labelOption),
  ).action((displayName: string, o: SpOptions) =>
    run(async (ctx) => {
      const body = compact({
        client_id: o.clientId,
        display_name: displayName,
        issuer: o.issuer,
        description: o.description,
        labels: o.label,
      });
      printObject(ctx, await api(ctx).post(base, body, o.idempotencyKey));
    }),
  );
  withPaging(
    sp
      .command('list')
      .description('list service principals')
      .option('--state <state>', 'active or disabled', oneOf('active', 'disabled'))
      .option('--client-id <id>', 'only this client id'),
  ).action((o: SpOptions & ListOptions) =>
    run((ctx) =>
      list(
        ctx,
        base,
        { state: o.state, client_id: o.clientId, limit: o.limit, offset: o.offset },
        SP_COLUMNS,
      ),
    ),
  );
  sp.command('get')
    .description('show one service principal')
    .argument('<id>', 'service principal id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  sp.command('update')
    .description('change a service principal (given fields only; --label replaces all labels)')
    .argument('<id>', 'service principal id')
    .option('--display-name <name>', 'new name')
    .option('--description <text>', 'new description')
    .option('--label <key=value>', 'label (repeatable; replaces the label set)', labelOption)
    .option('--state <state>', 'active or disabled', oneOf('active', 'disabled'))
    .action((id: string, o: SpOptions) =>
      run((ctx) =>
        put(
          ctx,
          `${base}/${seg(id)}`,
          requireChanges({
            display_name: o.displayName,
            description: o.description,
            labels: o.label,
            state: o.state,
          }),
        ),
      ),
    );
  for (const [name, state] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    sp.command(name)
      .description(`set the state of a service principal to ${state}`)
      .argument('<id>', 'service principal id')
      .action((id: string) => run((ctx) => put(ctx, `${base}/${seg(id)}`, { state })));
  }
};

// ---------------------------------------------------------------------------------------------
// identity mappings

const subjectCell: Column[1] = (row) => {
  const s = row['subject'] as Record<string, unknown> | undefined;
  if (s === undefined) return undefined;
  const { kind, ...rest } = s;
  return `${String(kind)}:${Object.values(rest).map(String).join('=')}`;
};

const MAPPING_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['subject', subjectCell],
  ['project', (r) => r['project_name'] ?? r['project_id']],
  ['role', field('role')],
  ['state', field('state')],
];

type MappingOptions = Readonly<{
  user?: string;
  group?: string;
  claim?: string;
  servicePrincipalId?: string;
  projectId?: string;
  role?: string;
  description?: string;
  state?: string;
  subjectKind?: string;
  idempotencyKey?: string;
}>;

const mappingSubject = (o: MappingOptions): Record<string, string> => {
  const given = [o.user, o.group, o.claim, o.servicePrincipalId].filter((v) => v !== undefined);
  if (given.length !== 1)
    throw new CliError(
      'usage',
      'give exactly one subject: --user <subject>, --group <group>, --claim <claim=value> or --service-principal-id <id>',
    );
  if (o.user !== undefined) return { kind: 'user', subject: o.user };
  if (o.group !== undefined) return { kind: 'group', group: o.group };
  if (o.claim !== undefined) {
    const eq = o.claim.indexOf('=');
    if (eq <= 0) throw new CliError('usage', '--claim must be claim=value (e.g. tenant=acme)');
    return { kind: 'claim', claim: o.claim.slice(0, eq), value: o.claim.slice(eq + 1) };
  }
  return { kind: 'service_principal', service_principal_id: o.servicePrincipalId ?? '' };
};

const registerIdentityMappings = (program: Command, run: Run): void => {
  const base = '/api/v1/identity-mappings';
  const m = program
    .command('identity-mapping')
    .description('grant users, groups, claims or service principals a role on a project');
  withIdempotency(
    m
      .command('create')
      .description('map one subject to a project')
      .option('--user <subject>', 'subject: a user (its `sub`)')
      .option('--group <group>', 'subject: members of a group')
      .option('--claim <claim=value>', 'subject: tokens with this claim value (e.g. tenant=acme)')
      .option('--service-principal-id <id>', 'subject: a registered service principal')
      .requiredOption('--project-id <id>', 'project the subject gets access to')
      .option('--role <role>', 'member or viewer (API default member)', oneOf('member', 'viewer'))
      .option('--description <text>', 'free text'),
  ).action((o: MappingOptions) =>
    run(async (ctx) => {
      const body = compact({
        subject: mappingSubject(o),
        project_id: o.projectId,
        role: o.role,
        description: o.description,
      });
      printObject(ctx, await api(ctx).post(base, body, o.idempotencyKey));
    }),
  );
  withPaging(
    m
      .command('list')
      .description('list identity mappings')
      .option('--state <state>', 'active or disabled', oneOf('active', 'disabled'))
      .option('--project-id <id>', 'only mappings to this project')
      .option(
        '--subject-kind <kind>',
        'user, group, claim or service_principal',
        oneOf('user', 'group', 'claim', 'service_principal'),
      ),
  ).action((o: MappingOptions & ListOptions) =>
    run((ctx) =>
      list(
        ctx,
        base,
        {
          state: o.state,
          project_id: o.projectId,
          subject_kind: o.subjectKind,
          limit: o.limit,
          offset: o.offset,
        },
        MAPPING_COLUMNS,
      ),
    ),
  );
  m.command('get')
    .description('show one identity mapping')
    .argument('<id>', 'identity mapping id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  m.command('update')
    .description('change an identity mapping (given fields only)')
    .argument('<id>', 'identity mapping id')
    .option('--project-id <id>', 'move it to another project')
    .option('--role <role>', 'member or viewer', oneOf('member', 'viewer'))
    .option('--description <text>', 'new description')
    .option('--state <state>', 'active or disabled', oneOf('active', 'disabled'))
    .action((id: string, o: MappingOptions) =>
      run((ctx) =>
        put(
          ctx,
          `${base}/${seg(id)}`,
          requireChanges({
            project_id: o.projectId,
            role: o.role,
            description: o.description,
            state: o.state,
          }),
        ),
      ),
    );
  for (const [name, state] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    m.command(name)
      .description(`set the state of an identity mapping to ${state}`)
      .argument('<id>', 'identity mapping id')
      .action((id: string) => run((ctx) => put(ctx, `${base}/${seg(id)}`, { state })));
  }
};

// ---------------------------------------------------------------------------------------------
// projects

const PROJECT_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['name', field('name')],
  ['state', field('state')],
  ['max sessions', (r) => (r['quotas'] as Record<string, unknown> | undefined)?.['max_active_sessions']],
  ['labels', labelsCell()],
  ['created', field('created_at')],
];

type ProjectOptions = Readonly<{
  name?: string;
  description?: string;
  label?: Labels;
  maxActiveSessions?: number;
  maxActiveWorkflowRuns?: number;
  maxRetainedStorageBytes?: number;
  state?: string;
  idempotencyKey?: string;
}>;

const quotasOf = (o: ProjectOptions): Record<string, unknown> | undefined => {
  const quotas = compact({
    max_active_sessions: o.maxActiveSessions,
    max_active_workflow_runs: o.maxActiveWorkflowRuns,
    max_retained_storage_bytes: o.maxRetainedStorageBytes,
  });
  return Object.keys(quotas).length === 0 ? undefined : quotas;
};

const withProjectFields = (cmd: Command): Command =>
  cmd
    .option('--description <text>', 'free text')
    .option('--label <key=value>', 'label (repeatable)', labelOption)
    .option('--max-active-sessions <n>', 'quota: sessions running at once', nonNegativeInt)
    .option('--max-active-workflow-runs <n>', 'quota: workflow runs at once', nonNegativeInt)
    .option('--max-retained-storage-bytes <n>', 'quota: retained storage in bytes', nonNegativeInt);

const registerProjects = (program: Command, run: Run): void => {
  const base = '/api/v1/projects';
  const p = program.command('project').description('projects: ownership, labels and quotas of sessions');
  withIdempotency(
    withProjectFields(p.command('create').description('create a project').argument('<name>', 'project name')),
  ).action((name: string, o: ProjectOptions) =>
    run(async (ctx) => {
      const body = compact({ name, description: o.description, labels: o.label, quotas: quotasOf(o) });
      printObject(ctx, await api(ctx).post(base, body, o.idempotencyKey));
    }),
  );
  withPaging(
    p
      .command('list')
      .description('list projects')
      .option('--state <state>', 'active or archived', oneOf('active', 'archived')),
  ).action((o: ProjectOptions & ListOptions) =>
    run((ctx) => list(ctx, base, { state: o.state, limit: o.limit, offset: o.offset }, PROJECT_COLUMNS)),
  );
  p.command('get')
    .description('show one project')
    .argument('<id>', 'project id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  withProjectFields(
    p
      .command('update')
      .description('change a project (given fields only; --label replaces all labels)')
      .argument('<id>', 'project id')
      .option('--name <name>', 'new name'),
  ).action((id: string, o: ProjectOptions) =>
    run((ctx) =>
      put(
        ctx,
        `${base}/${seg(id)}`,
        requireChanges({ name: o.name, description: o.description, labels: o.label, quotas: quotasOf(o) }),
      ),
    ),
  );
  for (const [name, state] of [
    ['archive', 'archived'],
    ['unarchive', 'active'],
  ] as const) {
    p.command(name)
      .description(`set the state of a project to ${state}`)
      .argument('<id>', 'project id')
      .action((id: string) => run((ctx) => put(ctx, `${base}/${seg(id)}`, { state })));
  }
  p.command('usage')
    .description('active sessions, workflow runs and storage of a project against its quotas')
    .argument('<id>', 'project id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}/usage`)));
};

// ---------------------------------------------------------------------------------------------
// session templates

const TEMPLATE_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['name', field('name')],
  ['project', field('project_id')],
  ['owner mode', field('owner_mode')],
  ['idle timeout', field('idle_timeout_sec')],
  ['labels', labelsCell()],
];

type TemplateOptions = Readonly<{
  name?: string;
  description?: string;
  label?: Labels;
  defaultLabel?: Labels;
  ownerMode?: string;
  projectId?: string;
  viewport?: { width: number; height: number };
  idleTimeoutSec?: number;
  idempotencyKey?: string;
}>;

const withTemplateFields = (cmd: Command): Command =>
  cmd
    .option('--description <text>', 'free text')
    .option('--label <key=value>', 'label of the template (repeatable)', labelOption)
    .option('--default-label <key=value>', 'label given to sessions made from it (repeatable)', labelOption)
    .option(
      '--owner-mode <mode>',
      'collaborative or exclusive_owner',
      oneOf('collaborative', 'exclusive_owner'),
    )
    .option('--project-id <id>', 'project its sessions belong to')
    .option('--viewport <WxH>', 'browser viewport, e.g. 1280x720', viewport)
    .option('--idle-timeout-sec <n>', 'idle timeout of its sessions (30-604800)', positiveInt);

const templateBody = (o: TemplateOptions): Record<string, unknown> => ({
  description: o.description,
  labels: o.label,
  default_labels: o.defaultLabel,
  owner_mode: o.ownerMode,
  project_id: o.projectId,
  viewport: o.viewport,
  idle_timeout_sec: o.idleTimeoutSec,
});

const registerSessionTemplates = (program: Command, run: Run): void => {
  const base = '/api/v1/session-templates';
  const t = program.command('session-template').description('reusable session defaults');
  withIdempotency(
    withTemplateFields(
      t.command('create').description('create a session template').argument('<name>', 'template name'),
    ),
  ).action((name: string, o: TemplateOptions) =>
    run(async (ctx) => {
      printObject(ctx, await api(ctx).post(base, compact({ name, ...templateBody(o) }), o.idempotencyKey));
    }),
  );
  withPaging(t.command('list').description('list session templates')).action((o: ListOptions) =>
    run((ctx) => list(ctx, base, { limit: o.limit, offset: o.offset }, TEMPLATE_COLUMNS)),
  );
  t.command('get')
    .description('show one session template')
    .argument('<id>', 'template id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  withTemplateFields(
    t
      .command('update')
      .description('change a session template (given fields only; label options replace their sets)')
      .argument('<id>', 'template id')
      .option('--name <name>', 'new name'),
  ).action((id: string, o: TemplateOptions) =>
    run((ctx) => put(ctx, `${base}/${seg(id)}`, requireChanges({ name: o.name, ...templateBody(o) }))),
  );
};

// ---------------------------------------------------------------------------------------------
// sessions

const SESSION_STATES = ['pending', 'starting', 'ready', 'idle', 'stopping', 'stopped', 'failed', 'expired'];

const SESSION_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['state', field('state')],
  ['runtime', field('runtime_state')],
  ['presence', field('presence_state')],
  ['project', field('project_id')],
  ['labels', labelsCell()],
  ['created', field('created_at')],
];

type SessionOptions = Readonly<{
  projectId?: string;
  templateId?: string;
  label?: Labels;
  idleTimeoutSec?: number;
  ownerMode?: string;
  viewport?: { width: number; height: number };
  state?: string;
  runtimeState?: string;
  idempotencyKey?: string;
}>;

const hasLabels = (row: Record<string, unknown>, wanted: Labels): boolean => {
  const labels = (row['labels'] ?? {}) as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
};

const registerSessions = (program: Command, run: Run): void => {
  const base = '/api/v1/sessions';
  const s = program.command('session').description('remote browser sessions');
  withIdempotency(
    s
      .command('create')
      .description('start a session')
      .option('--project-id <id>', 'project it belongs to (counts against its quotas)')
      .option('--template-id <id>', 'session template to start from')
      .option('--label <key=value>', 'label (repeatable)', labelOption)
      .option('--idle-timeout-sec <n>', 'stop after this long without viewers (30-604800)', positiveInt)
      .option(
        '--owner-mode <mode>',
        'collaborative or exclusive_owner',
        oneOf('collaborative', 'exclusive_owner'),
      )
      .option('--viewport <WxH>', 'browser viewport, e.g. 1280x720', viewport),
  ).action((o: SessionOptions) =>
    run(async (ctx) => {
      const body = compact({
        project_id: o.projectId,
        template_id: o.templateId,
        labels: o.label,
        idle_timeout_sec: o.idleTimeoutSec,
        owner_mode: o.ownerMode,
        viewport: o.viewport,
      });
      printObject(ctx, await api(ctx).post(base, body, o.idempotencyKey));
    }),
  );
  withPaging(
    s
      .command('list')
      .description('list sessions (newest first)')
      .option('--state <state>', SESSION_STATES.join(', '), oneOf(...SESSION_STATES))
      .option('--runtime-state <state>', 'only sessions whose runtime is in this state')
      .option('--project-id <id>', 'only sessions of this project')
      .option('--template-id <id>', 'only sessions made from this template')
      .option(
        '--label <key=value>',
        'only sessions with this label (repeatable; filters the fetched page)',
        labelOption,
      ),
  ).action((o: SessionOptions & ListOptions) =>
    run(async (ctx) => {
      const page = await api(ctx).get<Page & Record<string, unknown>>(base, {
        state: o.state,
        runtime_state: o.runtimeState,
        project_id: o.projectId,
        template_id: o.templateId,
        limit: o.limit,
        offset: o.offset,
      });
      const wanted = o.label;
      if (wanted === undefined) {
        printPage(ctx, page, SESSION_COLUMNS);
        return;
      }
      const items = page.items.filter((row) => hasLabels(row, wanted));
      printPage(ctx, { items }, SESSION_COLUMNS, { ...page, items });
    }),
  );
  s.command('get')
    .description('show one session')
    .argument('<id>', 'session id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  s.command('status')
    .description('live status of a session: connections, idleness, stop eligibility')
    .argument('<id>', 'session id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}/status`)));
  const actions = [
    ['stop', 'stop the session when no one is connected (refused otherwise)'],
    ['release', 'give the runtime back and end the session'],
    ['kill', 'end the session at once, disconnecting everyone'],
    ['cancel', 'cancel a session that has not started yet'],
  ] as const;
  for (const [name, description] of actions) {
    s.command(name)
      .description(description)
      .argument('<id>', 'session id')
      .action((id: string) =>
        run(async (ctx) => {
          const session = await api(ctx).post<Record<string, unknown>>(`${base}/${seg(id)}/${name}`);
          printDone(ctx, `session ${id}: ${String(session['state'])}`, session);
        }),
      );
  }
  s.command('delete')
    .description('delete a session (its record; a running session is a conflict)')
    .argument('<id>', 'session id')
    .action((id: string) =>
      run(async (ctx) => {
        await api(ctx).del(`${base}/${seg(id)}`);
        printDone(ctx, `deleted session ${id}`, { id, deleted: true });
      }),
    );
  s.command('open')
    .description('print the URL of the live page of a session (open it in a browser)')
    .argument('<id>', 'session id')
    .action((id: string) =>
      run((ctx) => {
        const apiUrl = (ctx.settings.get('apiUrl') ?? 'http://localhost:8080').replace(/\/+$/, '');
        const url = `${apiUrl}/live?session=${encodeURIComponent(id)}`;
        printDone(ctx, url, { id, url });
        return Promise.resolve();
      }),
    );
};

// ---------------------------------------------------------------------------------------------
// egress profiles

const EGRESS_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['name', field('name')],
  ['state', field('state')],
  ['proxy', (r) => (r['proxy'] as Record<string, unknown> | null | undefined)?.['url']],
  ['status', field('effective_status')],
  ['labels', labelsCell()],
];

type EgressOptions = Readonly<{
  name?: string;
  description?: string;
  label?: Labels;
  proxyUrl?: string;
  bypassRule?: readonly string[];
  proxyCredentialBindingId?: string;
  proxy?: boolean;
  customCaRef?: string;
  trafficObservation?: string;
  sensitiveLogSinkRef?: string;
  state?: string;
  idempotencyKey?: string;
}>;

const withEgressFields = (cmd: Command): Command =>
  cmd
    .option('--description <text>', 'free text')
    .option('--label <key=value>', 'label (repeatable)', labelOption)
    .option('--proxy-url <url>', 'outbound proxy, scheme://host:port (http, https or socks5)')
    .option('--bypass-rule <host>', 'host that bypasses the proxy (repeatable)', repeat)
    .option('--proxy-credential-binding-id <id>', 'credential binding the proxy authenticates with')
    .option('--custom-ca-ref <ref>', 'reference to an extra CA certificate the browser trusts')
    .option(
      '--traffic-observation <mode>',
      'metadata_only or tls_intercept',
      oneOf('metadata_only', 'tls_intercept'),
    )
    .option('--sensitive-log-sink-ref <ref>', 'where intercepted traffic is logged (tls_intercept)');

const egressBody = (o: EgressOptions): Record<string, unknown> => {
  if (o.proxyUrl === undefined && (o.bypassRule !== undefined || o.proxyCredentialBindingId !== undefined))
    throw new CliError('usage', '--bypass-rule and --proxy-credential-binding-id need --proxy-url');
  const observation = compact({ mode: o.trafficObservation, sensitive_log_sink_ref: o.sensitiveLogSinkRef });
  return {
    description: o.description,
    labels: o.label,
    proxy:
      o.proxy === false
        ? null
        : o.proxyUrl === undefined
          ? undefined
          : compact({
              url: o.proxyUrl,
              bypass: o.bypassRule,
              credential_binding_id: o.proxyCredentialBindingId,
            }),
    custom_ca_ref: o.customCaRef,
    traffic_observation: Object.keys(observation).length === 0 ? undefined : observation,
  };
};

const registerEgressProfiles = (program: Command, run: Run): void => {
  const base = '/api/v1/egress-profiles';
  const e = program.command('egress-profile').description('outbound network paths of sessions');
  withIdempotency(
    withEgressFields(
      e.command('create').description('create an egress profile').argument('<name>', 'profile name'),
    ),
  ).action((name: string, o: EgressOptions) =>
    run(async (ctx) => {
      printObject(ctx, await api(ctx).post(base, compact({ name, ...egressBody(o) }), o.idempotencyKey));
    }),
  );
  withPaging(
    e
      .command('list')
      .description('list egress profiles')
      .option('--state <state>', 'active or disabled', oneOf('active', 'disabled')),
  ).action((o: EgressOptions & ListOptions) =>
    run((ctx) => list(ctx, base, { state: o.state, limit: o.limit, offset: o.offset }, EGRESS_COLUMNS)),
  );
  e.command('get')
    .description('show one egress profile')
    .argument('<id>', 'egress profile id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  withEgressFields(
    e
      .command('update')
      .description('change an egress profile (given fields only; proxy options replace the proxy)')
      .argument('<id>', 'egress profile id')
      .option('--name <name>', 'new name')
      .option('--no-proxy', 'remove the proxy (direct egress)')
      .option('--state <state>', 'active or disabled', oneOf('active', 'disabled')),
  ).action((id: string, o: EgressOptions) =>
    run((ctx) =>
      put(ctx, `${base}/${seg(id)}`, requireChanges({ name: o.name, state: o.state, ...egressBody(o) })),
    ),
  );
  e.command('diagnostics')
    .description('effective status and the last probe of an egress profile')
    .argument('<id>', 'egress profile id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}/diagnostics`)));
  e.command('probe')
    .description('ask the proxy to CONNECT to a host now and record the outcome')
    .argument('<id>', 'egress profile id')
    .option('--target-host <host>', 'host to reach through the proxy (API default example.com)')
    .option('--target-port <port>', 'port (API default 443)', positiveInt)
    .action((id: string, o: { targetHost?: string; targetPort?: number }) =>
      run(async (ctx) => {
        const body = compact({ target_host: o.targetHost, target_port: o.targetPort });
        printObject(ctx, await api(ctx).post(`${base}/${seg(id)}/diagnostics/probe`, body));
      }),
    );
};

// ---------------------------------------------------------------------------------------------
// webhooks

const WEBHOOK_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['url', field('url')],
  ['event types', (r) => (r['event_types'] as string[] | undefined)?.join(',')],
  ['state', field('state')],
];

const DELIVERY_COLUMNS: readonly Column[] = [
  ['id', field('id')],
  ['event type', field('event_type')],
  ['position', field('position')],
  ['state', field('state')],
  ['attempts', field('attempt_count')],
  ['last status', field('last_status_code')],
];

const registerWebhooks = (program: Command, run: Run): void => {
  const base = '/api/v1/workflow-event-subscriptions';
  const w = program
    .command('webhook')
    .description('webhook subscriptions to BrowserPane events (signed with Standard Webhooks)');
  withIdempotency(
    w
      .command('create')
      .description('subscribe a URL to events; prints the signing secret once')
      .requiredOption('--url <url>', 'http(s) URL that receives the events')
      .requiredOption(
        '--event-type <pattern>',
        'event type pattern, e.g. bpane.sessions.* or bpane.> (repeatable)',
        repeat,
      )
      .option('--description <text>', 'free text'),
  ).action((o: { url: string; eventType: string[]; description?: string; idempotencyKey?: string }) =>
    run(async (ctx) => {
      const body = compact({ url: o.url, event_types: o.eventType, description: o.description });
      printObject(ctx, await api(ctx).post(base, body, o.idempotencyKey));
    }),
  );
  withPaging(w.command('list').description('list webhook subscriptions')).action((o: ListOptions) =>
    run((ctx) => list(ctx, base, { limit: o.limit, offset: o.offset }, WEBHOOK_COLUMNS)),
  );
  w.command('get')
    .description('show one webhook subscription')
    .argument('<id>', 'subscription id')
    .action((id: string) => run((ctx) => get(ctx, `${base}/${seg(id)}`)));
  w.command('delete')
    .description('delete a webhook subscription (pending deliveries are cancelled)')
    .argument('<id>', 'subscription id')
    .action((id: string) =>
      run(async (ctx) => {
        await api(ctx).del(`${base}/${seg(id)}`);
        printDone(ctx, `deleted webhook subscription ${id}`, { id, deleted: true });
      }),
    );
  withPaging(
    w
      .command('deliveries')
      .description('deliveries of a webhook subscription and their attempts')
      .argument('<id>', 'subscription id'),
  ).action((id: string, o: ListOptions) =>
    run((ctx) =>
      list(ctx, `${base}/${seg(id)}/deliveries`, { limit: o.limit, offset: o.offset }, DELIVERY_COLUMNS),
    ),
  );
};

/** Registers the HTTP API resource commands. */
export const registerResourceCommands = (program: Command, run: Run): void => {
  registerIdentity(program, run);
  registerServicePrincipals(program, run);
  registerIdentityMappings(program, run);
  registerProjects(program, run);
  registerSessionTemplates(program, run);
  registerSessions(program, run);
  registerEgressProfiles(program, run);
  registerWebhooks(program, run);
};
