/**
 * The frame envelope: `channel:u8 | type:u8 | length:u32 LE | payload[length]`.
 * Encoders write into caller-provided buffers (or allocate, for convenience); decoders return
 * messages whose byte fields are views (subarrays) of the input — nothing is copied.
 */
import { ProtocolError } from './errors';
import {
  CODECS,
  ChannelByValue,
  HEADER_SIZE,
  LIMITS,
  type ChannelName,
  type Message,
  type MessageCodec,
} from './generated/catalogue';
import { r32, w32 } from './wire';

export { HEADER_SIZE };

/** Default frame size limit (header included) until a session negotiates another: 16 MiB. */
export const DEFAULT_MAX_FRAME_SIZE: number = LIMITS.defaultMaxFrameSize;

type AnyCodec = MessageCodec<Message>;

/** codec lookup by [channelId][typeId]; undefined for unknown ids. */
const TABLE: (readonly (AnyCodec | undefined)[] | undefined)[] = [];
for (const channel of Object.values(CODECS)) {
  for (const codec of Object.values(channel) as AnyCodec[]) {
    const row = (TABLE[codec.channelId] ??= []) as (AnyCodec | undefined)[];
    row[codec.typeId] = codec;
  }
}

/** The codec for a (channel id, type id) pair from a frame header; throws unknown_channel / unknown_type. */
export const codecById = (channelId: number, typeId: number): AnyCodec => {
  const row = TABLE[channelId];
  if (row === undefined) {
    throw new ProtocolError('unknown_channel', `unknown channel ${channelId}`, { channel: channelId });
  }
  const codec = row[typeId];
  if (codec === undefined) {
    throw new ProtocolError(
      'unknown_type',
      `unknown type ${typeId} on channel ${ChannelByValue[channelId]}`,
      {
        channel: ChannelByValue[channelId],
        type: typeId,
      },
    );
  }
  return codec;
};

/** The codec (and metadata: ids, direction, capability, permission) of a message. */
export const codecOf = <M extends Message>(message: M): MessageCodec<M> => {
  const channel = (CODECS as Record<string, Record<string, AnyCodec> | undefined>)[
    (message as { channel?: unknown } | null)?.channel as string
  ];
  if (channel === undefined || !Object.prototype.hasOwnProperty.call(CODECS, message.channel)) {
    throw new ProtocolError('unknown_channel', `unknown channel '${String(message?.channel)}'`);
  }
  const codec = Object.prototype.hasOwnProperty.call(channel, message.type)
    ? channel[message.type]
    : undefined;
  if (codec === undefined) {
    throw new ProtocolError(
      'unknown_type',
      `unknown type '${String(message.type)}' on channel ${message.channel}`,
    );
  }
  return codec as unknown as MessageCodec<M>;
};

/** Every message codec, in catalogue order. */
export const allCodecs = (): readonly AnyCodec[] =>
  Object.values(CODECS).flatMap((c) => Object.values(c) as AnyCodec[]);

export const channelNames = (): readonly ChannelName[] => Object.keys(CODECS) as ChannelName[];

/** Bytes the message takes on the wire, header included. Validates the message's shape. */
export const encodedSize = (message: Message): number => HEADER_SIZE + codecOf(message).size(message);

/**
 * Writes one frame into `buffer` at `offset` and returns the number of bytes written.
 * Throws ProtocolError `buffer_too_small` when it does not fit, or a value error for an invalid message.
 */
export const encodeInto = (message: Message, buffer: Uint8Array, offset = 0): number => {
  const codec = codecOf(message);
  const size = codec.size(message);
  const total = HEADER_SIZE + size;
  if (offset < 0 || offset + total > buffer.length) {
    throw new ProtocolError(
      'buffer_too_small',
      `frame needs ${total} bytes at offset ${offset}, buffer has ${buffer.length}`,
    );
  }
  buffer[offset] = codec.channelId;
  buffer[offset + 1] = codec.typeId;
  w32(buffer, offset + 2, size);
  const end = codec.encode(message, buffer, offset + HEADER_SIZE);
  if (end !== offset + total) {
    throw new ProtocolError(
      'invalid_value',
      `${message.channel}.${message.type}: size ${size} but wrote ${end - offset - HEADER_SIZE}`,
    );
  }
  return total;
};

/** Encodes one frame into a new Uint8Array of exactly its size. */
export const encode = (message: Message): Uint8Array => {
  const out = new Uint8Array(encodedSize(message));
  encodeInto(message, out, 0);
  return out;
};

/** Encodes several frames back to back into one new Uint8Array. */
export const encodeAll = (messages: readonly Message[]): Uint8Array => {
  let total = 0;
  for (const m of messages) total += encodedSize(m);
  const out = new Uint8Array(total);
  let at = 0;
  for (const m of messages) at += encodeInto(m, out, at);
  return out;
};

export type FrameHeader = { readonly codec: AnyCodec; readonly length: number };

/**
 * Validates a complete 6-byte header at `at`: known channel, known type, frame within `maxFrameSize`.
 */
export const readHeader = (bytes: Uint8Array, at: number, maxFrameSize: number): FrameHeader => {
  const codec = codecById(bytes[at]!, bytes[at + 1]!);
  const length = r32(bytes, at + 2);
  if (length > maxFrameSize - HEADER_SIZE) {
    throw new ProtocolError(
      'frame_too_large',
      `${codec.channel}.${codec.type}: frame of ${HEADER_SIZE + length} bytes exceeds the limit of ${maxFrameSize}`,
      { channel: codec.channel, type: codec.type, value: HEADER_SIZE + length },
    );
  }
  return { codec, length };
};

export type DecodeOptions = { readonly maxFrameSize?: number };

/**
 * Decodes exactly one frame (a datagram, a WebSocket message holding one frame). Leftover bytes are
 * `trailing_bytes`, missing ones `truncated`. Byte fields of the result are views into `bytes`.
 */
export const decodeFrame = (bytes: Uint8Array, options?: DecodeOptions): Message => {
  if (bytes.length < HEADER_SIZE) {
    throw new ProtocolError('truncated', `frame header needs ${HEADER_SIZE} bytes, got ${bytes.length}`);
  }
  const { codec, length } = readHeader(bytes, 0, options?.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
  const end = HEADER_SIZE + length;
  if (bytes.length < end) {
    throw new ProtocolError(
      'truncated',
      `${codec.channel}.${codec.type}: frame declares ${end} bytes, got ${bytes.length}`,
      {
        channel: codec.channel,
        type: codec.type,
      },
    );
  }
  if (bytes.length > end) {
    throw new ProtocolError('trailing_bytes', `${bytes.length - end} byte(s) after the frame`, {
      channel: codec.channel,
      type: codec.type,
      offset: end,
    });
  }
  return codec.decode(bytes, HEADER_SIZE, end);
};

/** Decodes a payload (without header) of a known channel/type id pair. */
export const decodePayload = (channelId: number, typeId: number, payload: Uint8Array): Message =>
  codecById(channelId, typeId).decode(payload, 0, payload.length);
