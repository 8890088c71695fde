import { BpaneError } from '@bpane/errors';
import { describe, expect, it } from 'vitest';
import { problem, statusForCode, toProblem } from './problem';

describe('problem mapping', () => {
  it('maps coded errors to statuses once', () => {
    expect(statusForCode('validation_failed')).toBe(400);
    expect(statusForCode('not_found')).toBe(404);
    expect(statusForCode('illegal_state')).toBe(409);
    expect(statusForCode('idempotency_conflict')).toBe(409);
    expect(statusForCode('something_new')).toBe(500);
  });

  it('keeps field violations of validation errors', () => {
    const err = new BpaneError('validation_failed', 'bad', {
      details: { violations: [{ field: 'name', message: 'is required' }] },
    });
    expect(toProblem(err)).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: 'name' }],
    });
  });

  it('never leaks the message of an unknown error', () => {
    const p = toProblem(new Error('password=hunter2 at db.ts:12'));
    expect(p).toMatchObject({ status: 500, code: 'internal' });
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('turns body parser failures into client errors', () => {
    const e = Object.assign(new SyntaxError('Unexpected token'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(toProblem(e)).toMatchObject({ status: 400, code: 'invalid_json' });
    const big = Object.assign(new Error('too large'), {
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
      statusCode: 413,
    });
    expect(toProblem(big)).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('builds a stable type URI from the code', () => {
    expect(problem('not_found', 'x').type).toBe('https://browserpane.dev/problems/not-found');
  });
});
