import { BpaneError } from '@bpane/errors';

/**
 * Every way a frame, a message or a session can be wrong. Decoders, encoders and the session throw
 * (or report) nothing but a {@link ProtocolError} carrying one of these codes.
 */
export type ProtocolErrorCode =
  // framing and decoding
  | 'unknown_channel'
  | 'unknown_type'
  | 'truncated'
  | 'trailing_bytes'
  | 'frame_too_large'
  | 'length_exceeded'
  | 'invalid_bool'
  | 'invalid_enum'
  | 'invalid_flags'
  | 'invalid_utf8'
  | 'invalid_value'
  // encoding
  | 'buffer_too_small'
  // session
  | 'unexpected_message'
  | 'not_negotiated'
  | 'unsupported_version'
  | 'capability_missing'
  | 'selection_mismatch'
  | 'handshake_timeout'
  | 'rejected'
  | 'closed';

export const PROTOCOL_ERROR_CODES: readonly ProtocolErrorCode[] = [
  'unknown_channel',
  'unknown_type',
  'truncated',
  'trailing_bytes',
  'frame_too_large',
  'length_exceeded',
  'invalid_bool',
  'invalid_enum',
  'invalid_flags',
  'invalid_utf8',
  'invalid_value',
  'buffer_too_small',
  'unexpected_message',
  'not_negotiated',
  'unsupported_version',
  'capability_missing',
  'selection_mismatch',
  'handshake_timeout',
  'rejected',
  'closed',
];

/** Where in the input the problem was found (all optional; for diagnostics only). */
export type ProtocolErrorDetails = {
  readonly channel?: string | number;
  readonly type?: string | number;
  readonly field?: string;
  readonly value?: unknown;
  readonly offset?: number;
};

export class ProtocolError extends BpaneError<ProtocolErrorCode> {
  constructor(code: ProtocolErrorCode, message: string, details?: ProtocolErrorDetails) {
    super(code, message, details === undefined ? undefined : { details });
  }
}

export const isProtocolError = (value: unknown): value is ProtocolError => value instanceof ProtocolError;
