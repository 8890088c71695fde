import { type Command } from 'commander';
import { toJson } from '../output';
import { type CommandContext } from '../program';
import { SETTING_KEYS, SETTINGS } from '../settings';

/** `bpane config show`: every setting with its value and where it came from (secrets hidden). */
export const showConfig = (ctx: CommandContext): Promise<void> => {
  const s = ctx.settings;
  const settings = Object.fromEntries(
    SETTING_KEYS.map((key) => {
      const r = s.values[key];
      const value = SETTINGS[key].sensitive && r.value !== undefined ? '<hidden>' : (r.value ?? null);
      return [key, { value, source: r.source, ...(r.from !== undefined ? { from: r.from } : {}) }];
    }),
  );
  if (ctx.json) {
    ctx.io.stdout(`${toJson({ configPath: s.configPath, profile: s.profile, settings })}\n`);
  } else {
    const rows = Object.entries(settings).map(
      ([k, v]) =>
        `${k.padEnd(17)} ${String(v.value ?? '-').padEnd(48)} ${v.source}${'from' in v ? ` (${v.from})` : ''}`,
    );
    ctx.io.stdout(
      `${'config file'.padEnd(17)} ${s.configPath}\n${'profile'.padEnd(17)} ${s.profile ?? '-'}\n${rows.join('\n')}\n`,
    );
  }
  return Promise.resolve();
};

export const registerConfigCommands = (
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void => {
  const config = program
    .command('config')
    .description('inspect the CLI configuration (profiles, environment, defaults)');
  config
    .command('show')
    .description(
      'print every setting, its value and its source (flag, env, profile, default); tokens are hidden',
    )
    .action(() => run(showConfig));
};
