import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

/**
 * The OpenAPI document (`openapi/bpane-control-v1.yaml`) is the source of truth for the HTTP API.
 * This module compiles it once into validators: the gateway validates every request with them, and
 * the end-to-end tests validate every response. A field error always names the field.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type FieldError = Readonly<{ field: string; message: string }>;

type JsonSchema = Record<string, unknown>;
type ParameterObject = {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
};
type OperationObject = {
  operationId?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: JsonSchema }> }>;
  security?: unknown[];
  'x-bpane-dynamic-query-prefixes'?: string[];
};
type PathItem = Partial<Record<HttpMethod, OperationObject>> & {
  parameters?: (ParameterObject | { $ref: string })[];
};
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, ParameterObject>;
    responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
  };
  security?: unknown[];
};

export type ContractOperation = Readonly<{
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path, e.g. `/api/v1/projects/{project_id}`. */
  path: string;
  /** The same path in router syntax, e.g. `/api/v1/projects/:project_id`. */
  routePath: string;
  /** False when the operation declares `security: []`. */
  authenticated: boolean;
  bodyRequired: boolean;
  hasBody: boolean;
}>;

export type RequestParts = Readonly<{
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
}>;

type CompiledOperation = ContractOperation & {
  params: { path: ValidateFunction | null; query: ValidateFunction | null; header: ValidateFunction | null };
  queryNames: Set<string>;
  dynamicQueryPrefixes: string[];
  body: ValidateFunction | null;
  responses: Map<string, Map<string, ValidateFunction | null>>;
};

const SCHEMA_ID = 'bpane-openapi';
const METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Rewrites local `#/components/...` references so they resolve inside the registered document. */
const rewriteRefs = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SCHEMA_ID}${v}` : rewriteRefs(v);
    }
    return out;
  }
  return node;
};

const fieldOf = (prefix: string, e: ErrorObject): string => {
  const parts = e.instancePath
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required' && typeof params['missingProperty'] === 'string')
    parts.push(params['missingProperty']);
  if (e.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string')
    parts.push(params['additionalProperty']);
  if (e.keyword === 'propertyNames' && typeof params['propertyName'] === 'string')
    parts.push(params['propertyName']);
  const path = parts.join('.');
  return prefix ? (path ? `${prefix}.${path}` : prefix) : path || '(body)';
};

const messageOf = (e: ErrorObject): string => {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be of type ${String(params['type'])}`;
    case 'format':
      return `must be a valid ${String(params['format'])}`;
    default:
      return e.message ?? `failed ${e.keyword}`;
  }
};

