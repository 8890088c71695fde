import { BpaneError } from '@bpane/errors';

export type ContractErrorCode =
  'invalid_envelope' | 'invalid_payload' | 'invalid_subject' | 'invalid_stream_config';

/** A message on the bus (or a subject, or a stream definition) does not honour its contract. */
export class ContractError extends BpaneError<ContractErrorCode> {}
