import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('openapi/bpane-control-v1.yaml', () => {
  it('is the current bundle of openapi/src (run `npm run openapi:bundle` after editing a fragment)', () => {
    const r = spawnSync(process.execPath, ['scripts/openapi-bundle.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