export const toFieldErrors = (
  prefix: string,
  errors: readonly ErrorObject[] | null | undefined,
): FieldError[] => {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors ?? []) {
    // `if/then`, `oneOf` and `anyOf` wrappers repeat what their branches already said.
    if (e.keyword === 'if' || e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    const fe = { field: fieldOf(prefix, e), message: messageOf(e) };
    const key = `${fe.field}|${fe.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
};

/** Finds `openapi/bpane-control-v1.yaml` from the working directory upwards, or uses `BPANE_OPENAPI_PATH`. */
export const findContractFile = (start = process.cwd()): string => {
  const explicit = process.env['BPANE_OPENAPI_PATH'];
  if (explicit) return resolve(explicit);
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'openapi', 'bpane-control-v1.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`openapi/bpane-control-v1.yaml not found above ${start}`);
    dir = parent;
  }
};

export class ApiContract {
  readonly document: OpenApiDocument;
  readonly operations: readonly ContractOperation[];
  private readonly compiled: CompiledOperation[];
  private readonly byRoute = new Map<string, CompiledOperation>();

  constructor(document: OpenApiDocument) {
    this.document = document;
    const rewritten = rewriteRefs(document) as OpenApiDocument;
    const strictOpts = { strict: false, allErrors: true, discriminator: true } as const;
    const bodies = addFormats(new Ajv2020({ ...strictOpts }));
    const params = addFormats(new Ajv2020({ ...strictOpts, coerceTypes: true, useDefaults: true }));
    const responses = addFormats(new Ajv2020({ ...strictOpts }));
    for (const ajv of [bodies, params, responses])
      ajv.addSchema({ $id: SCHEMA_ID, components: rewritten.components ?? {} });

    const resolveParam = (p: ParameterObject | { $ref: string }): ParameterObject => {
      if ('$ref' in p) {
        const name = p.$ref.replace('#/components/parameters/', '');
        const found = document.components?.parameters?.[name];
        if (!found) throw new Error(`unknown parameter reference ${p.$ref}`);
        return found;
      }
      return p;
    };
    const resolveResponse = (r: { $ref?: string; content?: Record<string, { schema?: JsonSchema }> }) => {
      if (r.$ref) {
        const name = r.$ref.replace('#/components/responses/', '');
        const found = document.components?.responses?.[name];
        if (!found) throw new Error(`unknown response reference ${r.$ref}`);
        return found;
      }
      return r;
    };

    this.compiled = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const all = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveParam);
        const group = (where: ParameterObject['in']): ValidateFunction | null => {
          const ps = all.filter((p) => p.in === where);
          if (ps.length === 0) return null;
          const properties: Record<string, unknown> = {};
          const required: string[] = [];
          for (const p of ps) {
            const key = where === 'header' ? p.name.toLowerCase() : p.name;
            properties[key] = rewriteRefs(p.schema ?? {});
            if (p.required) required.push(key);
          }
          return params.compile({ type: 'object', properties, required });
        };
        const jsonBody = op.requestBody?.content?.['application/json']?.schema;
        const responseMap = new Map<string, Map<string, ValidateFunction | null>>();
        for (const [status, r] of Object.entries(op.responses ?? {})) {
          const resolved = resolveResponse(r);
          const byType = new Map<string, ValidateFunction | null>();
          for (const [type, media] of Object.entries(resolved.content ?? {})) {
            byType.set(
              type,
              media.schema ? responses.compile(rewriteRefs(media.schema) as JsonSchema) : null,
            );
          }
          responseMap.set(status, byType);
        }
        const compiled: CompiledOperation = {
          operationId: op.operationId ?? `${method} ${path}`,
          method,
          path,
          routePath: path.replace(/\{([^}]+)\}/g, ':$1'),
          authenticated: !(Array.isArray(op.security) && op.security.length === 0),
          bodyRequired: op.requestBody?.required === true,
          hasBody: op.requestBody !== undefined,
          params: { path: group('path'), query: group('query'), header: group('header') },
          queryNames: new Set(all.filter((p) => p.in === 'query').map((p) => p.name)),
          dynamicQueryPrefixes: op['x-bpane-dynamic-query-prefixes'] ?? [],
          body: jsonBody ? bodies.compile(rewriteRefs(jsonBody) as JsonSchema) : null,
          responses: responseMap,
        };
        this.compiled.push(compiled);
        this.byRoute.set(`${method} ${compiled.routePath}`, compiled);
      }
    }
    this.operations = this.compiled.map(
      ({ operationId, method, path, routePath, authenticated, bodyRequired, hasBody }) => ({
        operationId,
        method,
        path,
        routePath,
        authenticated,
        bodyRequired,
        hasBody,
      }),
    );
  }

  static load(file = findContractFile()): ApiContract {
    return new ApiContract(parse(readFileSync(file, 'utf8')) as OpenApiDocument);
  }

  /** The operation registered for a router path such as `/api/v1/projects/:project_id`. */
  find(method: string, routePath: string): ContractOperation | undefined {
    return this.byRoute.get(`${method.toLowerCase()} ${routePath}`);
  }

  /** Matches a concrete URL path (`/api/v1/projects/123`) to an operation. */
  match(
    method: string,
    urlPath: string,
  ): { operation: ContractOperation; params: Record<string, string> } | undefined {
    const m = method.toLowerCase();
    const segments = urlPath.split('?')[0]!.split('/');
    for (const op of this.compiled) {
      if (op.method !== m) continue;
      const pattern = op.routePath.split('/');
      if (pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < pattern.length && ok; i++) {
        const p = pattern[i]!;
        const s = segments[i]!;
        if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(s);
        else ok = p === s;
      }
      if (ok) return { operation: op, params };
    }
    return undefined;
  }

  /**
   * Validates (and coerces, in place) path, query and header parameters and the JSON body.
   * Unknown query parameters are errors unless they start with a declared dynamic prefix.
   */
  validateRequest(operation: ContractOperation, parts: RequestParts): FieldError[] {
    const op = this.byRoute.get(`${operation.method} ${operation.routePath}`);
    if (!op) throw new Error(`operation ${operation.operationId} is not part of this contract`);
    const errors: FieldError[] = [];
    if (op.params.path && !op.params.path(parts.params ?? {}))
      errors.push(...toFieldErrors('path', op.params.path.errors));
    const query = parts.query ?? {};
    for (const name of Object.keys(query)) {
      if (
        !op.queryNames.has(name) &&
        !op.dynamicQueryPrefixes.some((p) => name.startsWith(p) && name.length > p.length)
      )
        errors.push({ field: `query.${name}`, message: 'is not a known query parameter' });
    }
    if (op.params.query && !op.params.query(query))
      errors.push(...toFieldErrors('query', op.params.query.errors));
    if (op.params.header && !op.params.header(parts.headers ?? {}))
      errors.push(...toFieldErrors('header', op.params.header.errors));
    if (op.body) {
      if (parts.body === undefined || parts.body === null) {
        if (op.bodyRequired) errors.push({ field: '(body)', message: 'a JSON body is required' });
      } else if (!op.body(parts.body)) {
        errors.push(...toFieldErrors('', op.body.errors));
      }
    }
    return errors;
  }

  /** Validates a response against the declared status and media type; returns the problems. */
  validateResponse(
    operation: ContractOperation,
    status: number,
    contentType: string | undefined,
    body: unknown,
  ): string[] {
    const op = this.byRoute.get(`${operation.method} ${operation.routePath}`);
    if (!op) return [`operation ${operation.operationId} is not part of this contract`];
    const byType =
      op.responses.get(String(status)) ??
      op.responses.get(`${String(status)[0]}XX`) ??
      op.responses.get('default');
    if (!byType) return [`${op.operationId}: status ${status} is not declared`];
    if (byType.size === 0) return [];
    const type = (contentType ?? '').split(';')[0]!.trim();
    if (!byType.has(type))
      return [`${op.operationId} ${status}: content type ${type || '(none)'} is not declared`];
    const validate = byType.get(type);
    if (validate && !validate(body))
      return toFieldErrors('', validate.errors).map(
        (e) => `${op.operationId} ${status}: ${e.field} ${e.message}`,
      );
    return [];
  }
}
