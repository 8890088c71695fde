import type { EventStoreDbConfig } from '../config';
import { StoreUnavailableError } from '../errors';
import type { EventStore } from '../types';

export const createEventStoreDbEventStore = (config: EventStoreDbConfig): Promise<EventStore> =>
  Promise.reject(new StoreUnavailableError(`EventStoreDB adapter not built yet (${config.kind})`));
