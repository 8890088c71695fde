/**
 * JSON form of messages, as used by the golden vectors (proto/vectors/*.json) and for logging:
 * the message object with every byte field as a lowercase hex string.
 */
import { ProtocolError } from './errors';
import { codecOf } from './frame';
import { CODECS, type Message } from './generated/catalogue';

const BYTE_TYPES = new Set(['bytes16', 'bytes32', 'fixed', 'rest']);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const toHex = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
};

export const fromHex = (hex: string): Uint8Array => {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new ProtocolError('invalid_value', `not a hex string: ${String(hex).slice(0, 40)}`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
};

export type JsonMessage = {
  readonly channel: string;
  readonly type: string;
  readonly [field: string]: unknown;
};

/** The JSON form of a message: byte fields as hex, everything else as is. */
export const toJson = (message: Message): JsonMessage => {
  const codec = codecOf(message);
  const out: Record<string, unknown> = { channel: message.channel, type: message.type };
  const m = message as unknown as Record<string, unknown>;
  for (const f of codec.fields) {
    if (f.const !== undefined) continue;
    const v = m[f.name];
    out[f.name] = BYTE_TYPES.has(f.type) ? toHex(v as Uint8Array) : v;
  }
  return out as JsonMessage;
};

/** A message from its JSON form (hex strings back to bytes). The result is not validated: encode does that. */
export const fromJson = (json: JsonMessage): Message => {
  const channel = (
    CODECS as Record<
      string,
      Record<string, { fields: readonly { name: string; type: string; const?: number }[] }>
    >
  )[json.channel];
  const codec =
    channel && Object.prototype.hasOwnProperty.call(channel, json.type) ? channel[json.type] : undefined;
  if (!channel || !Object.prototype.hasOwnProperty.call(CODECS, json.channel) || !codec) {
    throw new ProtocolError('unknown_type', `unknown message ${json.channel}.${json.type}`);
  }
  const out: Record<string, unknown> = { channel: json.channel, type: json.type };
  for (const f of codec.fields) {
    if (f.const !== undefined) continue;
    const v = json[f.name];
    out[f.name] = BYTE_TYPES.has(f.type) ? fromHex(v as string) : v;
  }
  return out as unknown as Message;
};
