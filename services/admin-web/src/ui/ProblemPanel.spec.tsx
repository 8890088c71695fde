// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { ProblemPanel } from './ProblemPanel';

afterEach(cleanup);

const err = (status: number, code: string) =>
  new ApiError(
    { type: 'about:blank', title: 't', status, code, detail: `detail of ${code}` },
    'POST',
    '/api/v1/sessions',
  );

describe('ProblemPanel', () => {
  it('presents a deployment problem differently from a refused request', () => {
    render(<ProblemPanel error={err(503, 'runtime_unavailable')} />);
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-kind')).toBe('deployment');
    expect(alert.textContent).toContain('The deployment is not ready');
    cleanup();
    render(<ProblemPanel error={err(409, 'illegal_state')} />);
    expect(screen.getByRole('alert').getAttribute('data-kind')).toBe('user');
    expect(screen.getByRole('alert').textContent).toContain('The request was refused');
  });

  it('offers the request and the whole problem document to copy', () => {
    render(<ProblemPanel error={err(503, 'read_model_timeout')} />);
    const details = screen.getByLabelText<HTMLTextAreaElement>('Problem details').value;
    expect(details.split('\n')[0]).toBe('POST /api/v1/sessions');
    expect(JSON.parse(details.slice(details.indexOf('\n') + 1))).toMatchObject({
      status: 503,
      code: 'read_model_timeout',
    });
  });
});
