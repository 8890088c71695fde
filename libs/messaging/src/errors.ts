import { BpaneError } from '@bpane/errors';

export type MessagingErrorCode =
  | 'nats_unavailable'
  | 'stream_setup_failed'
  | 'consumer_setup_failed'
  | 'invalid_consumer_options'
  | 'publish_failed';

export class MessagingError extends BpaneError<MessagingErrorCode> {}
