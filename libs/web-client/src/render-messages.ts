import type { Message } from '@bpane/protocol';

/** Tile and video messages the render worker applies (the rest of the protocol stays on the main thread). */
export type RenderMessage = Extract<Message, { channel: 'tiles' | 'video' }>;

/** Main thread → render worker. */
export type ToWorker =
  | {
      readonly t: 'init';
      readonly canvas: OffscreenCanvas;
      readonly cacheEntries: number;
      readonly cacheBytes: number;
    }
  | { readonly t: 'display'; readonly width: number; readonly height: number }
  /** One tiles frame (frameBegin … frameEnd), applied atomically, or video messages. */
  | { readonly t: 'batch'; readonly messages: readonly RenderMessage[] }
  /** Forget every cached bitmap and video decoder (new connection). */
  | { readonly t: 'reset' }
  | {
      readonly t: 'read';
      readonly id: number;
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
    };

/** Render worker → main thread. */
export type FromWorker =
  | {
      readonly t: 'cacheMiss';
      readonly frameSeq: number;
      readonly cacheId: number;
      readonly x: number;
      readonly y: number;
    }
  | {
      readonly t: 'presented';
      readonly seq: number;
      readonly decodeUs: number;
      readonly tiles: number;
      readonly cacheHits: number;
    }
  | { readonly t: 'video'; readonly streamId: number; readonly decodeUs: number }
  | { readonly t: 'dropped'; readonly streamId: number; readonly count: number }
  | { readonly t: 'keyframe'; readonly streamId: number }
  | { readonly t: 'read'; readonly id: number; readonly rgba: Uint8ClampedArray | null }
  | { readonly t: 'error'; readonly message: string };

/**
 * A message whose payload owns its own buffer (decoded payloads are views into the received
 * chunk), so it can be transferred to the worker without detaching anything else.
 */
export const ownPayload = (m: RenderMessage): RenderMessage =>
  'data' in m ? { ...m, data: m.data.slice() } : m;

/** The payload buffers of render messages, transferred to the worker instead of copied. */
export const transferablesOf = (messages: readonly RenderMessage[]): ArrayBuffer[] => {
  const out: ArrayBuffer[] = [];
  for (const m of messages) if ('data' in m && m.data.buffer instanceof ArrayBuffer) out.push(m.data.buffer);
  return out;
};
