import { BpaneError } from '@bpane/errors';

export type PublisherErrorCode = 'publish_failed' | 'checkpoint_failed' | 'publisher_stopped';

export class PublisherError extends BpaneError<PublisherErrorCode> {}
