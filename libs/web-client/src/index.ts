/**
 * @bpane/web-client — BrowserPane's browser-side live-session client (docs/web-client.md).
 *
 * `connect(element, { url, ticket })` shows a live session in `element`: the protocol handshake as
 * a web client, tiles and ROI video decoded in a worker onto an OffscreenCanvas, keyboard/IME,
 * pointer, wheel, touch, clipboard and files, resize that follows the element, feedback reports and
 * automatic reconnects. Browser-only (no Node APIs).
 */
export { connect, LiveClient, CLIENT_CAPABILITIES, CLIENT_CACHE_BYTES, CLIENT_CACHE_ENTRIES } from './client';
export type {
  ConnectOptions,
  ConnectionState,
  LiveClientEvents,
  RoleEvent,
  StatsEvent,
  StatusEvent,
} from './client';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { BitmapCache } from './bitmap-cache';
export { EVDEV_BY_DOM_CODE, evdevOf } from './dom-codes';
export { bitsPerSecond, ewma, FeedbackMeter, type FeedbackSnapshot } from './feedback';
export { FILE_CHUNK_BYTES, FILE_WINDOW_BYTES, type DownloadedFile } from './file-transfer';
export * from './input-map';
export { decodeQoiRgba, QoiError } from './qoi';
export { webSocketFactory, TransportError, type OpenedTransport, type TransportFactory } from './transport';
