/**
 * Incremental decoding of a byte stream of frames (a WebSocket, a WebTransport stream, a socket).
 *
 * - Any split of the stream yields the same messages and the same error.
 * - Memory is bounded: at most one partial frame is held, and a frame is refused from its header
 *   alone when it exceeds the frame limit (default 16 MiB; the session lowers it during the
 *   handshake and sets the negotiated one after).
 * - Malformed input throws a {@link ProtocolError}; nothing else. After an error the decoder is
 *   failed: the stream cannot be resynchronised, so every later push throws the same error.
 * - Zero-copy: a frame that lies inside one pushed chunk is decoded in place, so byte fields of the
 *   messages are views of that chunk; do not overwrite a chunk while you hold its messages. Bytes of
 *   a frame that spans chunks are copied into a buffer of the decoder's own, so a chunk may be
 *   reused as soon as `push` returns if you copy out what you keep.
 */
import { ProtocolError } from './errors';
import { DEFAULT_MAX_FRAME_SIZE, HEADER_SIZE, readHeader } from './frame';
import { LIMITS, type Message, type MessageCodec } from './generated/catalogue';

type AnyCodec = MessageCodec<Message>;

/**
 * Receives one raw frame: `buffer.subarray(start - HEADER_SIZE, end)` is the whole frame,
 * `buffer.subarray(start, end)` its payload.
 */
export type FrameSink = (codec: AnyCodec, buffer: Uint8Array, start: number, end: number) => void;

export type StreamDecoderOptions = {
  /** Largest frame accepted, header included. Default 16 MiB. */
  readonly maxFrameSize?: number;
};

const MIN_GROWTH = 64 * 1024;

export class StreamDecoder {
  #maxFrameSize: number;
  readonly #header = new Uint8Array(HEADER_SIZE);
  #headerFill = 0;
  /** Reassembly buffer for a frame that spans chunks (header included), or null. */
  #body: Uint8Array | null = null;
  #bodyFill = 0;
  #bodyTotal = 0;
  #bodyCodec: AnyCodec | null = null;
  #error: Error | null = null;
  #frames = 0;

  constructor(options?: StreamDecoderOptions) {
    this.#maxFrameSize = StreamDecoder.#checkLimit(options?.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE);
  }

  static #checkLimit(n: number): number {
    if (!Number.isInteger(n) || n < HEADER_SIZE || n > LIMITS.maxMaxFrameSize) {
      throw new ProtocolError(
        'invalid_value',
        `frame limit must be in [${HEADER_SIZE}, ${LIMITS.maxMaxFrameSize}]`,
        {
          value: n,
        },
      );
    }
    return n;
  }

  get maxFrameSize(): number {
    return this.#maxFrameSize;
  }

  /** Changes the frame limit for frames whose header has not been read yet. */
  set maxFrameSize(n: number) {
    this.#maxFrameSize = StreamDecoder.#checkLimit(n);
  }

  /** Bytes held for an incomplete frame. */
  get bufferedBytes(): number {
    return this.#body !== null ? this.#bodyFill : this.#headerFill;
  }

  /** Frames decoded so far. */
  get frames(): number {
    return this.#frames;
  }

  /** The error that failed this decoder, if any. */
  get error(): Error | null {
    return this.#error;
  }

  /** Decodes every complete message in `chunk` and passes each to `onMessage`, in order. */
  push(chunk: Uint8Array, onMessage: (message: Message) => void): void {
    this.pushFrames(chunk, (codec, buffer, start, end) => onMessage(codec.decode(buffer, start, end)));
  }

  /** Decodes `chunk` and returns its complete messages. */
  decode(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    this.push(chunk, (m) => out.push(m));
    return out;
  }

  /**
   * Splits `chunk` into raw frames without decoding payloads (headers are still validated: known
   * channel and type, size limit). For relays that forward frames unchanged.
   */
  pushFrames(chunk: Uint8Array, sink: FrameSink): void {
    if (this.#error !== null) throw this.#error;
    try {
      this.#run(chunk, sink);
    } catch (e) {
      this.#error = e instanceof Error ? e : new Error(String(e));
      throw this.#error;
    }
  }

  /** Declares the end of the stream: throws `truncated` when it ends inside a frame. */
  end(): void {
    if (this.#error !== null) throw this.#error;
    if (this.#headerFill > 0 || this.#body !== null) {
      this.#error = new ProtocolError(
        'truncated',
        `stream ended inside a frame (${this.bufferedBytes} byte(s) held)`,
      );
      throw this.#error;
    }
  }

  #run(chunk: Uint8Array, sink: FrameSink): void {
    const n = chunk.length;
    let pos = 0;
    if (this.#headerFill > 0) {
      const take = Math.min(HEADER_SIZE - this.#headerFill, n);
      this.#header.set(chunk.subarray(0, take), this.#headerFill);
      this.#headerFill += take;
      pos = take;
      if (this.#headerFill < HEADER_SIZE) return;
      this.#headerFill = 0;
      const { codec, length } = readHeader(this.#header, 0, this.#maxFrameSize);
      this.#startBody(codec, length, this.#header);
    }
    if (this.#body !== null) {
      pos = this.#fillBody(chunk, pos, sink);
      if (this.#body !== null) return;
    }
    const max = this.#maxFrameSize;
    while (pos < n) {
      if (n - pos < HEADER_SIZE) {
        this.#header.set(chunk.subarray(pos), 0);
        this.#headerFill = n - pos;
        return;
      }
      const { codec, length } = readHeader(chunk, pos, max);
      const start = pos + HEADER_SIZE;
      const end = start + length;
      if (end <= n) {
        this.#frames++;
        sink(codec, chunk, start, end);
        pos = end;
        continue;
      }
      this.#startBody(codec, length, chunk.subarray(pos, start));
      pos = this.#fillBody(chunk, start, sink);
    }
  }

  #startBody(codec: AnyCodec, length: number, header: Uint8Array): void {
    const total = HEADER_SIZE + length;
    this.#body = new Uint8Array(Math.min(total, MIN_GROWTH));
    this.#body.set(header, 0);
    this.#bodyFill = HEADER_SIZE;
    this.#bodyTotal = total;
    this.#bodyCodec = codec;
  }

  /** Copies what `chunk` holds of the pending frame; emits it when complete. Returns the new position. */
  #fillBody(chunk: Uint8Array, pos: number, sink: FrameSink): number {
    let body = this.#body!;
    const take = Math.min(this.#bodyTotal - this.#bodyFill, chunk.length - pos);
    const need = this.#bodyFill + take;
    if (need > body.length) {
      const grown = new Uint8Array(Math.min(this.#bodyTotal, Math.max(need, body.length * 2)));
      grown.set(body.subarray(0, this.#bodyFill), 0);
      body = this.#body = grown;
    }
    body.set(chunk.subarray(pos, pos + take), this.#bodyFill);
    this.#bodyFill = need;
    if (need === this.#bodyTotal) {
      const codec = this.#bodyCodec!;
      this.#body = null;
      this.#bodyCodec = null;
      this.#frames++;
      sink(codec, body, HEADER_SIZE, need);
    }
    return pos + take;
  }
}
