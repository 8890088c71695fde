import type { AggregateRegistration } from '@bpane/ddd';
import { projectDecider } from './decide';
import { PROJECT_STREAM_PREFIX, projectUpcasters } from './events';

/** How tools (`bpane events state project-…`) find the project decider. */
export const projectAggregate: AggregateRegistration = {
  name: 'project',
  streamPrefix: PROJECT_STREAM_PREFIX,
  decider: projectDecider,
  upcasters: projectUpcasters,
};
