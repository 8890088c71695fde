import { BpaneError } from '@bpane/errors';

export type ReadModelErrorCode =
  | 'invalid_identifier'
  | 'invalid_query'
  | 'duplicate_projection'
  | 'unknown_projection'
  | 'projector_running'
  | 'projector_stopped'
  | 'invalid_position'
  | 'database_unavailable';

export class ReadModelError extends BpaneError<ReadModelErrorCode> {}
