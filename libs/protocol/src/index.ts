/**
 * @bpane/protocol — the BrowserPane live-session wire protocol (proto/SPEC.md).
 *
 * Messages are plain objects discriminated by `channel` and then `type` (see {@link Message});
 * `encode`/`encodeInto` write frames, `decodeFrame` reads one, `StreamDecoder` reads a stream of
 * them, and `ProtocolSession` runs the mandatory handshake and enforces the session's rules.
 * Works unchanged in Node and in browsers.
 */
export * from './errors';
export * from './generated/catalogue';
export * from './frame';
export * from './stream-decoder';
export * from './session';
export * from './json';
