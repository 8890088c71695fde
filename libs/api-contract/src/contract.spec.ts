import { describe, expect, it } from 'vitest';
import { ApiContract } from './contract';

const contract = ApiContract.load();

describe('ApiContract', () => {
  it('compiles every operation of the v1 document', () => {
    expect(contract.operations.length).toBeGreaterThan(5);
    expect(contract.find('post', '/api/v1/projects')?.operationId).toBe('createProject');
    expect(contract.find('GET', '/api/v1/projects/:project_id')?.operationId).toBe('getProject');
  });

  it('matches concrete URLs to operations and extracts path parameters', () => {
    const m = contract.match('GET', '/api/v1/projects/0b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1/usage');
    expect(m?.operation.operationId).toBe('getProjectUsage');
    expect(m?.params).toEqual({ project_id: '0b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1' });
  });

  it('names the field in every body error', () => {
    const op = contract.find('post', '/api/v1/projects')!;
    const errors = contract.validateRequest(op, {
      body: { name: '', colour: 'red', quotas: { max_active_sessions: -1 }, labels: { 'Bad Key': 'x' } },
    });
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'colour', 'quotas.max_active_sessions', 'labels.Bad Key']),
    );
    expect(errors.find((e) => e.field === 'colour')?.message).toBe('is not a known field');
  });

  it('requires a body when the operation declares one as required', () => {
    const op = contract.find('post', '/api/v1/projects')!;
    expect(contract.validateRequest(op, {})).toEqual([
      { field: '(body)', message: 'a JSON body is required' },
    ]);
  });

  it('coerces query parameters, applies defaults and refuses unknown ones', () => {
    const op = contract.find('get', '/api/v1/projects')!;
    const query: Record<string, unknown> = { limit: '10', 'label.env': 'prod' };
    expect(contract.validateRequest(op, { query })).toEqual([]);
    expect(query).toMatchObject({ limit: 10, offset: 0 });
    const bad = contract.validateRequest(op, { query: { limit: '0', colour: 'x', 'label.': 'y' } });
    expect(bad.map((e) => e.field).sort()).toEqual(['query.colour', 'query.label.', 'query.limit']);
  });

  it('validates path parameters', () => {
    const op = contract.find('get', '/api/v1/projects/:project_id')!;
    expect(contract.validateRequest(op, { params: { project_id: 'not-a-uuid' } })).toEqual([
      { field: 'path.project_id', message: 'must be a valid uuid' },
    ]);
  });

  it('validates responses by status and media type', () => {
    const op = contract.find('get', '/api/v1/projects/:project_id')!;
    // Undeclared statuses fall back to the `default` problem response every operation has.
    expect(contract.validateResponse(op, 418, 'application/json', {})[0]).toMatch(/content type/);
    expect(
      contract.validateResponse(op, 503, 'application/problem+json', { title: 'x' }).length,
    ).toBeGreaterThan(0);
    expect(contract.validateResponse(op, 404, 'application/json', {})[0]).toMatch(/content type/);
    expect(
      contract.validateResponse(op, 404, 'application/problem+json', {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'not_found',
      }),
    ).toEqual([]);
    expect(contract.validateResponse(op, 200, 'application/json', { id: 'x' }).length).toBeGreaterThan(0);
  });
});
