import { type Command } from 'commander';
import { CliError } from '../errors';
import { toJson } from '../output';
import { type CommandContext } from '../program';
import { type ConfigFile, type Profile, readConfigFile, writeConfigFile } from '../settings';

type Run = (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>;

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Merges `patch` into profile `name` of the config file (creating both if needed) and writes the
 * file with mode 0600. `makeDefault` also selects it as `defaultProfile`; the first profile of a
 * file becomes the default too.
 */
export const updateProfile = async (
  path: string,
  name: string,
  patch: Profile,
  makeDefault: boolean,
): Promise<ConfigFile> => {
  if (!PROFILE_NAME.test(name))
    throw new CliError('usage', `invalid profile name ${JSON.stringify(name)} (letters, digits, . _ -)`);
  const file = await readConfigFile(path);
  const profile: Profile = { ...(file.profiles[name] ?? {}), ...patch };
  const next: ConfigFile = {
    defaultProfile: makeDefault || file.defaultProfile === undefined ? name : file.defaultProfile,
    profiles: { ...file.profiles, [name]: profile },
  };
  await writeConfigFile(path, next);
  return next;
};

type InitOptions = Readonly<{ issuer?: string; saveToken?: boolean; setDefault?: boolean }>;

const initProfile = async (ctx: CommandContext, name: string, o: InitOptions): Promise<void> => {
  const s = ctx.settings;
  const apiUrl = s.values.apiUrl;
  const token = s.get('accessToken');
  if (o.saveToken === true && (token === undefined || s.values.accessToken.source === 'profile'))
    throw new CliError(
      'usage',
      '--save-token saves the token in BPANE_ACCESS_TOKEN; it is not set (or use `bpane login --save-token`)',
    );
  const patch: Record<string, string> = {};
  if (apiUrl.source === 'flag' || apiUrl.source === 'env') patch['apiUrl'] = apiUrl.value ?? '';
  if (o.issuer !== undefined) patch['issuer'] = o.issuer;
  if (o.saveToken === true && token !== undefined) patch['accessToken'] = token;
  const file = await updateProfile(s.configPath, name, patch, o.setDefault === true);
  const saved = file.profiles[name] ?? {};
  const summary = {
    configPath: s.configPath,
    profile: name,
    default: file.defaultProfile === name,
    apiUrl: saved.apiUrl ?? null,
    issuer: saved.issuer ?? null,
    tokenSaved: saved.accessToken !== undefined,
  };
  if (ctx.json) ctx.io.stdout(`${toJson(summary)}\n`);
  else
    ctx.io.stdout(
      `profile ${name} written to ${s.configPath}${summary.default ? ' (default)' : ''}: api ${summary.apiUrl ?? '(default)'}, issuer ${summary.issuer ?? '(default)'}, token ${summary.tokenSaved ? 'saved' : 'not saved'}\n`,
    );
};

const listProfiles = async (ctx: CommandContext): Promise<void> => {
  const path = ctx.settings.configPath;
  const file = await readConfigFile(path);
  const profiles = Object.entries(file.profiles).map(([name, p]) => ({
    name,
    default: file.defaultProfile === name,
    apiUrl: p.apiUrl ?? null,
    issuer: p.issuer ?? null,
    tokenSaved: p.accessToken !== undefined,
  }));
  if (ctx.json) {
    ctx.io.stdout(`${toJson({ configPath: path, defaultProfile: file.defaultProfile ?? null, profiles })}\n`);
    return;
  }
  if (profiles.length === 0) {
    ctx.io.stdout(`no profiles in ${path} (create one with \`bpane profile init <name>\`)\n`);
    return;
  }
  const width = Math.max(4, ...profiles.map((p) => p.name.length));
  const rows = profiles.map((p) =>
    `${p.default ? '*' : ' '} ${p.name.padEnd(width)}  ${(p.apiUrl ?? '-').padEnd(28)}  ${(p.issuer ?? '-').padEnd(28)}  ${p.tokenSaved ? 'token saved' : ''}`.trimEnd(),
  );
  ctx.io.stdout(`${rows.join('\n')}\n`);
};

const useProfile = async (ctx: CommandContext, name: string): Promise<void> => {
  const path = ctx.settings.configPath;
  const file = await readConfigFile(path);
  if (file.profiles[name] === undefined)
    throw new CliError('not_found', `profile ${name} not found in ${path}`, {
      details: { profile: name, path, known: Object.keys(file.profiles) },
    });
  await writeConfigFile(path, { ...file, defaultProfile: name });
  ctx.io.stdout(
    ctx.json ? `${toJson({ configPath: path, defaultProfile: name })}\n` : `default profile: ${name}\n`,
  );
};

export const registerProfileCommands = (program: Command, run: Run): void => {
  const profile = program
    .command('profile')
    .description('named settings (API URL, issuer, optionally a token) in the config file (mode 0600)');
  profile
    .command('init')
    .description(
      'create or update a profile: the API URL from --api-url (or BPANE_API_URL), the issuer from --issuer',
    )
    .argument('<name>', 'profile name (letters, digits, . _ -)')
    .option('--issuer <url>', 'OpenID provider for `bpane login` (default http://127.0.0.1:8090)')
    .option('--save-token', 'also save the token in BPANE_ACCESS_TOKEN in the profile')
    .option('--set-default', 'make it the default profile (the first profile always is)')
    .action((name: string, o: InitOptions) => run((ctx) => initProfile(ctx, name, o)));
  profile
    .command('list')
    .description('the profiles of the config file; * marks the default')
    .action(() => run(listProfiles));
  profile
    .command('use')
    .description('make a profile the default')
    .argument('<name>', 'profile name')
    .action((name: string) => run((ctx) => useProfile(ctx, name)));
};
