import { deciderSpec, type CommandMetadata } from '@bpane/ddd';
import { describe, it } from 'vitest';
import {
  browserContextDecider,
  type BrowserContextCommand,
  type BrowserContextEvent,
} from './browser-context';

const given = deciderSpec(browserContextDecider);
const id = '5b6f1d7e-8e59-4bb8-9a1b-0b1f4fb1b0a1';
const now = '2026-01-01T00:00:00.000Z';
const meta = (o = 'alice'): CommandMetadata => ({
  now,
  actor: { kind: 'user', id: o },
  correlationId: 'c',
  ownerId: o,
});
const cmd = (c: Omit<BrowserContextCommand, 'metadata'>, o = 'alice') =>
  ({ ...c, metadata: meta(o) }) as BrowserContextCommand;
const created: BrowserContextEvent = {
  type: 'BrowserContextCreated',
  data: {
    contextId: id,
    ownerId: 'alice',
    settings: {
      name: 'crm',
      description: null,
      labels: {},
      retentionSec: 86_400,
      maxProfileStorageBytes: null,
    },
    clonedFrom: null,
    createdAt: now,
  },
};

describe('browser context decider', () => {
  it('creates a context with retention', () => {
    given([])
      .when(
        cmd({
          type: 'CreateBrowserContext',
          data: { contextId: id, settings: { name: 'crm', retentionSec: 86_400 } },
        }),
      )
      .then([created]);
  });
  it('validates limits', () => {
    given([])
      .when(
        cmd({
          type: 'CreateBrowserContext',
          data: { contextId: id, settings: { name: '', retentionSec: 5, maxProfileStorageBytes: 10 } },
        }),
      )
      .thenThrows('validation_failed', { fields: ['name', 'retention_sec', 'max_profile_storage_bytes'] });
  });
  it('refuses to delete a context with an active writer, deletes an idle one', () => {
    given([created])
      .when(
        cmd({ type: 'DeleteBrowserContext', data: { contextId: id, activeWriterSessionId: 'session-1' } }),
      )
      .thenThrows('illegal_state');
    given([created])
      .when(cmd({ type: 'DeleteBrowserContext', data: { contextId: id, activeWriterSessionId: null } }))
      .then([{ type: 'BrowserContextDeleted', data: { contextId: id, deletedAt: now } }]);
  });
  it('hides other owners’ and deleted contexts', () => {
    given([created])
      .when(cmd({ type: 'UpdateBrowserContext', data: { contextId: id, settings: { name: 'x' } } }, 'bob'))
      .thenThrows('not_found');
    given([created, { type: 'BrowserContextDeleted', data: { contextId: id, deletedAt: now } }])
      .when(cmd({ type: 'UpdateBrowserContext', data: { contextId: id, settings: { name: 'x' } } }))
      .thenThrows('not_found');
  });
});
