import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM script without type declarations
import { bundle } from '../../../scripts/openapi-bundle.mjs';

describe('openapi/bpane-control-v1.yaml', () => {
  it('is the current bundle of openapi/src (run `npm run openapi:bundle` after editing a fragment)', () => {
    expect(readFileSync('openapi/bpane-control-v1.yaml', 'utf8')).toBe((bundle as () => string)());
  });
});
