import { toJson } from '../output';
import { type CommandContext } from '../program';

/** One column of a readable table: a header and how to get the cell from a row. */
export type Column = readonly [header: string, cell: (row: Record<string, unknown>) => unknown];

const text = (value: unknown): string => {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  return toJson(value);
};

const cut = (value: string, max: number): string =>
  value.length <= max ? value : `${value.slice(0, max - 1)}…`;

/** A plain-text table: a header row and one row per item, columns separated by two spaces. */
export const table = (rows: readonly Record<string, unknown>[], columns: readonly Column[]): string => {
  const cells = rows.map((row) => columns.map(([, cell]) => cut(text(cell(row)), 60)));
  const widths = columns.map(([header], i) =>
    Math.max(header.length, ...cells.map((r) => r[i]?.length ?? 0)),
  );
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map(([h]) => h.toUpperCase())), ...cells.map(line)].join('\n');
};

/** `key  value` lines for one object; nested values as compact JSON. */
export const keyValues = (value: Record<string, unknown>): string => {
  const keys = Object.keys(value);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${k.padEnd(width)}  ${text(value[k])}`).join('\n');
};

export const field =
  (name: string): Column[1] =>
  (row) =>
    row[name];

export const labelsCell =
  (name = 'labels'): Column[1] =>
  (row) => {
    const labels = row[name];
    if (typeof labels !== 'object' || labels === null) return '';
    return Object.entries(labels as Record<string, unknown>)
      .map(([k, v]) => `${k}=${text(v)}`)
      .join(',');
  };

/** Prints one resource: JSON with `--json`, else `key  value` lines. */
export const printObject = (ctx: CommandContext, value: unknown): void => {
  if (ctx.json || typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.io.stdout(`${toJson(value)}\n`);
    return;
  }
  ctx.io.stdout(`${keyValues(value as Record<string, unknown>)}\n`);
};

export type Page = Readonly<{ items: readonly Record<string, unknown>[]; total?: number; offset?: number }>;

/** Prints a list answer: the API's JSON with `--json`, else a table and a count line. */
export const printPage = (
  ctx: CommandContext,
  page: Page,
  columns: readonly Column[],
  raw: unknown = page,
): void => {
  if (ctx.json) {
    ctx.io.stdout(`${toJson(raw)}\n`);
    return;
  }
  if (page.items.length === 0) {
    ctx.io.stdout(`no items${page.total === undefined ? '' : ` (total ${page.total})`}\n`);
    return;
  }
  const from = (page.offset ?? 0) + 1;
  const summary =
    page.total === undefined
      ? `${page.items.length} item(s)`
      : `${from}-${from + page.items.length - 1} of ${page.total}`;
  ctx.io.stdout(`${table(page.items, columns)}\n${summary}\n`);
};

/** Prints a one-line confirmation, or the resource as JSON with `--json`. */
export const printDone = (ctx: CommandContext, message: string, value: unknown): void => {
  ctx.io.stdout(ctx.json ? `${toJson(value)}\n` : `${message}\n`);
};
