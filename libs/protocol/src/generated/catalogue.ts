// GENERATED from proto/catalogue.json by libs/protocol/tools/generate.ts — do not edit.
// Regenerate with `npm run proto:generate`; the unit tier fails when this file drifts.
import {
  checkBool,
  checkBytes,
  checkList,
  checkString,
  checkUint,
  enumValue,
  invalid,
  r16,
  r32,
  r64,
  r8,
  rbool,
  ri16,
  rstr,
  trailing,
  truncated,
  utf8Length,
  w16,
  w32,
  w64,
  w8,
  wstr,
} from '../wire';

/** Protocol versions this build speaks, ascending. */
export const PROTOCOL_VERSIONS: readonly number[] = [1];
/** First four bytes of every hello payload: ASCII 'BPWP'. */
export const MAGIC = 1347899458;
/** Size of the frame header: channel u8, type u8, payload length u32 LE. */
export const HEADER_SIZE = 6;
export const LIMITS = {
  defaultMaxFrameSize: 16777216,
  minMaxFrameSize: 65536,
  maxMaxFrameSize: 67108864,
  handshakeMaxFrameSize: 1024,
  maxDatagramSize: 1200,
  handshakeTimeoutMs: 5000,
} as const;

// ---- capabilities

export const Capability = {
  /** Lossless tiles, solid fills, invalidation (baseline of every viewer). */
  tilesLossless: 1,
  /** Lossy tile payloads (JPEG/WebP). */
  tilesLossy: 2,
  /** Content cache: cache ids on tile payloads, cacheRef, cacheMiss, cacheEvict. */
  tilesCache: 3,
  /** copyRect for scrolling. */
  tilesCopyRect: 4,
  /** ROI H.264 on the video channel. */
  videoH264: 5,
  /** Video fragments as WebTransport datagrams. */
  videoDatagrams: 6,
  /** Desktop audio as Opus on the audio channel. */
  audioOpus: 7,
  /** Microphone as Opus on the microphone channel. */
  microphoneOpus: 8,
  /** Camera as H.264 on the camera channel. */
  cameraH264: 9,
  /** Clipboard text, both directions. */
  clipboardText: 10,
  /** Clipboard images, both directions. */
  clipboardImage: 11,
  /** Uploads and downloads on the file channel. */
  fileTransfer: 12,
  /** Cursor shapes, positions and visibility on the cursor channel. */
  cursorImage: 13,
  /** Touch input. */
  inputTouch: 14,
  /** Composition (IME) input. */
  inputIme: 15,
  /** Client feedback reports and bitrate targets on the feedback channel. */
  feedback: 16,
} as const;
export type CapabilityName = keyof typeof Capability;
export const CapabilityByValue: Readonly<Partial<Record<number, CapabilityName>>> = {
  1: 'tilesLossless',
  2: 'tilesLossy',
  3: 'tilesCache',
  4: 'tilesCopyRect',
  5: 'videoH264',
  6: 'videoDatagrams',
  7: 'audioOpus',
  8: 'microphoneOpus',
  9: 'cameraH264',
  10: 'clipboardText',
  11: 'clipboardImage',
  12: 'fileTransfer',
  13: 'cursorImage',
  14: 'inputTouch',
  15: 'inputIme',
  16: 'feedback',
};
/** Capabilities that are only valid together with others. */
export const CAPABILITY_REQUIRES: Readonly<Partial<Record<CapabilityName, readonly CapabilityName[]>>> = {
  tilesLossy: ['tilesLossless'],
  tilesCache: ['tilesLossless'],
  tilesCopyRect: ['tilesLossless'],
  videoDatagrams: ['videoH264'],
};

// ---- enums (string literal unions on the API, integers on the wire)

export const PeerKind = { webClient: 0, gateway: 1, hostAgent: 2, recorder: 3, tool: 4 } as const;
export type PeerKind = keyof typeof PeerKind;
export const PeerKindByValue: Readonly<Partial<Record<number, PeerKind>>> = {
  0: 'webClient',
  1: 'gateway',
  2: 'hostAgent',
  3: 'recorder',
  4: 'tool',
};
export const Role = { owner: 0, collaborator: 1, viewer: 2, recorder: 3 } as const;
export type Role = keyof typeof Role;
export const RoleByValue: Readonly<Partial<Record<number, Role>>> = {
  0: 'owner',
  1: 'collaborator',
  2: 'viewer',
  3: 'recorder',
};
export const CloseCode = {
  normal: 4000,
  goingAway: 4001,
  unsupportedVersion: 4100,
  capabilityMissing: 4101,
  malformedFrame: 4102,
  handshakeTimeout: 4103,
  unexpectedMessage: 4104,
  frameTooLarge: 4105,
  selectionMismatch: 4106,
  notPermitted: 4107,
  slowConsumer: 4108,
  replaced: 4109,
  unauthorized: 4110,
  internalError: 4111,
} as const;
export type CloseCode = keyof typeof CloseCode;
export const CloseCodeByValue: Readonly<Partial<Record<number, CloseCode>>> = {
  4000: 'normal',
  4001: 'goingAway',
  4100: 'unsupportedVersion',
  4101: 'capabilityMissing',
  4102: 'malformedFrame',
  4103: 'handshakeTimeout',
  4104: 'unexpectedMessage',
  4105: 'frameTooLarge',
  4106: 'selectionMismatch',
  4107: 'notPermitted',
  4108: 'slowConsumer',
  4109: 'replaced',
  4110: 'unauthorized',
  4111: 'internalError',
};
export const KeyframeReason = { decoderError: 0, lateJoin: 1, loss: 2, user: 3 } as const;
export type KeyframeReason = keyof typeof KeyframeReason;
export const KeyframeReasonByValue: Readonly<Partial<Record<number, KeyframeReason>>> = {
  0: 'decoderError',
  1: 'lateJoin',
  2: 'loss',
  3: 'user',
};
export const ResyncReason = { reconnect: 0, cacheLost: 1, decoderError: 2, user: 3 } as const;
export type ResyncReason = keyof typeof ResyncReason;
export const ResyncReasonByValue: Readonly<Partial<Record<number, ResyncReason>>> = {
  0: 'reconnect',
  1: 'cacheLost',
  2: 'decoderError',
  3: 'user',
};
export const NoticeKind = {
  message: 0,
  viewerJoined: 1,
  viewerLeft: 2,
  ownerChanged: 3,
  idleWarning: 4,
  sessionEnding: 5,
  recordingStarted: 6,
  recordingStopped: 7,
  automationAttached: 8,
  automationDetached: 9,
} as const;
export type NoticeKind = keyof typeof NoticeKind;
export const NoticeKindByValue: Readonly<Partial<Record<number, NoticeKind>>> = {
  0: 'message',
  1: 'viewerJoined',
  2: 'viewerLeft',
  3: 'ownerChanged',
  4: 'idleWarning',
  5: 'sessionEnding',
  6: 'recordingStarted',
  7: 'recordingStopped',
  8: 'automationAttached',
  9: 'automationDetached',
};
export const PointerButton = { left: 0, middle: 1, right: 2, back: 3, forward: 4 } as const;
export type PointerButton = keyof typeof PointerButton;
export const PointerButtonByValue: Readonly<Partial<Record<number, PointerButton>>> = {
  0: 'left',
  1: 'middle',
  2: 'right',
  3: 'back',
  4: 'forward',
};
export const WheelMode = { pixel: 0, line: 1, page: 2 } as const;
export type WheelMode = keyof typeof WheelMode;
export const WheelModeByValue: Readonly<Partial<Record<number, WheelMode>>> = {
  0: 'pixel',
  1: 'line',
  2: 'page',
};
export const CompositionPhase = { start: 0, update: 1, commit: 2, cancel: 3 } as const;
export type CompositionPhase = keyof typeof CompositionPhase;
export const CompositionPhaseByValue: Readonly<Partial<Record<number, CompositionPhase>>> = {
  0: 'start',
  1: 'update',
  2: 'commit',
  3: 'cancel',
};
export const TouchPhase = { start: 0, move: 1, end: 2, cancel: 3 } as const;
export type TouchPhase = keyof typeof TouchPhase;
export const TouchPhaseByValue: Readonly<Partial<Record<number, TouchPhase>>> = {
  0: 'start',
  1: 'move',
  2: 'end',
  3: 'cancel',
};
export const ImageMime = { png: 0 } as const;
export type ImageMime = keyof typeof ImageMime;
export const ImageMimeByValue: Readonly<Partial<Record<number, ImageMime>>> = { 0: 'png' };
export const FileDirection = { upload: 0, download: 1 } as const;
export type FileDirection = keyof typeof FileDirection;
export const FileDirectionByValue: Readonly<Partial<Record<number, FileDirection>>> = {
  0: 'upload',
  1: 'download',
};
export const FileCancelReason = {
  user: 0,
  tooLarge: 1,
  notPermitted: 2,
  ioError: 3,
  timeout: 4,
  protocol: 5,
} as const;
export type FileCancelReason = keyof typeof FileCancelReason;
export const FileCancelReasonByValue: Readonly<Partial<Record<number, FileCancelReason>>> = {
  0: 'user',
  1: 'tooLarge',
  2: 'notPermitted',
  3: 'ioError',
  4: 'timeout',
  5: 'protocol',
};
export const FileStatus = { ok: 0, checksumMismatch: 1, sizeMismatch: 2, ioError: 3 } as const;
export type FileStatus = keyof typeof FileStatus;
export const FileStatusByValue: Readonly<Partial<Record<number, FileStatus>>> = {
  0: 'ok',
  1: 'checksumMismatch',
  2: 'sizeMismatch',
  3: 'ioError',
};
export const LosslessCodec = { rawRgba: 0, qoi: 1, zstdRgba: 2, png: 3 } as const;
export type LosslessCodec = keyof typeof LosslessCodec;
export const LosslessCodecByValue: Readonly<Partial<Record<number, LosslessCodec>>> = {
  0: 'rawRgba',
  1: 'qoi',
  2: 'zstdRgba',
  3: 'png',
};
export const LossyCodec = { jpeg: 0, webp: 1 } as const;
export type LossyCodec = keyof typeof LossyCodec;
export const LossyCodecByValue: Readonly<Partial<Record<number, LossyCodec>>> = { 0: 'jpeg', 1: 'webp' };
export const VideoCodec = { h264: 0 } as const;
export type VideoCodec = keyof typeof VideoCodec;
export const VideoCodecByValue: Readonly<Partial<Record<number, VideoCodec>>> = { 0: 'h264' };
export const AudioCodec = { opus: 0 } as const;
export type AudioCodec = keyof typeof AudioCodec;
export const AudioCodecByValue: Readonly<Partial<Record<number, AudioCodec>>> = { 0: 'opus' };

// ---- flags (numbers on the API; reserved bits must be zero)

export const Modifiers = {
  shift: 1,
  ctrl: 2,
  alt: 4,
  meta: 8,
  altGraph: 16,
  capsLock: 32,
  numLock: 64,
} as const;
export const ModifiersMask = 127;
export const Buttons = { left: 1, middle: 2, right: 4, back: 8, forward: 16 } as const;
export const ButtonsMask = 31;
export const Permissions = {
  input: 1,
  clipboardRead: 2,
  clipboardWrite: 4,
  upload: 8,
  download: 16,
  resize: 32,
  audio: 64,
  microphone: 128,
  camera: 256,
} as const;
export const PermissionsMask = 511;
export const DisplayFlags = { resizeLocked: 1 } as const;
export const DisplayFlagsMask = 1;
export const FrameFlags = { snapshot: 1 } as const;
export const FrameFlagsMask = 1;
export const VideoFlags = { key: 1, config: 2, discontinuity: 4 } as const;
export const VideoFlagsMask = 7;
export const LosslessCodecs = { rawRgba: 1, qoi: 2, zstdRgba: 4, png: 8 } as const;
export const LosslessCodecsMask = 15;
export const LossyCodecs = { jpeg: 1, webp: 2 } as const;
export const LossyCodecsMask = 3;

// ---- structs

/** One touch contact in screen pixels; pressure 0..255 maps to 0..1. */
export type TouchPoint = {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly pressure: number;
};

// ---- messages

/** control.hello (channel 1, type 1, up): First frame of the viewer side. Offers versions and capabilities. */
export type ControlHello = {
  readonly channel: 'control';
  readonly type: 'hello';
  readonly versions: readonly number[];
  /** capabilities the sender cannot work without */
  readonly required: readonly number[];
  /** capabilities the sender can use */
  readonly optional: readonly number[];
  /** largest frame (header included) the sender accepts */
  readonly maxFrameSize: number;
  readonly peer: PeerKind;
  /** software name/version, for diagnostics */
  readonly agent: string;
};
/** control.selection (channel 1, type 2, down): Answer to hello: the chosen version and capabilities, the frame limit and the viewer's role. */
export type ControlSelection = {
  readonly channel: 'control';
  readonly type: 'selection';
  readonly version: number;
  readonly capabilities: readonly number[];
  readonly maxFrameSize: number;
  readonly role: Role;
  readonly permissions: number;
  readonly peer: PeerKind;
  readonly agent: string;
};
/** control.reject (channel 1, type 3, both): Refuses the handshake; the sender closes the transport with the same code. */
export type ControlReject = {
  readonly channel: 'control';
  readonly type: 'reject';
  readonly code: CloseCode;
  readonly reason: string;
};
/** control.close (channel 1, type 4, both): Orderly end of an open session; the sender closes the transport with the same code. */
export type ControlClose = {
  readonly channel: 'control';
  readonly type: 'close';
  readonly code: CloseCode;
  readonly reason: string;
};
/** control.ping (channel 1, type 5, both) */
export type ControlPing = {
  readonly channel: 'control';
  readonly type: 'ping';
  readonly seq: number;
  /** sender clock, microseconds */
  readonly timestampUs: number;
};
/** control.pong (channel 1, type 6, both) */
export type ControlPong = {
  readonly channel: 'control';
  readonly type: 'pong';
  readonly seq: number;
  /** the ping's timestampUs */
  readonly echoTimestampUs: number;
  /** responder clock, microseconds */
  readonly timestampUs: number;
};
/** control.resizeRequest (channel 1, type 7, up) */
export type ControlResizeRequest = {
  readonly channel: 'control';
  readonly type: 'resizeRequest';
  readonly width: number;
  readonly height: number;
  /** device pixel ratio x 100 */
  readonly scale: number;
};
/** control.displayConfig (channel 1, type 8, down): The remote screen; sent after the handshake and on every change. */
export type ControlDisplayConfig = {
  readonly channel: 'control';
  readonly type: 'displayConfig';
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly tileSize: number;
  readonly flags: number;
};
/** control.keyframeRequest (channel 1, type 9, up) */
export type ControlKeyframeRequest = {
  readonly channel: 'control';
  readonly type: 'keyframeRequest';
  readonly streamId: number;
  readonly reason: KeyframeReason;
};
/** control.resyncRequest (channel 1, type 10, up): Asks for a full snapshot (every tile) and a keyframe on every video stream. */
export type ControlResyncRequest = {
  readonly channel: 'control';
  readonly type: 'resyncRequest';
  readonly reason: ResyncReason;
};
/** control.roleChanged (channel 1, type 11, down) */
export type ControlRoleChanged = {
  readonly channel: 'control';
  readonly type: 'roleChanged';
  readonly role: Role;
  readonly permissions: number;
};
/** control.sessionNotice (channel 1, type 12, down) */
export type ControlSessionNotice = {
  readonly channel: 'control';
  readonly type: 'sessionNotice';
  readonly kind: NoticeKind;
  /** connected viewers after the event */
  readonly viewers: number;
  readonly message: string;
};
/** control.capabilities (channel 1, type 13, both): The limits of what this side can take, sent once right after the handshake (before any tile by the host side). The peer sends nothing beyond them; a side that sends none accepts every codec (SPEC §8). */
export type ControlCapabilities = {
  readonly channel: 'control';
  readonly type: 'capabilities';
  /** lossless tile codecs this side decodes */
  readonly losslessCodecs: number;
  /** lossy tile codecs this side decodes */
  readonly lossyCodecs: number;
  /** content-cache entries this side holds (0: none) */
  readonly cacheEntries: number;
  /** content-cache bytes of decoded pixels this side holds */
  readonly cacheBytes: number;
  /** largest clipboard content it accepts */
  readonly maxClipboardBytes: number;
  /** largest file it accepts (0: no transfers) */
  readonly maxFileBytes: number;
};
export type ControlMessage =
  | ControlHello
  | ControlSelection
  | ControlReject
  | ControlClose
  | ControlPing
  | ControlPong
  | ControlResizeRequest
  | ControlDisplayConfig
  | ControlKeyframeRequest
  | ControlResyncRequest
  | ControlRoleChanged
  | ControlSessionNotice
  | ControlCapabilities;
/** input.pointerMove (channel 2, type 1, up) */
export type InputPointerMove = {
  readonly channel: 'input';
  readonly type: 'pointerMove';
  readonly x: number;
  readonly y: number;
  readonly buttons: number;
  readonly modifiers: number;
};
/** input.pointerButton (channel 2, type 2, up) */
export type InputPointerButton = {
  readonly channel: 'input';
  readonly type: 'pointerButton';
  readonly x: number;
  readonly y: number;
  readonly button: PointerButton;
  readonly down: boolean;
  readonly modifiers: number;
};
/** input.wheel (channel 2, type 3, up) */
export type InputWheel = {
  readonly channel: 'input';
  readonly type: 'wheel';
  readonly x: number;
  readonly y: number;
  readonly dx: number;
  readonly dy: number;
  readonly mode: WheelMode;
  readonly modifiers: number;
};
/** input.key (channel 2, type 4, up): code: Linux evdev key code of the physical key (KeyboardEvent.code mapped); key: KeyboardEvent.key; text: the characters the key produced (may be empty). */
export type InputKey = {
  readonly channel: 'input';
  readonly type: 'key';
  readonly code: number;
  readonly down: boolean;
  readonly repeat: boolean;
  readonly modifiers: number;
  readonly key: string;
  readonly text: string;
};
/** input.composition (channel 2, type 5, up) */
export type InputComposition = {
  readonly channel: 'input';
  readonly type: 'composition';
  readonly phase: CompositionPhase;
  readonly selectionStart: number;
  readonly selectionEnd: number;
  readonly text: string;
};
/** input.touch (channel 2, type 6, up): The changed touch points of one touch event. */
export type InputTouch = {
  readonly channel: 'input';
  readonly type: 'touch';
  readonly phase: TouchPhase;
  readonly modifiers: number;
  readonly points: readonly TouchPoint[];
};
/** input.releaseAll (channel 2, type 7, up): Release every pressed key and button (the viewer lost focus). */
export type InputReleaseAll = {
  readonly channel: 'input';
  readonly type: 'releaseAll';
};
export type InputMessage =
  | InputPointerMove
  | InputPointerButton
  | InputWheel
  | InputKey
  | InputComposition
  | InputTouch
  | InputReleaseAll;
/** cursor.shape (channel 3, type 1, down): A cursor image (straight, not premultiplied, RGBA rows top to bottom); the receiver caches it by cursorId. */
export type CursorShape = {
  readonly channel: 'cursor';
  readonly type: 'shape';
  readonly cursorId: number;
  readonly width: number;
  readonly height: number;
  readonly hotX: number;
  readonly hotY: number;
  readonly rgba: Uint8Array;
};
/** cursor.select (channel 3, type 2, down): Show a cached shape. */
export type CursorSelect = {
  readonly channel: 'cursor';
  readonly type: 'select';
  readonly cursorId: number;
};
/** cursor.position (channel 3, type 3, down) */
export type CursorPosition = {
  readonly channel: 'cursor';
  readonly type: 'position';
  readonly x: number;
  readonly y: number;
};
/** cursor.visibility (channel 3, type 4, down) */
export type CursorVisibility = {
  readonly channel: 'cursor';
  readonly type: 'visibility';
  readonly visible: boolean;
};
export type CursorMessage = CursorShape | CursorSelect | CursorPosition | CursorVisibility;
/** clipboard.text (channel 4, type 1, both) */
export type ClipboardText = {
  readonly channel: 'clipboard';
  readonly type: 'text';
  readonly seq: number;
  readonly text: string;
};
/** clipboard.image (channel 4, type 2, both) */
export type ClipboardImage = {
  readonly channel: 'clipboard';
  readonly type: 'image';
  readonly seq: number;
  readonly mime: ImageMime;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
};
export type ClipboardMessage = ClipboardText | ClipboardImage;
/** file.offer (channel 5, type 1, both): The sender announces a file. Uploads need the upload permission, downloads the download permission. */
export type FileOffer = {
  readonly channel: 'file';
  readonly type: 'offer';
  readonly transferId: number;
  readonly direction: FileDirection;
  readonly size: number;
  readonly name: string;
  readonly mime: string;
};
/** file.accept (channel 5, type 2, both): The receiver accepts and names the offset to start from (0, or the bytes it already holds when resuming). */
export type FileAccept = {
  readonly channel: 'file';
  readonly type: 'accept';
  readonly transferId: number;
  readonly offset: number;
};
/** file.chunk (channel 5, type 3, both) */
export type FileChunk = {
  readonly channel: 'file';
  readonly type: 'chunk';
  readonly transferId: number;
  readonly offset: number;
  readonly data: Uint8Array;
};
/** file.ack (channel 5, type 4, both): The receiver holds every byte before offset (flow control and resume point). */
export type FileAck = {
  readonly channel: 'file';
  readonly type: 'ack';
  readonly transferId: number;
  readonly offset: number;
};
/** file.complete (channel 5, type 5, both): The sender has sent every byte; sha256 is over the whole file. */
export type FileComplete = {
  readonly channel: 'file';
  readonly type: 'complete';
  readonly transferId: number;
  readonly size: number;
  readonly sha256: Uint8Array;
};
/** file.result (channel 5, type 6, both): The receiver's verdict after complete. */
export type FileResult = {
  readonly channel: 'file';
  readonly type: 'result';
  readonly transferId: number;
  readonly status: FileStatus;
};
/** file.cancel (channel 5, type 7, both) */
export type FileCancel = {
  readonly channel: 'file';
  readonly type: 'cancel';
  readonly transferId: number;
  readonly reason: FileCancelReason;
  readonly message: string;
};
export type FileMessage =
  FileOffer | FileAccept | FileChunk | FileAck | FileComplete | FileResult | FileCancel;
/** tiles.frameBegin (channel 6, type 1, down) */
export type TilesFrameBegin = {
  readonly channel: 'tiles';
  readonly type: 'frameBegin';
  readonly seq: number;
  readonly timestampUs: number;
  readonly flags: number;
};
/** tiles.frameEnd (channel 6, type 2, down) */
export type TilesFrameEnd = {
  readonly channel: 'tiles';
  readonly type: 'frameEnd';
  readonly seq: number;
};
/** tiles.fill (channel 6, type 3, down): A solid rectangle; rgba is R in the most significant byte (0xRRGGBBAA). */
export type TilesFill = {
  readonly channel: 'tiles';
  readonly type: 'fill';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: number;
};
/** tiles.lossless (channel 6, type 4, down): A losslessly coded rectangle; cacheId 0 = do not cache, otherwise store under cacheId (needs tilesCache). */
export type TilesLossless = {
  readonly channel: 'tiles';
  readonly type: 'lossless';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly codec: LosslessCodec;
  readonly cacheId: number;
  readonly data: Uint8Array;
};
/** tiles.lossy (channel 6, type 5, down) */
export type TilesLossy = {
  readonly channel: 'tiles';
  readonly type: 'lossy';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly codec: LossyCodec;
  readonly quality: number;
  readonly cacheId: number;
  readonly data: Uint8Array;
};
/** tiles.cacheRef (channel 6, type 6, down): Draw the cached rectangle cacheId at (x, y). */
export type TilesCacheRef = {
  readonly channel: 'tiles';
  readonly type: 'cacheRef';
  readonly x: number;
  readonly y: number;
  readonly cacheId: number;
};
/** tiles.copyRect (channel 6, type 7, down): Copy a rectangle of the current screen (scrolling); source and destination may overlap. */
export type TilesCopyRect = {
  readonly channel: 'tiles';
  readonly type: 'copyRect';
  readonly srcX: number;
  readonly srcY: number;
  readonly width: number;
  readonly height: number;
  readonly dstX: number;
  readonly dstY: number;
};
/** tiles.invalidate (channel 6, type 8, down): The region's content is unknown until repainted (the receiver may draw a placeholder). */
export type TilesInvalidate = {
  readonly channel: 'tiles';
  readonly type: 'invalidate';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
};
/** tiles.cacheMiss (channel 6, type 9, up): The viewer had no entry for a cacheRef; the host side repaints (x, y). */
export type TilesCacheMiss = {
  readonly channel: 'tiles';
  readonly type: 'cacheMiss';
  readonly frameSeq: number;
  readonly cacheId: number;
  readonly x: number;
  readonly y: number;
};
/** tiles.cacheEvict (channel 6, type 10, down) */
export type TilesCacheEvict = {
  readonly channel: 'tiles';
  readonly type: 'cacheEvict';
  readonly cacheId: number;
};
export type TilesMessage =
  | TilesFrameBegin
  | TilesFrameEnd
  | TilesFill
  | TilesLossless
  | TilesLossy
  | TilesCacheRef
  | TilesCopyRect
  | TilesInvalidate
  | TilesCacheMiss
  | TilesCacheEvict;
/** video.streamConfig (channel 7, type 1, down) */
export type VideoStreamConfig = {
  readonly channel: 'video';
  readonly type: 'streamConfig';
  readonly streamId: number;
  readonly codec: VideoCodec;
  /** WebCodecs codec string, e.g. avc1.42E01F */
  readonly codecString: string;
  readonly width: number;
  readonly height: number;
};
/** video.accessUnit (channel 7, type 2, down) */
export type VideoAccessUnit = {
  readonly channel: 'video';
  readonly type: 'accessUnit';
  readonly streamId: number;
  readonly seq: number;
  readonly flags: number;
  readonly timestampUs: number;
  readonly roiX: number;
  readonly roiY: number;
  readonly roiWidth: number;
  readonly roiHeight: number;
  readonly data: Uint8Array;
};
/** video.fragment (channel 7, type 3, down): One piece of an access unit, small enough for a datagram; the receiver reassembles by (streamId, seq). */
export type VideoFragment = {
  readonly channel: 'video';
  readonly type: 'fragment';
  readonly streamId: number;
  readonly seq: number;
  readonly index: number;
  readonly count: number;
  readonly flags: number;
  readonly timestampUs: number;
  readonly roiX: number;
  readonly roiY: number;
  readonly roiWidth: number;
  readonly roiHeight: number;
  readonly data: Uint8Array;
};
/** video.streamEnd (channel 7, type 4, down): The ROI is gone; tiles cover the area again. */
export type VideoStreamEnd = {
  readonly channel: 'video';
  readonly type: 'streamEnd';
  readonly streamId: number;
};
export type VideoMessage = VideoStreamConfig | VideoAccessUnit | VideoFragment | VideoStreamEnd;
/** audio.config (channel 8, type 1, down) */
export type AudioConfig = {
  readonly channel: 'audio';
  readonly type: 'config';
  readonly codec: AudioCodec;
  readonly sampleRate: number;
  readonly channels: number;
  readonly frameDurationUs: number;
};
/** audio.frame (channel 8, type 2, down) */
export type AudioFrame = {
  readonly channel: 'audio';
  readonly type: 'frame';
  readonly seq: number;
  readonly timestampUs: number;
  readonly data: Uint8Array;
};
export type AudioMessage = AudioConfig | AudioFrame;
/** microphone.config (channel 9, type 1, up) */
export type MicrophoneConfig = {
  readonly channel: 'microphone';
  readonly type: 'config';
  readonly codec: AudioCodec;
  readonly sampleRate: number;
  readonly channels: number;
  readonly frameDurationUs: number;
};
/** microphone.frame (channel 9, type 2, up) */
export type MicrophoneFrame = {
  readonly channel: 'microphone';
  readonly type: 'frame';
  readonly seq: number;
  readonly timestampUs: number;
  readonly data: Uint8Array;
};
/** microphone.stop (channel 9, type 3, up) */
export type MicrophoneStop = {
  readonly channel: 'microphone';
  readonly type: 'stop';
};
export type MicrophoneMessage = MicrophoneConfig | MicrophoneFrame | MicrophoneStop;
/** camera.config (channel 10, type 1, up) */
export type CameraConfig = {
  readonly channel: 'camera';
  readonly type: 'config';
  readonly codec: VideoCodec;
  readonly codecString: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
};
/** camera.frame (channel 10, type 2, up) */
export type CameraFrame = {
  readonly channel: 'camera';
  readonly type: 'frame';
  readonly seq: number;
  readonly flags: number;
  readonly timestampUs: number;
  readonly data: Uint8Array;
};
/** camera.stop (channel 10, type 3, up) */
export type CameraStop = {
  readonly channel: 'camera';
  readonly type: 'stop';
};
export type CameraMessage = CameraConfig | CameraFrame | CameraStop;
/** feedback.report (channel 11, type 1, up): Measured by the viewer over the last intervalMs. */
export type FeedbackReport = {
  readonly channel: 'feedback';
  readonly type: 'report';
  readonly intervalMs: number;
  readonly rttUs: number;
  /** mean decode time per video frame */
  readonly decodeTimeUs: number;
  readonly framesDecoded: number;
  readonly framesDropped: number;
  /** estimated available bandwidth, bits per second */
  readonly bandwidthBps: number;
  /** datagram loss */
  readonly lossPermille: number;
  /** media waiting to be decoded */
  readonly queueMs: number;
};
/** feedback.target (channel 11, type 2, up): Sent by the gateway to the host agent: the encoder settings that suit every viewer. */
export type FeedbackTarget = {
  readonly channel: 'feedback';
  readonly type: 'target';
  readonly bitrateBps: number;
  readonly maxFps: number;
  readonly viewers: number;
};
export type FeedbackMessage = FeedbackReport | FeedbackTarget;
/** Every message, discriminated by `channel` and then `type`. */
export type Message =
  | ControlMessage
  | InputMessage
  | CursorMessage
  | ClipboardMessage
  | FileMessage
  | TilesMessage
  | VideoMessage
  | AudioMessage
  | MicrophoneMessage
  | CameraMessage
  | FeedbackMessage;
export type ChannelName = Message['channel'];
export type MessageType<C extends ChannelName = ChannelName> = Extract<Message, { channel: C }>['type'];
export type MessageOf<C extends ChannelName, T extends MessageType<C>> = Extract<
  Message,
  { channel: C; type: T }
>;
export const Channel = {
  control: 1,
  input: 2,
  cursor: 3,
  clipboard: 4,
  file: 5,
  tiles: 6,
  video: 7,
  audio: 8,
  microphone: 9,
  camera: 10,
  feedback: 11,
} as const;
export const ChannelByValue: Readonly<Partial<Record<number, ChannelName>>> = {
  1: 'control',
  2: 'input',
  3: 'cursor',
  4: 'clipboard',
  5: 'file',
  6: 'tiles',
  7: 'video',
  8: 'audio',
  9: 'microphone',
  10: 'camera',
  11: 'feedback',
};

// ---- codecs

const decodeTouchPoint = (b: Uint8Array, q: number, _W: string, _label: string): TouchPoint => {
  const f_id = r16(b, q + 0);
  const f_x = r16(b, q + 2);
  const f_y = r16(b, q + 4);
  const f_pressure = r8(b, q + 6);
  return { id: f_id, x: f_x, y: f_y, pressure: f_pressure };
};

const encodeTouchPoint = (m: TouchPoint, b: Uint8Array, q: number, W: string, label: string): void => {
  if (m === null || typeof m !== 'object') invalid('invalid_value', W, label, m, 'must be an object');
  checkUint(m.id, 0, 65535, W, `${label}.id`);
  w16(b, q + 0, m.id);
  checkUint(m.x, 0, 65535, W, `${label}.x`);
  w16(b, q + 2, m.x);
  checkUint(m.y, 0, 65535, W, `${label}.y`);
  w16(b, q + 4, m.y);
  checkUint(m.pressure, 0, 255, W, `${label}.pressure`);
  w8(b, q + 6, m.pressure);
};

const decodeControlHello = (b: Uint8Array, p: number, end: number): ControlHello => {
  let q = p;
  if (q + 4 > end) truncated('control.hello', 'magic', q - p);
  const f_magic = r32(b, q);
  q += 4;
  if (f_magic !== 1347899458)
    invalid('invalid_value', 'control.hello', 'magic', f_magic, 'must be 1347899458');
  if (q + 1 > end) truncated('control.hello', 'versions', q - p);
  const f_versionsCount = r8(b, q);
  q += 1;
  if (f_versionsCount > 8)
    invalid('length_exceeded', 'control.hello', 'versions', f_versionsCount, 'at most 8 item(s)');
  if (f_versionsCount < 1)
    invalid('invalid_value', 'control.hello', 'versions', f_versionsCount, 'at least 1 item(s)');
  if (q + f_versionsCount * 2 > end) truncated('control.hello', 'versions', q - p);
  const f_versions: number[] = [];
  for (let i = 0; i < f_versionsCount; i++) {
    const it = r16(b, q);
    q += 2;
    if (it < 1) invalid('invalid_value', 'control.hello', 'versions', it, 'must be in [1, 65535]');
    if (i > 0 && it <= f_versions[i - 1]!)
      invalid('invalid_value', 'control.hello', 'versions', it, 'items must be strictly ascending');
    f_versions.push(it);
  }
  if (q + 1 > end) truncated('control.hello', 'required', q - p);
  const f_requiredCount = r8(b, q);
  q += 1;
  if (f_requiredCount > 64)
    invalid('length_exceeded', 'control.hello', 'required', f_requiredCount, 'at most 64 item(s)');
  if (q + f_requiredCount * 2 > end) truncated('control.hello', 'required', q - p);
  const f_required: number[] = [];
  for (let i = 0; i < f_requiredCount; i++) {
    const it = r16(b, q);
    q += 2;
    if (it < 1) invalid('invalid_value', 'control.hello', 'required', it, 'must be in [1, 65535]');
    if (i > 0 && it <= f_required[i - 1]!)
      invalid('invalid_value', 'control.hello', 'required', it, 'items must be strictly ascending');
    f_required.push(it);
  }
  if (q + 1 > end) truncated('control.hello', 'optional', q - p);
  const f_optionalCount = r8(b, q);
  q += 1;
  if (f_optionalCount > 64)
    invalid('length_exceeded', 'control.hello', 'optional', f_optionalCount, 'at most 64 item(s)');
  if (q + f_optionalCount * 2 > end) truncated('control.hello', 'optional', q - p);
  const f_optional: number[] = [];
  for (let i = 0; i < f_optionalCount; i++) {
    const it = r16(b, q);
    q += 2;
    if (it < 1) invalid('invalid_value', 'control.hello', 'optional', it, 'must be in [1, 65535]');
    if (i > 0 && it <= f_optional[i - 1]!)
      invalid('invalid_value', 'control.hello', 'optional', it, 'items must be strictly ascending');
    f_optional.push(it);
  }
  if (q + 4 > end) truncated('control.hello', 'maxFrameSize', q - p);
  const f_maxFrameSize = r32(b, q);
  q += 4;
  if (f_maxFrameSize < 65536 || f_maxFrameSize > 67108864)
    invalid('invalid_value', 'control.hello', 'maxFrameSize', f_maxFrameSize, 'must be in [65536, 67108864]');
  if (q + 1 > end) truncated('control.hello', 'peer', q - p);
  const f_peerRaw = r8(b, q);
  q += 1;
  const f_peer = PeerKindByValue[f_peerRaw];
  if (f_peer === undefined)
    return invalid('invalid_enum', 'control.hello', 'peer', f_peerRaw, 'not a PeerKind value');
  if (q + 1 > end) truncated('control.hello', 'agent', q - p);
  const f_agentLen = r8(b, q);
  q += 1;
  if (f_agentLen > 64) invalid('length_exceeded', 'control.hello', 'agent', f_agentLen, 'at most 64 bytes');
  if (q + f_agentLen > end) truncated('control.hello', 'agent', q - p);
  const f_agent = rstr(b, q, q + f_agentLen, 'control.hello', 'agent');
  q += f_agentLen;
  if (q !== end) trailing('control.hello', end - q, q - p);
  for (const v of f_optional)
    if (f_required.includes(v))
      invalid('invalid_value', 'control.hello', 'optional', v, 'also listed in required');
  return {
    channel: 'control',
    type: 'hello',
    versions: f_versions,
    required: f_required,
    optional: f_optional,
    maxFrameSize: f_maxFrameSize,
    peer: f_peer,
    agent: f_agent,
  };
};

const sizeControlHello = (m: ControlHello): number => {
  checkList(m.versions, 1, 8, 'control.hello', 'versions');
  checkList(m.required, 0, 64, 'control.hello', 'required');
  checkList(m.optional, 0, 64, 'control.hello', 'optional');
  checkString(m.agent, 'control.hello', 'agent');
  return (
    13 +
    m.versions.length * 2 +
    m.required.length * 2 +
    m.optional.length * 2 +
    utf8Length(m.agent, 'control.hello', 'agent')
  );
};

const encodeControlHello = (m: ControlHello, b: Uint8Array, q: number): number => {
  w32(b, q, 1347899458);
  q += 4;
  w8(b, q, m.versions.length);
  q += 1;
  for (let i = 0; i < m.versions.length; i++) {
    const it = m.versions[i]!;
    checkUint(it, 1, 65535, 'control.hello', 'versions');
    if (i > 0 && it <= m.versions[i - 1]!)
      invalid('invalid_value', 'control.hello', 'versions', it, 'items must be strictly ascending');
    w16(b, q, it);
    q += 2;
  }
  w8(b, q, m.required.length);
  q += 1;
  for (let i = 0; i < m.required.length; i++) {
    const it = m.required[i]!;
    checkUint(it, 1, 65535, 'control.hello', 'required');
    if (i > 0 && it <= m.required[i - 1]!)
      invalid('invalid_value', 'control.hello', 'required', it, 'items must be strictly ascending');
    w16(b, q, it);
    q += 2;
  }
  w8(b, q, m.optional.length);
  q += 1;
  for (let i = 0; i < m.optional.length; i++) {
    const it = m.optional[i]!;
    checkUint(it, 1, 65535, 'control.hello', 'optional');
    if (i > 0 && it <= m.optional[i - 1]!)
      invalid('invalid_value', 'control.hello', 'optional', it, 'items must be strictly ascending');
    w16(b, q, it);
    q += 2;
  }
  checkUint(m.maxFrameSize, 65536, 67108864, 'control.hello', 'maxFrameSize');
  w32(b, q, m.maxFrameSize);
  q += 4;
  w8(b, q, enumValue(PeerKind, m.peer, 'control.hello', 'peer'));
  q += 1;
  const agentLen = utf8Length(m.agent, 'control.hello', 'agent');
  if (agentLen > 64) invalid('length_exceeded', 'control.hello', 'agent', agentLen, 'at most 64 bytes');
  w8(b, q, agentLen);
  q = wstr(b, q + 1, m.agent);
  for (const v of m.optional)
    if (m.required.includes(v))
      invalid('invalid_value', 'control.hello', 'optional', v, 'also listed in required');
  return q;
};

const decodeControlSelection = (b: Uint8Array, p: number, end: number): ControlSelection => {
  let q = p;
  if (q + 2 > end) truncated('control.selection', 'version', q - p);
  const f_version = r16(b, q);
  q += 2;
  if (f_version < 1)
    invalid('invalid_value', 'control.selection', 'version', f_version, 'must be in [1, 65535]');
  if (q + 1 > end) truncated('control.selection', 'capabilities', q - p);
  const f_capabilitiesCount = r8(b, q);
  q += 1;
  if (f_capabilitiesCount > 64)
    invalid(
      'length_exceeded',
      'control.selection',
      'capabilities',
      f_capabilitiesCount,
      'at most 64 item(s)',
    );
  if (q + f_capabilitiesCount * 2 > end) truncated('control.selection', 'capabilities', q - p);
  const f_capabilities: number[] = [];
  for (let i = 0; i < f_capabilitiesCount; i++) {
    const it = r16(b, q);
    q += 2;
    if (it < 1) invalid('invalid_value', 'control.selection', 'capabilities', it, 'must be in [1, 65535]');
    if (i > 0 && it <= f_capabilities[i - 1]!)
      invalid('invalid_value', 'control.selection', 'capabilities', it, 'items must be strictly ascending');
    f_capabilities.push(it);
  }
  if (q + 4 > end) truncated('control.selection', 'maxFrameSize', q - p);
  const f_maxFrameSize = r32(b, q);
  q += 4;
  if (f_maxFrameSize < 65536 || f_maxFrameSize > 67108864)
    invalid(
      'invalid_value',
      'control.selection',
      'maxFrameSize',
      f_maxFrameSize,
      'must be in [65536, 67108864]',
    );
  if (q + 1 > end) truncated('control.selection', 'role', q - p);
  const f_roleRaw = r8(b, q);
  q += 1;
  const f_role = RoleByValue[f_roleRaw];
  if (f_role === undefined)
    return invalid('invalid_enum', 'control.selection', 'role', f_roleRaw, 'not a Role value');
  if (q + 2 > end) truncated('control.selection', 'permissions', q - p);
  const f_permissions = r16(b, q);
  q += 2;
  if ((f_permissions & ~PermissionsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.selection',
      'permissions',
      f_permissions,
      'reserved Permissions bits set',
    );
  if (q + 1 > end) truncated('control.selection', 'peer', q - p);
  const f_peerRaw = r8(b, q);
  q += 1;
  const f_peer = PeerKindByValue[f_peerRaw];
  if (f_peer === undefined)
    return invalid('invalid_enum', 'control.selection', 'peer', f_peerRaw, 'not a PeerKind value');
  if (q + 1 > end) truncated('control.selection', 'agent', q - p);
  const f_agentLen = r8(b, q);
  q += 1;
  if (f_agentLen > 64)
    invalid('length_exceeded', 'control.selection', 'agent', f_agentLen, 'at most 64 bytes');
  if (q + f_agentLen > end) truncated('control.selection', 'agent', q - p);
  const f_agent = rstr(b, q, q + f_agentLen, 'control.selection', 'agent');
  q += f_agentLen;
  if (q !== end) trailing('control.selection', end - q, q - p);
  return {
    channel: 'control',
    type: 'selection',
    version: f_version,
    capabilities: f_capabilities,
    maxFrameSize: f_maxFrameSize,
    role: f_role,
    permissions: f_permissions,
    peer: f_peer,
    agent: f_agent,
  };
};

const sizeControlSelection = (m: ControlSelection): number => {
  checkList(m.capabilities, 0, 64, 'control.selection', 'capabilities');
  checkString(m.agent, 'control.selection', 'agent');
  return 12 + m.capabilities.length * 2 + utf8Length(m.agent, 'control.selection', 'agent');
};

const encodeControlSelection = (m: ControlSelection, b: Uint8Array, q: number): number => {
  checkUint(m.version, 1, 65535, 'control.selection', 'version');
  w16(b, q, m.version);
  q += 2;
  w8(b, q, m.capabilities.length);
  q += 1;
  for (let i = 0; i < m.capabilities.length; i++) {
    const it = m.capabilities[i]!;
    checkUint(it, 1, 65535, 'control.selection', 'capabilities');
    if (i > 0 && it <= m.capabilities[i - 1]!)
      invalid('invalid_value', 'control.selection', 'capabilities', it, 'items must be strictly ascending');
    w16(b, q, it);
    q += 2;
  }
  checkUint(m.maxFrameSize, 65536, 67108864, 'control.selection', 'maxFrameSize');
  w32(b, q, m.maxFrameSize);
  q += 4;
  w8(b, q, enumValue(Role, m.role, 'control.selection', 'role'));
  q += 1;
  checkUint(m.permissions, 0, 65535, 'control.selection', 'permissions');
  if ((m.permissions & ~PermissionsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.selection',
      'permissions',
      m.permissions,
      'reserved Permissions bits set',
    );
  w16(b, q, m.permissions);
  q += 2;
  w8(b, q, enumValue(PeerKind, m.peer, 'control.selection', 'peer'));
  q += 1;
  const agentLen = utf8Length(m.agent, 'control.selection', 'agent');
  if (agentLen > 64) invalid('length_exceeded', 'control.selection', 'agent', agentLen, 'at most 64 bytes');
  w8(b, q, agentLen);
  q = wstr(b, q + 1, m.agent);
  return q;
};

const decodeControlReject = (b: Uint8Array, p: number, end: number): ControlReject => {
  let q = p;
  if (q + 2 > end) truncated('control.reject', 'code', q - p);
  const f_codeRaw = r16(b, q);
  q += 2;
  const f_code = CloseCodeByValue[f_codeRaw];
  if (f_code === undefined)
    return invalid('invalid_enum', 'control.reject', 'code', f_codeRaw, 'not a CloseCode value');
  if (q + 1 > end) truncated('control.reject', 'reason', q - p);
  const f_reasonLen = r8(b, q);
  q += 1;
  if (f_reasonLen > 255)
    invalid('length_exceeded', 'control.reject', 'reason', f_reasonLen, 'at most 255 bytes');
  if (q + f_reasonLen > end) truncated('control.reject', 'reason', q - p);
  const f_reason = rstr(b, q, q + f_reasonLen, 'control.reject', 'reason');
  q += f_reasonLen;
  if (q !== end) trailing('control.reject', end - q, q - p);
  return { channel: 'control', type: 'reject', code: f_code, reason: f_reason };
};

const sizeControlReject = (m: ControlReject): number => {
  checkString(m.reason, 'control.reject', 'reason');
  return 3 + utf8Length(m.reason, 'control.reject', 'reason');
};

const encodeControlReject = (m: ControlReject, b: Uint8Array, q: number): number => {
  w16(b, q, enumValue(CloseCode, m.code, 'control.reject', 'code'));
  q += 2;
  const reasonLen = utf8Length(m.reason, 'control.reject', 'reason');
  if (reasonLen > 255) invalid('length_exceeded', 'control.reject', 'reason', reasonLen, 'at most 255 bytes');
  w8(b, q, reasonLen);
  q = wstr(b, q + 1, m.reason);
  return q;
};

const decodeControlClose = (b: Uint8Array, p: number, end: number): ControlClose => {
  let q = p;
  if (q + 2 > end) truncated('control.close', 'code', q - p);
  const f_codeRaw = r16(b, q);
  q += 2;
  const f_code = CloseCodeByValue[f_codeRaw];
  if (f_code === undefined)
    return invalid('invalid_enum', 'control.close', 'code', f_codeRaw, 'not a CloseCode value');
  if (q + 1 > end) truncated('control.close', 'reason', q - p);
  const f_reasonLen = r8(b, q);
  q += 1;
  if (f_reasonLen > 255)
    invalid('length_exceeded', 'control.close', 'reason', f_reasonLen, 'at most 255 bytes');
  if (q + f_reasonLen > end) truncated('control.close', 'reason', q - p);
  const f_reason = rstr(b, q, q + f_reasonLen, 'control.close', 'reason');
  q += f_reasonLen;
  if (q !== end) trailing('control.close', end - q, q - p);
  return { channel: 'control', type: 'close', code: f_code, reason: f_reason };
};

const sizeControlClose = (m: ControlClose): number => {
  checkString(m.reason, 'control.close', 'reason');
  return 3 + utf8Length(m.reason, 'control.close', 'reason');
};

const encodeControlClose = (m: ControlClose, b: Uint8Array, q: number): number => {
  w16(b, q, enumValue(CloseCode, m.code, 'control.close', 'code'));
  q += 2;
  const reasonLen = utf8Length(m.reason, 'control.close', 'reason');
  if (reasonLen > 255) invalid('length_exceeded', 'control.close', 'reason', reasonLen, 'at most 255 bytes');
  w8(b, q, reasonLen);
  q = wstr(b, q + 1, m.reason);
  return q;
};

const decodeControlPing = (b: Uint8Array, p: number, end: number): ControlPing => {
  let q = p;
  if (q + 4 > end) truncated('control.ping', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 8 > end) truncated('control.ping', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'control.ping', 'timestampUs');
  q += 8;
  if (q !== end) trailing('control.ping', end - q, q - p);
  return { channel: 'control', type: 'ping', seq: f_seq, timestampUs: f_timestampUs };
};

const sizeControlPing = (_m: ControlPing): number => {
  return 12;
};

const encodeControlPing = (m: ControlPing, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'control.ping', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.timestampUs, 0, 9007199254740991, 'control.ping', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  return q;
};

const decodeControlPong = (b: Uint8Array, p: number, end: number): ControlPong => {
  let q = p;
  if (q + 4 > end) truncated('control.pong', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 8 > end) truncated('control.pong', 'echoTimestampUs', q - p);
  const f_echoTimestampUs = r64(b, q, 'control.pong', 'echoTimestampUs');
  q += 8;
  if (q + 8 > end) truncated('control.pong', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'control.pong', 'timestampUs');
  q += 8;
  if (q !== end) trailing('control.pong', end - q, q - p);
  return {
    channel: 'control',
    type: 'pong',
    seq: f_seq,
    echoTimestampUs: f_echoTimestampUs,
    timestampUs: f_timestampUs,
  };
};

const sizeControlPong = (_m: ControlPong): number => {
  return 20;
};

const encodeControlPong = (m: ControlPong, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'control.pong', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.echoTimestampUs, 0, 9007199254740991, 'control.pong', 'echoTimestampUs');
  w64(b, q, m.echoTimestampUs);
  q += 8;
  checkUint(m.timestampUs, 0, 9007199254740991, 'control.pong', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  return q;
};

const decodeControlResizeRequest = (b: Uint8Array, p: number, end: number): ControlResizeRequest => {
  let q = p;
  if (q + 2 > end) truncated('control.resizeRequest', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 64 || f_width > 8192)
    invalid('invalid_value', 'control.resizeRequest', 'width', f_width, 'must be in [64, 8192]');
  if (q + 2 > end) truncated('control.resizeRequest', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 64 || f_height > 8192)
    invalid('invalid_value', 'control.resizeRequest', 'height', f_height, 'must be in [64, 8192]');
  if (q + 2 > end) truncated('control.resizeRequest', 'scale', q - p);
  const f_scale = r16(b, q);
  q += 2;
  if (f_scale < 50 || f_scale > 400)
    invalid('invalid_value', 'control.resizeRequest', 'scale', f_scale, 'must be in [50, 400]');
  if (q !== end) trailing('control.resizeRequest', end - q, q - p);
  return { channel: 'control', type: 'resizeRequest', width: f_width, height: f_height, scale: f_scale };
};

const sizeControlResizeRequest = (_m: ControlResizeRequest): number => {
  return 6;
};

const encodeControlResizeRequest = (m: ControlResizeRequest, b: Uint8Array, q: number): number => {
  checkUint(m.width, 64, 8192, 'control.resizeRequest', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 64, 8192, 'control.resizeRequest', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.scale, 50, 400, 'control.resizeRequest', 'scale');
  w16(b, q, m.scale);
  q += 2;
  return q;
};

const decodeControlDisplayConfig = (b: Uint8Array, p: number, end: number): ControlDisplayConfig => {
  let q = p;
  if (q + 2 > end) truncated('control.displayConfig', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1)
    invalid('invalid_value', 'control.displayConfig', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('control.displayConfig', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1)
    invalid('invalid_value', 'control.displayConfig', 'height', f_height, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('control.displayConfig', 'scale', q - p);
  const f_scale = r16(b, q);
  q += 2;
  if (f_scale < 50 || f_scale > 400)
    invalid('invalid_value', 'control.displayConfig', 'scale', f_scale, 'must be in [50, 400]');
  if (q + 2 > end) truncated('control.displayConfig', 'tileSize', q - p);
  const f_tileSize = r16(b, q);
  q += 2;
  if (f_tileSize < 16 || f_tileSize > 256)
    invalid('invalid_value', 'control.displayConfig', 'tileSize', f_tileSize, 'must be in [16, 256]');
  if (q + 1 > end) truncated('control.displayConfig', 'flags', q - p);
  const f_flags = r8(b, q);
  q += 1;
  if ((f_flags & ~DisplayFlagsMask) !== 0)
    invalid('invalid_flags', 'control.displayConfig', 'flags', f_flags, 'reserved DisplayFlags bits set');
  if (q !== end) trailing('control.displayConfig', end - q, q - p);
  return {
    channel: 'control',
    type: 'displayConfig',
    width: f_width,
    height: f_height,
    scale: f_scale,
    tileSize: f_tileSize,
    flags: f_flags,
  };
};

const sizeControlDisplayConfig = (_m: ControlDisplayConfig): number => {
  return 9;
};

const encodeControlDisplayConfig = (m: ControlDisplayConfig, b: Uint8Array, q: number): number => {
  checkUint(m.width, 1, 65535, 'control.displayConfig', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'control.displayConfig', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.scale, 50, 400, 'control.displayConfig', 'scale');
  w16(b, q, m.scale);
  q += 2;
  checkUint(m.tileSize, 16, 256, 'control.displayConfig', 'tileSize');
  w16(b, q, m.tileSize);
  q += 2;
  checkUint(m.flags, 0, 255, 'control.displayConfig', 'flags');
  if ((m.flags & ~DisplayFlagsMask) !== 0)
    invalid('invalid_flags', 'control.displayConfig', 'flags', m.flags, 'reserved DisplayFlags bits set');
  w8(b, q, m.flags);
  q += 1;
  return q;
};

const decodeControlKeyframeRequest = (b: Uint8Array, p: number, end: number): ControlKeyframeRequest => {
  let q = p;
  if (q + 1 > end) truncated('control.keyframeRequest', 'streamId', q - p);
  const f_streamId = r8(b, q);
  q += 1;
  if (q + 1 > end) truncated('control.keyframeRequest', 'reason', q - p);
  const f_reasonRaw = r8(b, q);
  q += 1;
  const f_reason = KeyframeReasonByValue[f_reasonRaw];
  if (f_reason === undefined)
    return invalid(
      'invalid_enum',
      'control.keyframeRequest',
      'reason',
      f_reasonRaw,
      'not a KeyframeReason value',
    );
  if (q !== end) trailing('control.keyframeRequest', end - q, q - p);
  return { channel: 'control', type: 'keyframeRequest', streamId: f_streamId, reason: f_reason };
};

const sizeControlKeyframeRequest = (_m: ControlKeyframeRequest): number => {
  return 2;
};

const encodeControlKeyframeRequest = (m: ControlKeyframeRequest, b: Uint8Array, q: number): number => {
  checkUint(m.streamId, 0, 255, 'control.keyframeRequest', 'streamId');
  w8(b, q, m.streamId);
  q += 1;
  w8(b, q, enumValue(KeyframeReason, m.reason, 'control.keyframeRequest', 'reason'));
  q += 1;
  return q;
};

const decodeControlResyncRequest = (b: Uint8Array, p: number, end: number): ControlResyncRequest => {
  let q = p;
  if (q + 1 > end) truncated('control.resyncRequest', 'reason', q - p);
  const f_reasonRaw = r8(b, q);
  q += 1;
  const f_reason = ResyncReasonByValue[f_reasonRaw];
  if (f_reason === undefined)
    return invalid(
      'invalid_enum',
      'control.resyncRequest',
      'reason',
      f_reasonRaw,
      'not a ResyncReason value',
    );
  if (q !== end) trailing('control.resyncRequest', end - q, q - p);
  return { channel: 'control', type: 'resyncRequest', reason: f_reason };
};

const sizeControlResyncRequest = (_m: ControlResyncRequest): number => {
  return 1;
};

const encodeControlResyncRequest = (m: ControlResyncRequest, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(ResyncReason, m.reason, 'control.resyncRequest', 'reason'));
  q += 1;
  return q;
};

const decodeControlRoleChanged = (b: Uint8Array, p: number, end: number): ControlRoleChanged => {
  let q = p;
  if (q + 1 > end) truncated('control.roleChanged', 'role', q - p);
  const f_roleRaw = r8(b, q);
  q += 1;
  const f_role = RoleByValue[f_roleRaw];
  if (f_role === undefined)
    return invalid('invalid_enum', 'control.roleChanged', 'role', f_roleRaw, 'not a Role value');
  if (q + 2 > end) truncated('control.roleChanged', 'permissions', q - p);
  const f_permissions = r16(b, q);
  q += 2;
  if ((f_permissions & ~PermissionsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.roleChanged',
      'permissions',
      f_permissions,
      'reserved Permissions bits set',
    );
  if (q !== end) trailing('control.roleChanged', end - q, q - p);
  return { channel: 'control', type: 'roleChanged', role: f_role, permissions: f_permissions };
};

const sizeControlRoleChanged = (_m: ControlRoleChanged): number => {
  return 3;
};

const encodeControlRoleChanged = (m: ControlRoleChanged, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(Role, m.role, 'control.roleChanged', 'role'));
  q += 1;
  checkUint(m.permissions, 0, 65535, 'control.roleChanged', 'permissions');
  if ((m.permissions & ~PermissionsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.roleChanged',
      'permissions',
      m.permissions,
      'reserved Permissions bits set',
    );
  w16(b, q, m.permissions);
  q += 2;
  return q;
};

const decodeControlSessionNotice = (b: Uint8Array, p: number, end: number): ControlSessionNotice => {
  let q = p;
  if (q + 1 > end) truncated('control.sessionNotice', 'kind', q - p);
  const f_kindRaw = r8(b, q);
  q += 1;
  const f_kind = NoticeKindByValue[f_kindRaw];
  if (f_kind === undefined)
    return invalid('invalid_enum', 'control.sessionNotice', 'kind', f_kindRaw, 'not a NoticeKind value');
  if (q + 2 > end) truncated('control.sessionNotice', 'viewers', q - p);
  const f_viewers = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('control.sessionNotice', 'message', q - p);
  const f_messageLen = r16(b, q);
  q += 2;
  if (f_messageLen > 1024)
    invalid('length_exceeded', 'control.sessionNotice', 'message', f_messageLen, 'at most 1024 bytes');
  if (q + f_messageLen > end) truncated('control.sessionNotice', 'message', q - p);
  const f_message = rstr(b, q, q + f_messageLen, 'control.sessionNotice', 'message');
  q += f_messageLen;
  if (q !== end) trailing('control.sessionNotice', end - q, q - p);
  return { channel: 'control', type: 'sessionNotice', kind: f_kind, viewers: f_viewers, message: f_message };
};

const sizeControlSessionNotice = (m: ControlSessionNotice): number => {
  checkString(m.message, 'control.sessionNotice', 'message');
  return 5 + utf8Length(m.message, 'control.sessionNotice', 'message');
};

const encodeControlSessionNotice = (m: ControlSessionNotice, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(NoticeKind, m.kind, 'control.sessionNotice', 'kind'));
  q += 1;
  checkUint(m.viewers, 0, 65535, 'control.sessionNotice', 'viewers');
  w16(b, q, m.viewers);
  q += 2;
  const messageLen = utf8Length(m.message, 'control.sessionNotice', 'message');
  if (messageLen > 1024)
    invalid('length_exceeded', 'control.sessionNotice', 'message', messageLen, 'at most 1024 bytes');
  w16(b, q, messageLen);
  q = wstr(b, q + 2, m.message);
  return q;
};

const decodeControlCapabilities = (b: Uint8Array, p: number, end: number): ControlCapabilities => {
  let q = p;
  if (q + 1 > end) truncated('control.capabilities', 'losslessCodecs', q - p);
  const f_losslessCodecs = r8(b, q);
  q += 1;
  if ((f_losslessCodecs & ~LosslessCodecsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.capabilities',
      'losslessCodecs',
      f_losslessCodecs,
      'reserved LosslessCodecs bits set',
    );
  if (q + 1 > end) truncated('control.capabilities', 'lossyCodecs', q - p);
  const f_lossyCodecs = r8(b, q);
  q += 1;
  if ((f_lossyCodecs & ~LossyCodecsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.capabilities',
      'lossyCodecs',
      f_lossyCodecs,
      'reserved LossyCodecs bits set',
    );
  if (q + 4 > end) truncated('control.capabilities', 'cacheEntries', q - p);
  const f_cacheEntries = r32(b, q);
  q += 4;
  if (q + 4 > end) truncated('control.capabilities', 'cacheBytes', q - p);
  const f_cacheBytes = r32(b, q);
  q += 4;
  if (q + 4 > end) truncated('control.capabilities', 'maxClipboardBytes', q - p);
  const f_maxClipboardBytes = r32(b, q);
  q += 4;
  if (f_maxClipboardBytes > 8388608)
    invalid(
      'invalid_value',
      'control.capabilities',
      'maxClipboardBytes',
      f_maxClipboardBytes,
      'must be in [0, 8388608]',
    );
  if (q + 8 > end) truncated('control.capabilities', 'maxFileBytes', q - p);
  const f_maxFileBytes = r64(b, q, 'control.capabilities', 'maxFileBytes');
  q += 8;
  if (q !== end) trailing('control.capabilities', end - q, q - p);
  return {
    channel: 'control',
    type: 'capabilities',
    losslessCodecs: f_losslessCodecs,
    lossyCodecs: f_lossyCodecs,
    cacheEntries: f_cacheEntries,
    cacheBytes: f_cacheBytes,
    maxClipboardBytes: f_maxClipboardBytes,
    maxFileBytes: f_maxFileBytes,
  };
};

const sizeControlCapabilities = (_m: ControlCapabilities): number => {
  return 22;
};

const encodeControlCapabilities = (m: ControlCapabilities, b: Uint8Array, q: number): number => {
  checkUint(m.losslessCodecs, 0, 255, 'control.capabilities', 'losslessCodecs');
  if ((m.losslessCodecs & ~LosslessCodecsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.capabilities',
      'losslessCodecs',
      m.losslessCodecs,
      'reserved LosslessCodecs bits set',
    );
  w8(b, q, m.losslessCodecs);
  q += 1;
  checkUint(m.lossyCodecs, 0, 255, 'control.capabilities', 'lossyCodecs');
  if ((m.lossyCodecs & ~LossyCodecsMask) !== 0)
    invalid(
      'invalid_flags',
      'control.capabilities',
      'lossyCodecs',
      m.lossyCodecs,
      'reserved LossyCodecs bits set',
    );
  w8(b, q, m.lossyCodecs);
  q += 1;
  checkUint(m.cacheEntries, 0, 4294967295, 'control.capabilities', 'cacheEntries');
  w32(b, q, m.cacheEntries);
  q += 4;
  checkUint(m.cacheBytes, 0, 4294967295, 'control.capabilities', 'cacheBytes');
  w32(b, q, m.cacheBytes);
  q += 4;
  checkUint(m.maxClipboardBytes, 0, 8388608, 'control.capabilities', 'maxClipboardBytes');
  w32(b, q, m.maxClipboardBytes);
  q += 4;
  checkUint(m.maxFileBytes, 0, 9007199254740991, 'control.capabilities', 'maxFileBytes');
  w64(b, q, m.maxFileBytes);
  q += 8;
  return q;
};

const decodeInputPointerMove = (b: Uint8Array, p: number, end: number): InputPointerMove => {
  let q = p;
  if (q + 2 > end) truncated('input.pointerMove', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.pointerMove', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 1 > end) truncated('input.pointerMove', 'buttons', q - p);
  const f_buttons = r8(b, q);
  q += 1;
  if ((f_buttons & ~ButtonsMask) !== 0)
    invalid('invalid_flags', 'input.pointerMove', 'buttons', f_buttons, 'reserved Buttons bits set');
  if (q + 1 > end) truncated('input.pointerMove', 'modifiers', q - p);
  const f_modifiers = r8(b, q);
  q += 1;
  if ((f_modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.pointerMove', 'modifiers', f_modifiers, 'reserved Modifiers bits set');
  if (q !== end) trailing('input.pointerMove', end - q, q - p);
  return {
    channel: 'input',
    type: 'pointerMove',
    x: f_x,
    y: f_y,
    buttons: f_buttons,
    modifiers: f_modifiers,
  };
};

const sizeInputPointerMove = (_m: InputPointerMove): number => {
  return 6;
};

const encodeInputPointerMove = (m: InputPointerMove, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'input.pointerMove', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'input.pointerMove', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.buttons, 0, 255, 'input.pointerMove', 'buttons');
  if ((m.buttons & ~ButtonsMask) !== 0)
    invalid('invalid_flags', 'input.pointerMove', 'buttons', m.buttons, 'reserved Buttons bits set');
  w8(b, q, m.buttons);
  q += 1;
  checkUint(m.modifiers, 0, 255, 'input.pointerMove', 'modifiers');
  if ((m.modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.pointerMove', 'modifiers', m.modifiers, 'reserved Modifiers bits set');
  w8(b, q, m.modifiers);
  q += 1;
  return q;
};

const decodeInputPointerButton = (b: Uint8Array, p: number, end: number): InputPointerButton => {
  let q = p;
  if (q + 2 > end) truncated('input.pointerButton', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.pointerButton', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 1 > end) truncated('input.pointerButton', 'button', q - p);
  const f_buttonRaw = r8(b, q);
  q += 1;
  const f_button = PointerButtonByValue[f_buttonRaw];
  if (f_button === undefined)
    return invalid('invalid_enum', 'input.pointerButton', 'button', f_buttonRaw, 'not a PointerButton value');
  if (q + 1 > end) truncated('input.pointerButton', 'down', q - p);
  const f_down = rbool(b, q, 'input.pointerButton', 'down');
  q += 1;
  if (q + 1 > end) truncated('input.pointerButton', 'modifiers', q - p);
  const f_modifiers = r8(b, q);
  q += 1;
  if ((f_modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.pointerButton', 'modifiers', f_modifiers, 'reserved Modifiers bits set');
  if (q !== end) trailing('input.pointerButton', end - q, q - p);
  return {
    channel: 'input',
    type: 'pointerButton',
    x: f_x,
    y: f_y,
    button: f_button,
    down: f_down,
    modifiers: f_modifiers,
  };
};

const sizeInputPointerButton = (_m: InputPointerButton): number => {
  return 7;
};

const encodeInputPointerButton = (m: InputPointerButton, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'input.pointerButton', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'input.pointerButton', 'y');
  w16(b, q, m.y);
  q += 2;
  w8(b, q, enumValue(PointerButton, m.button, 'input.pointerButton', 'button'));
  q += 1;
  checkBool(m.down, 'input.pointerButton', 'down');
  b[q++] = m.down ? 1 : 0;
  checkUint(m.modifiers, 0, 255, 'input.pointerButton', 'modifiers');
  if ((m.modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.pointerButton', 'modifiers', m.modifiers, 'reserved Modifiers bits set');
  w8(b, q, m.modifiers);
  q += 1;
  return q;
};

const decodeInputWheel = (b: Uint8Array, p: number, end: number): InputWheel => {
  let q = p;
  if (q + 2 > end) truncated('input.wheel', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.wheel', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.wheel', 'dx', q - p);
  const f_dx = ri16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.wheel', 'dy', q - p);
  const f_dy = ri16(b, q);
  q += 2;
  if (q + 1 > end) truncated('input.wheel', 'mode', q - p);
  const f_modeRaw = r8(b, q);
  q += 1;
  const f_mode = WheelModeByValue[f_modeRaw];
  if (f_mode === undefined)
    return invalid('invalid_enum', 'input.wheel', 'mode', f_modeRaw, 'not a WheelMode value');
  if (q + 1 > end) truncated('input.wheel', 'modifiers', q - p);
  const f_modifiers = r8(b, q);
  q += 1;
  if ((f_modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.wheel', 'modifiers', f_modifiers, 'reserved Modifiers bits set');
  if (q !== end) trailing('input.wheel', end - q, q - p);
  return {
    channel: 'input',
    type: 'wheel',
    x: f_x,
    y: f_y,
    dx: f_dx,
    dy: f_dy,
    mode: f_mode,
    modifiers: f_modifiers,
  };
};

const sizeInputWheel = (_m: InputWheel): number => {
  return 10;
};

const encodeInputWheel = (m: InputWheel, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'input.wheel', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'input.wheel', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.dx, -32768, 32767, 'input.wheel', 'dx');
  w16(b, q, m.dx);
  q += 2;
  checkUint(m.dy, -32768, 32767, 'input.wheel', 'dy');
  w16(b, q, m.dy);
  q += 2;
  w8(b, q, enumValue(WheelMode, m.mode, 'input.wheel', 'mode'));
  q += 1;
  checkUint(m.modifiers, 0, 255, 'input.wheel', 'modifiers');
  if ((m.modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.wheel', 'modifiers', m.modifiers, 'reserved Modifiers bits set');
  w8(b, q, m.modifiers);
  q += 1;
  return q;
};

const decodeInputKey = (b: Uint8Array, p: number, end: number): InputKey => {
  let q = p;
  if (q + 2 > end) truncated('input.key', 'code', q - p);
  const f_code = r16(b, q);
  q += 2;
  if (f_code > 767) invalid('invalid_value', 'input.key', 'code', f_code, 'must be in [0, 767]');
  if (q + 1 > end) truncated('input.key', 'down', q - p);
  const f_down = rbool(b, q, 'input.key', 'down');
  q += 1;
  if (q + 1 > end) truncated('input.key', 'repeat', q - p);
  const f_repeat = rbool(b, q, 'input.key', 'repeat');
  q += 1;
  if (q + 1 > end) truncated('input.key', 'modifiers', q - p);
  const f_modifiers = r8(b, q);
  q += 1;
  if ((f_modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.key', 'modifiers', f_modifiers, 'reserved Modifiers bits set');
  if (q + 1 > end) truncated('input.key', 'key', q - p);
  const f_keyLen = r8(b, q);
  q += 1;
  if (f_keyLen > 32) invalid('length_exceeded', 'input.key', 'key', f_keyLen, 'at most 32 bytes');
  if (q + f_keyLen > end) truncated('input.key', 'key', q - p);
  const f_key = rstr(b, q, q + f_keyLen, 'input.key', 'key');
  q += f_keyLen;
  if (q + 1 > end) truncated('input.key', 'text', q - p);
  const f_textLen = r8(b, q);
  q += 1;
  if (f_textLen > 32) invalid('length_exceeded', 'input.key', 'text', f_textLen, 'at most 32 bytes');
  if (q + f_textLen > end) truncated('input.key', 'text', q - p);
  const f_text = rstr(b, q, q + f_textLen, 'input.key', 'text');
  q += f_textLen;
  if (q !== end) trailing('input.key', end - q, q - p);
  return {
    channel: 'input',
    type: 'key',
    code: f_code,
    down: f_down,
    repeat: f_repeat,
    modifiers: f_modifiers,
    key: f_key,
    text: f_text,
  };
};

const sizeInputKey = (m: InputKey): number => {
  checkString(m.key, 'input.key', 'key');
  checkString(m.text, 'input.key', 'text');
  return 7 + utf8Length(m.key, 'input.key', 'key') + utf8Length(m.text, 'input.key', 'text');
};

const encodeInputKey = (m: InputKey, b: Uint8Array, q: number): number => {
  checkUint(m.code, 0, 767, 'input.key', 'code');
  w16(b, q, m.code);
  q += 2;
  checkBool(m.down, 'input.key', 'down');
  b[q++] = m.down ? 1 : 0;
  checkBool(m.repeat, 'input.key', 'repeat');
  b[q++] = m.repeat ? 1 : 0;
  checkUint(m.modifiers, 0, 255, 'input.key', 'modifiers');
  if ((m.modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.key', 'modifiers', m.modifiers, 'reserved Modifiers bits set');
  w8(b, q, m.modifiers);
  q += 1;
  const keyLen = utf8Length(m.key, 'input.key', 'key');
  if (keyLen > 32) invalid('length_exceeded', 'input.key', 'key', keyLen, 'at most 32 bytes');
  w8(b, q, keyLen);
  q = wstr(b, q + 1, m.key);
  const textLen = utf8Length(m.text, 'input.key', 'text');
  if (textLen > 32) invalid('length_exceeded', 'input.key', 'text', textLen, 'at most 32 bytes');
  w8(b, q, textLen);
  q = wstr(b, q + 1, m.text);
  return q;
};

const decodeInputComposition = (b: Uint8Array, p: number, end: number): InputComposition => {
  let q = p;
  if (q + 1 > end) truncated('input.composition', 'phase', q - p);
  const f_phaseRaw = r8(b, q);
  q += 1;
  const f_phase = CompositionPhaseByValue[f_phaseRaw];
  if (f_phase === undefined)
    return invalid('invalid_enum', 'input.composition', 'phase', f_phaseRaw, 'not a CompositionPhase value');
  if (q + 2 > end) truncated('input.composition', 'selectionStart', q - p);
  const f_selectionStart = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.composition', 'selectionEnd', q - p);
  const f_selectionEnd = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('input.composition', 'text', q - p);
  const f_textLen = r16(b, q);
  q += 2;
  if (f_textLen > 4096)
    invalid('length_exceeded', 'input.composition', 'text', f_textLen, 'at most 4096 bytes');
  if (q + f_textLen > end) truncated('input.composition', 'text', q - p);
  const f_text = rstr(b, q, q + f_textLen, 'input.composition', 'text');
  q += f_textLen;
  if (q !== end) trailing('input.composition', end - q, q - p);
  if (!(f_selectionStart <= f_selectionEnd))
    invalid(
      'invalid_value',
      'input.composition',
      'selectionStart',
      f_selectionStart,
      'must be <= selectionEnd',
    );
  return {
    channel: 'input',
    type: 'composition',
    phase: f_phase,
    selectionStart: f_selectionStart,
    selectionEnd: f_selectionEnd,
    text: f_text,
  };
};

const sizeInputComposition = (m: InputComposition): number => {
  checkString(m.text, 'input.composition', 'text');
  return 7 + utf8Length(m.text, 'input.composition', 'text');
};

const encodeInputComposition = (m: InputComposition, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(CompositionPhase, m.phase, 'input.composition', 'phase'));
  q += 1;
  checkUint(m.selectionStart, 0, 65535, 'input.composition', 'selectionStart');
  w16(b, q, m.selectionStart);
  q += 2;
  checkUint(m.selectionEnd, 0, 65535, 'input.composition', 'selectionEnd');
  w16(b, q, m.selectionEnd);
  q += 2;
  const textLen = utf8Length(m.text, 'input.composition', 'text');
  if (textLen > 4096) invalid('length_exceeded', 'input.composition', 'text', textLen, 'at most 4096 bytes');
  w16(b, q, textLen);
  q = wstr(b, q + 2, m.text);
  if (!(m.selectionStart <= m.selectionEnd))
    invalid(
      'invalid_value',
      'input.composition',
      'selectionStart',
      m.selectionStart,
      'must be <= selectionEnd',
    );
  return q;
};

const decodeInputTouch = (b: Uint8Array, p: number, end: number): InputTouch => {
  let q = p;
  if (q + 1 > end) truncated('input.touch', 'phase', q - p);
  const f_phaseRaw = r8(b, q);
  q += 1;
  const f_phase = TouchPhaseByValue[f_phaseRaw];
  if (f_phase === undefined)
    return invalid('invalid_enum', 'input.touch', 'phase', f_phaseRaw, 'not a TouchPhase value');
  if (q + 1 > end) truncated('input.touch', 'modifiers', q - p);
  const f_modifiers = r8(b, q);
  q += 1;
  if ((f_modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.touch', 'modifiers', f_modifiers, 'reserved Modifiers bits set');
  if (q + 1 > end) truncated('input.touch', 'points', q - p);
  const f_pointsCount = r8(b, q);
  q += 1;
  if (f_pointsCount > 10)
    invalid('length_exceeded', 'input.touch', 'points', f_pointsCount, 'at most 10 item(s)');
  if (f_pointsCount < 1)
    invalid('invalid_value', 'input.touch', 'points', f_pointsCount, 'at least 1 item(s)');
  if (q + f_pointsCount * 7 > end) truncated('input.touch', 'points', q - p);
  const f_points: TouchPoint[] = [];
  for (let i = 0; i < f_pointsCount; i++) {
    const it = decodeTouchPoint(b, q, 'input.touch', 'points');
    q += 7;
    f_points.push(it);
  }
  if (q !== end) trailing('input.touch', end - q, q - p);
  return { channel: 'input', type: 'touch', phase: f_phase, modifiers: f_modifiers, points: f_points };
};

const sizeInputTouch = (m: InputTouch): number => {
  checkList(m.points, 1, 10, 'input.touch', 'points');
  return 3 + m.points.length * 7;
};

const encodeInputTouch = (m: InputTouch, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(TouchPhase, m.phase, 'input.touch', 'phase'));
  q += 1;
  checkUint(m.modifiers, 0, 255, 'input.touch', 'modifiers');
  if ((m.modifiers & ~ModifiersMask) !== 0)
    invalid('invalid_flags', 'input.touch', 'modifiers', m.modifiers, 'reserved Modifiers bits set');
  w8(b, q, m.modifiers);
  q += 1;
  w8(b, q, m.points.length);
  q += 1;
  for (const it of m.points) {
    encodeTouchPoint(it, b, q, 'input.touch', 'points');
    q += 7;
  }
  return q;
};

const decodeInputReleaseAll = (b: Uint8Array, p: number, end: number): InputReleaseAll => {
  const q = p;
  if (q !== end) trailing('input.releaseAll', end - q, q - p);
  return { channel: 'input', type: 'releaseAll' };
};

const sizeInputReleaseAll = (_m: InputReleaseAll): number => {
  return 0;
};

const encodeInputReleaseAll = (_m: InputReleaseAll, b: Uint8Array, q: number): number => {
  return q;
};

const decodeCursorShape = (b: Uint8Array, p: number, end: number): CursorShape => {
  let q = p;
  if (q + 4 > end) truncated('cursor.shape', 'cursorId', q - p);
  const f_cursorId = r32(b, q);
  q += 4;
  if (f_cursorId < 1)
    invalid('invalid_value', 'cursor.shape', 'cursorId', f_cursorId, 'must be in [1, 4294967295]');
  if (q + 2 > end) truncated('cursor.shape', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1 || f_width > 256)
    invalid('invalid_value', 'cursor.shape', 'width', f_width, 'must be in [1, 256]');
  if (q + 2 > end) truncated('cursor.shape', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1 || f_height > 256)
    invalid('invalid_value', 'cursor.shape', 'height', f_height, 'must be in [1, 256]');
  if (q + 2 > end) truncated('cursor.shape', 'hotX', q - p);
  const f_hotX = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('cursor.shape', 'hotY', q - p);
  const f_hotY = r16(b, q);
  q += 2;
  if (end - q > 262144) invalid('length_exceeded', 'cursor.shape', 'rgba', end - q, 'at most 262144 bytes');
  const f_rgba = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('cursor.shape', end - q, q - p);
  if (f_rgba.length !== f_width * f_height * 4)
    invalid('invalid_value', 'cursor.shape', 'rgba', f_rgba.length, 'must be width * height * 4 bytes');
  if (!(f_hotX < f_width)) invalid('invalid_value', 'cursor.shape', 'hotX', f_hotX, 'must be < width');
  if (!(f_hotY < f_height)) invalid('invalid_value', 'cursor.shape', 'hotY', f_hotY, 'must be < height');
  return {
    channel: 'cursor',
    type: 'shape',
    cursorId: f_cursorId,
    width: f_width,
    height: f_height,
    hotX: f_hotX,
    hotY: f_hotY,
    rgba: f_rgba,
  };
};

const sizeCursorShape = (m: CursorShape): number => {
  checkBytes(m.rgba, 'cursor.shape', 'rgba');
  return 12 + m.rgba.length;
};

const encodeCursorShape = (m: CursorShape, b: Uint8Array, q: number): number => {
  checkUint(m.cursorId, 1, 4294967295, 'cursor.shape', 'cursorId');
  w32(b, q, m.cursorId);
  q += 4;
  checkUint(m.width, 1, 256, 'cursor.shape', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 256, 'cursor.shape', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.hotX, 0, 65535, 'cursor.shape', 'hotX');
  w16(b, q, m.hotX);
  q += 2;
  checkUint(m.hotY, 0, 65535, 'cursor.shape', 'hotY');
  w16(b, q, m.hotY);
  q += 2;
  if (m.rgba.length > 262144)
    invalid('length_exceeded', 'cursor.shape', 'rgba', m.rgba.length, 'at most 262144 bytes');
  b.set(m.rgba, q);
  q += m.rgba.length;
  if (m.rgba.length !== m.width * m.height * 4)
    invalid('invalid_value', 'cursor.shape', 'rgba', m.rgba.length, 'must be width * height * 4 bytes');
  if (!(m.hotX < m.width)) invalid('invalid_value', 'cursor.shape', 'hotX', m.hotX, 'must be < width');
  if (!(m.hotY < m.height)) invalid('invalid_value', 'cursor.shape', 'hotY', m.hotY, 'must be < height');
  return q;
};

const decodeCursorSelect = (b: Uint8Array, p: number, end: number): CursorSelect => {
  let q = p;
  if (q + 4 > end) truncated('cursor.select', 'cursorId', q - p);
  const f_cursorId = r32(b, q);
  q += 4;
  if (f_cursorId < 1)
    invalid('invalid_value', 'cursor.select', 'cursorId', f_cursorId, 'must be in [1, 4294967295]');
  if (q !== end) trailing('cursor.select', end - q, q - p);
  return { channel: 'cursor', type: 'select', cursorId: f_cursorId };
};

const sizeCursorSelect = (_m: CursorSelect): number => {
  return 4;
};

const encodeCursorSelect = (m: CursorSelect, b: Uint8Array, q: number): number => {
  checkUint(m.cursorId, 1, 4294967295, 'cursor.select', 'cursorId');
  w32(b, q, m.cursorId);
  q += 4;
  return q;
};

const decodeCursorPosition = (b: Uint8Array, p: number, end: number): CursorPosition => {
  let q = p;
  if (q + 2 > end) truncated('cursor.position', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('cursor.position', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q !== end) trailing('cursor.position', end - q, q - p);
  return { channel: 'cursor', type: 'position', x: f_x, y: f_y };
};

const sizeCursorPosition = (_m: CursorPosition): number => {
  return 4;
};

const encodeCursorPosition = (m: CursorPosition, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'cursor.position', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'cursor.position', 'y');
  w16(b, q, m.y);
  q += 2;
  return q;
};

const decodeCursorVisibility = (b: Uint8Array, p: number, end: number): CursorVisibility => {
  let q = p;
  if (q + 1 > end) truncated('cursor.visibility', 'visible', q - p);
  const f_visible = rbool(b, q, 'cursor.visibility', 'visible');
  q += 1;
  if (q !== end) trailing('cursor.visibility', end - q, q - p);
  return { channel: 'cursor', type: 'visibility', visible: f_visible };
};

const sizeCursorVisibility = (_m: CursorVisibility): number => {
  return 1;
};

const encodeCursorVisibility = (m: CursorVisibility, b: Uint8Array, q: number): number => {
  checkBool(m.visible, 'cursor.visibility', 'visible');
  b[q++] = m.visible ? 1 : 0;
  return q;
};

const decodeClipboardText = (b: Uint8Array, p: number, end: number): ClipboardText => {
  let q = p;
  if (q + 4 > end) truncated('clipboard.text', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 4 > end) truncated('clipboard.text', 'text', q - p);
  const f_textLen = r32(b, q);
  q += 4;
  if (f_textLen > 1048576)
    invalid('length_exceeded', 'clipboard.text', 'text', f_textLen, 'at most 1048576 bytes');
  if (q + f_textLen > end) truncated('clipboard.text', 'text', q - p);
  const f_text = rstr(b, q, q + f_textLen, 'clipboard.text', 'text');
  q += f_textLen;
  if (q !== end) trailing('clipboard.text', end - q, q - p);
  return { channel: 'clipboard', type: 'text', seq: f_seq, text: f_text };
};

const sizeClipboardText = (m: ClipboardText): number => {
  checkString(m.text, 'clipboard.text', 'text');
  return 8 + utf8Length(m.text, 'clipboard.text', 'text');
};

const encodeClipboardText = (m: ClipboardText, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'clipboard.text', 'seq');
  w32(b, q, m.seq);
  q += 4;
  const textLen = utf8Length(m.text, 'clipboard.text', 'text');
  if (textLen > 1048576)
    invalid('length_exceeded', 'clipboard.text', 'text', textLen, 'at most 1048576 bytes');
  w32(b, q, textLen);
  q = wstr(b, q + 4, m.text);
  return q;
};

const decodeClipboardImage = (b: Uint8Array, p: number, end: number): ClipboardImage => {
  let q = p;
  if (q + 4 > end) truncated('clipboard.image', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 1 > end) truncated('clipboard.image', 'mime', q - p);
  const f_mimeRaw = r8(b, q);
  q += 1;
  const f_mime = ImageMimeByValue[f_mimeRaw];
  if (f_mime === undefined)
    return invalid('invalid_enum', 'clipboard.image', 'mime', f_mimeRaw, 'not a ImageMime value');
  if (q + 2 > end) truncated('clipboard.image', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'clipboard.image', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('clipboard.image', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'clipboard.image', 'height', f_height, 'must be in [1, 65535]');
  if (end - q > 8388608)
    invalid('length_exceeded', 'clipboard.image', 'data', end - q, 'at most 8388608 bytes');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('clipboard.image', end - q, q - p);
  return {
    channel: 'clipboard',
    type: 'image',
    seq: f_seq,
    mime: f_mime,
    width: f_width,
    height: f_height,
    data: f_data,
  };
};

const sizeClipboardImage = (m: ClipboardImage): number => {
  checkBytes(m.data, 'clipboard.image', 'data');
  return 9 + m.data.length;
};

const encodeClipboardImage = (m: ClipboardImage, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'clipboard.image', 'seq');
  w32(b, q, m.seq);
  q += 4;
  w8(b, q, enumValue(ImageMime, m.mime, 'clipboard.image', 'mime'));
  q += 1;
  checkUint(m.width, 1, 65535, 'clipboard.image', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'clipboard.image', 'height');
  w16(b, q, m.height);
  q += 2;
  if (m.data.length > 8388608)
    invalid('length_exceeded', 'clipboard.image', 'data', m.data.length, 'at most 8388608 bytes');
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeFileOffer = (b: Uint8Array, p: number, end: number): FileOffer => {
  let q = p;
  if (q + 4 > end) truncated('file.offer', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.offer', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 1 > end) truncated('file.offer', 'direction', q - p);
  const f_directionRaw = r8(b, q);
  q += 1;
  const f_direction = FileDirectionByValue[f_directionRaw];
  if (f_direction === undefined)
    return invalid('invalid_enum', 'file.offer', 'direction', f_directionRaw, 'not a FileDirection value');
  if (q + 8 > end) truncated('file.offer', 'size', q - p);
  const f_size = r64(b, q, 'file.offer', 'size');
  q += 8;
  if (q + 2 > end) truncated('file.offer', 'name', q - p);
  const f_nameLen = r16(b, q);
  q += 2;
  if (f_nameLen > 1024) invalid('length_exceeded', 'file.offer', 'name', f_nameLen, 'at most 1024 bytes');
  if (q + f_nameLen > end) truncated('file.offer', 'name', q - p);
  const f_name = rstr(b, q, q + f_nameLen, 'file.offer', 'name');
  q += f_nameLen;
  if (q + 1 > end) truncated('file.offer', 'mime', q - p);
  const f_mimeLen = r8(b, q);
  q += 1;
  if (f_mimeLen > 127) invalid('length_exceeded', 'file.offer', 'mime', f_mimeLen, 'at most 127 bytes');
  if (q + f_mimeLen > end) truncated('file.offer', 'mime', q - p);
  const f_mime = rstr(b, q, q + f_mimeLen, 'file.offer', 'mime');
  q += f_mimeLen;
  if (q !== end) trailing('file.offer', end - q, q - p);
  return {
    channel: 'file',
    type: 'offer',
    transferId: f_transferId,
    direction: f_direction,
    size: f_size,
    name: f_name,
    mime: f_mime,
  };
};

const sizeFileOffer = (m: FileOffer): number => {
  checkString(m.name, 'file.offer', 'name');
  checkString(m.mime, 'file.offer', 'mime');
  return 16 + utf8Length(m.name, 'file.offer', 'name') + utf8Length(m.mime, 'file.offer', 'mime');
};

const encodeFileOffer = (m: FileOffer, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.offer', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  w8(b, q, enumValue(FileDirection, m.direction, 'file.offer', 'direction'));
  q += 1;
  checkUint(m.size, 0, 9007199254740991, 'file.offer', 'size');
  w64(b, q, m.size);
  q += 8;
  const nameLen = utf8Length(m.name, 'file.offer', 'name');
  if (nameLen > 1024) invalid('length_exceeded', 'file.offer', 'name', nameLen, 'at most 1024 bytes');
  w16(b, q, nameLen);
  q = wstr(b, q + 2, m.name);
  const mimeLen = utf8Length(m.mime, 'file.offer', 'mime');
  if (mimeLen > 127) invalid('length_exceeded', 'file.offer', 'mime', mimeLen, 'at most 127 bytes');
  w8(b, q, mimeLen);
  q = wstr(b, q + 1, m.mime);
  return q;
};

const decodeFileAccept = (b: Uint8Array, p: number, end: number): FileAccept => {
  let q = p;
  if (q + 4 > end) truncated('file.accept', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.accept', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 8 > end) truncated('file.accept', 'offset', q - p);
  const f_offset = r64(b, q, 'file.accept', 'offset');
  q += 8;
  if (q !== end) trailing('file.accept', end - q, q - p);
  return { channel: 'file', type: 'accept', transferId: f_transferId, offset: f_offset };
};

const sizeFileAccept = (_m: FileAccept): number => {
  return 12;
};

const encodeFileAccept = (m: FileAccept, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.accept', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  checkUint(m.offset, 0, 9007199254740991, 'file.accept', 'offset');
  w64(b, q, m.offset);
  q += 8;
  return q;
};

const decodeFileChunk = (b: Uint8Array, p: number, end: number): FileChunk => {
  let q = p;
  if (q + 4 > end) truncated('file.chunk', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.chunk', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 8 > end) truncated('file.chunk', 'offset', q - p);
  const f_offset = r64(b, q, 'file.chunk', 'offset');
  q += 8;
  if (end - q > 1048576) invalid('length_exceeded', 'file.chunk', 'data', end - q, 'at most 1048576 bytes');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('file.chunk', end - q, q - p);
  return { channel: 'file', type: 'chunk', transferId: f_transferId, offset: f_offset, data: f_data };
};

const sizeFileChunk = (m: FileChunk): number => {
  checkBytes(m.data, 'file.chunk', 'data');
  return 12 + m.data.length;
};

const encodeFileChunk = (m: FileChunk, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.chunk', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  checkUint(m.offset, 0, 9007199254740991, 'file.chunk', 'offset');
  w64(b, q, m.offset);
  q += 8;
  if (m.data.length > 1048576)
    invalid('length_exceeded', 'file.chunk', 'data', m.data.length, 'at most 1048576 bytes');
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeFileAck = (b: Uint8Array, p: number, end: number): FileAck => {
  let q = p;
  if (q + 4 > end) truncated('file.ack', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.ack', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 8 > end) truncated('file.ack', 'offset', q - p);
  const f_offset = r64(b, q, 'file.ack', 'offset');
  q += 8;
  if (q !== end) trailing('file.ack', end - q, q - p);
  return { channel: 'file', type: 'ack', transferId: f_transferId, offset: f_offset };
};

const sizeFileAck = (_m: FileAck): number => {
  return 12;
};

const encodeFileAck = (m: FileAck, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.ack', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  checkUint(m.offset, 0, 9007199254740991, 'file.ack', 'offset');
  w64(b, q, m.offset);
  q += 8;
  return q;
};

const decodeFileComplete = (b: Uint8Array, p: number, end: number): FileComplete => {
  let q = p;
  if (q + 4 > end) truncated('file.complete', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.complete', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 8 > end) truncated('file.complete', 'size', q - p);
  const f_size = r64(b, q, 'file.complete', 'size');
  q += 8;
  if (q + 32 > end) truncated('file.complete', 'sha256', q - p);
  const f_sha256 = b.subarray(q, q + 32);
  q += 32;
  if (q !== end) trailing('file.complete', end - q, q - p);
  return { channel: 'file', type: 'complete', transferId: f_transferId, size: f_size, sha256: f_sha256 };
};

const sizeFileComplete = (_m: FileComplete): number => {
  return 44;
};

const encodeFileComplete = (m: FileComplete, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.complete', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  checkUint(m.size, 0, 9007199254740991, 'file.complete', 'size');
  w64(b, q, m.size);
  q += 8;
  checkBytes(m.sha256, 'file.complete', 'sha256');
  if (m.sha256.length !== 32)
    invalid('invalid_value', 'file.complete', 'sha256', m.sha256.length, 'must be 32 bytes');
  b.set(m.sha256, q);
  q += 32;
  return q;
};

const decodeFileResult = (b: Uint8Array, p: number, end: number): FileResult => {
  let q = p;
  if (q + 4 > end) truncated('file.result', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.result', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 1 > end) truncated('file.result', 'status', q - p);
  const f_statusRaw = r8(b, q);
  q += 1;
  const f_status = FileStatusByValue[f_statusRaw];
  if (f_status === undefined)
    return invalid('invalid_enum', 'file.result', 'status', f_statusRaw, 'not a FileStatus value');
  if (q !== end) trailing('file.result', end - q, q - p);
  return { channel: 'file', type: 'result', transferId: f_transferId, status: f_status };
};

const sizeFileResult = (_m: FileResult): number => {
  return 5;
};

const encodeFileResult = (m: FileResult, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.result', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  w8(b, q, enumValue(FileStatus, m.status, 'file.result', 'status'));
  q += 1;
  return q;
};

const decodeFileCancel = (b: Uint8Array, p: number, end: number): FileCancel => {
  let q = p;
  if (q + 4 > end) truncated('file.cancel', 'transferId', q - p);
  const f_transferId = r32(b, q);
  q += 4;
  if (f_transferId < 1)
    invalid('invalid_value', 'file.cancel', 'transferId', f_transferId, 'must be in [1, 4294967295]');
  if (q + 1 > end) truncated('file.cancel', 'reason', q - p);
  const f_reasonRaw = r8(b, q);
  q += 1;
  const f_reason = FileCancelReasonByValue[f_reasonRaw];
  if (f_reason === undefined)
    return invalid('invalid_enum', 'file.cancel', 'reason', f_reasonRaw, 'not a FileCancelReason value');
  if (q + 1 > end) truncated('file.cancel', 'message', q - p);
  const f_messageLen = r8(b, q);
  q += 1;
  if (f_messageLen > 255)
    invalid('length_exceeded', 'file.cancel', 'message', f_messageLen, 'at most 255 bytes');
  if (q + f_messageLen > end) truncated('file.cancel', 'message', q - p);
  const f_message = rstr(b, q, q + f_messageLen, 'file.cancel', 'message');
  q += f_messageLen;
  if (q !== end) trailing('file.cancel', end - q, q - p);
  return { channel: 'file', type: 'cancel', transferId: f_transferId, reason: f_reason, message: f_message };
};

const sizeFileCancel = (m: FileCancel): number => {
  checkString(m.message, 'file.cancel', 'message');
  return 6 + utf8Length(m.message, 'file.cancel', 'message');
};

const encodeFileCancel = (m: FileCancel, b: Uint8Array, q: number): number => {
  checkUint(m.transferId, 1, 4294967295, 'file.cancel', 'transferId');
  w32(b, q, m.transferId);
  q += 4;
  w8(b, q, enumValue(FileCancelReason, m.reason, 'file.cancel', 'reason'));
  q += 1;
  const messageLen = utf8Length(m.message, 'file.cancel', 'message');
  if (messageLen > 255) invalid('length_exceeded', 'file.cancel', 'message', messageLen, 'at most 255 bytes');
  w8(b, q, messageLen);
  q = wstr(b, q + 1, m.message);
  return q;
};

const decodeTilesFrameBegin = (b: Uint8Array, p: number, end: number): TilesFrameBegin => {
  let q = p;
  if (q + 4 > end) truncated('tiles.frameBegin', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 8 > end) truncated('tiles.frameBegin', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'tiles.frameBegin', 'timestampUs');
  q += 8;
  if (q + 1 > end) truncated('tiles.frameBegin', 'flags', q - p);
  const f_flags = r8(b, q);
  q += 1;
  if ((f_flags & ~FrameFlagsMask) !== 0)
    invalid('invalid_flags', 'tiles.frameBegin', 'flags', f_flags, 'reserved FrameFlags bits set');
  if (q !== end) trailing('tiles.frameBegin', end - q, q - p);
  return { channel: 'tiles', type: 'frameBegin', seq: f_seq, timestampUs: f_timestampUs, flags: f_flags };
};

const sizeTilesFrameBegin = (_m: TilesFrameBegin): number => {
  return 13;
};

const encodeTilesFrameBegin = (m: TilesFrameBegin, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'tiles.frameBegin', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.timestampUs, 0, 9007199254740991, 'tiles.frameBegin', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  checkUint(m.flags, 0, 255, 'tiles.frameBegin', 'flags');
  if ((m.flags & ~FrameFlagsMask) !== 0)
    invalid('invalid_flags', 'tiles.frameBegin', 'flags', m.flags, 'reserved FrameFlags bits set');
  w8(b, q, m.flags);
  q += 1;
  return q;
};

const decodeTilesFrameEnd = (b: Uint8Array, p: number, end: number): TilesFrameEnd => {
  let q = p;
  if (q + 4 > end) truncated('tiles.frameEnd', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q !== end) trailing('tiles.frameEnd', end - q, q - p);
  return { channel: 'tiles', type: 'frameEnd', seq: f_seq };
};

const sizeTilesFrameEnd = (_m: TilesFrameEnd): number => {
  return 4;
};

const encodeTilesFrameEnd = (m: TilesFrameEnd, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'tiles.frameEnd', 'seq');
  w32(b, q, m.seq);
  q += 4;
  return q;
};

const decodeTilesFill = (b: Uint8Array, p: number, end: number): TilesFill => {
  let q = p;
  if (q + 2 > end) truncated('tiles.fill', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.fill', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.fill', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'tiles.fill', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.fill', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'tiles.fill', 'height', f_height, 'must be in [1, 65535]');
  if (q + 4 > end) truncated('tiles.fill', 'rgba', q - p);
  const f_rgba = r32(b, q);
  q += 4;
  if (q !== end) trailing('tiles.fill', end - q, q - p);
  return { channel: 'tiles', type: 'fill', x: f_x, y: f_y, width: f_width, height: f_height, rgba: f_rgba };
};

const sizeTilesFill = (_m: TilesFill): number => {
  return 12;
};

const encodeTilesFill = (m: TilesFill, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'tiles.fill', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.fill', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.width, 1, 65535, 'tiles.fill', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'tiles.fill', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.rgba, 0, 4294967295, 'tiles.fill', 'rgba');
  w32(b, q, m.rgba);
  q += 4;
  return q;
};

const decodeTilesLossless = (b: Uint8Array, p: number, end: number): TilesLossless => {
  let q = p;
  if (q + 2 > end) truncated('tiles.lossless', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.lossless', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.lossless', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'tiles.lossless', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.lossless', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'tiles.lossless', 'height', f_height, 'must be in [1, 65535]');
  if (q + 1 > end) truncated('tiles.lossless', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = LosslessCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'tiles.lossless', 'codec', f_codecRaw, 'not a LosslessCodec value');
  if (q + 4 > end) truncated('tiles.lossless', 'cacheId', q - p);
  const f_cacheId = r32(b, q);
  q += 4;
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('tiles.lossless', end - q, q - p);
  return {
    channel: 'tiles',
    type: 'lossless',
    x: f_x,
    y: f_y,
    width: f_width,
    height: f_height,
    codec: f_codec,
    cacheId: f_cacheId,
    data: f_data,
  };
};

const sizeTilesLossless = (m: TilesLossless): number => {
  checkBytes(m.data, 'tiles.lossless', 'data');
  return 13 + m.data.length;
};

const encodeTilesLossless = (m: TilesLossless, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'tiles.lossless', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.lossless', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.width, 1, 65535, 'tiles.lossless', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'tiles.lossless', 'height');
  w16(b, q, m.height);
  q += 2;
  w8(b, q, enumValue(LosslessCodec, m.codec, 'tiles.lossless', 'codec'));
  q += 1;
  checkUint(m.cacheId, 0, 4294967295, 'tiles.lossless', 'cacheId');
  w32(b, q, m.cacheId);
  q += 4;
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeTilesLossy = (b: Uint8Array, p: number, end: number): TilesLossy => {
  let q = p;
  if (q + 2 > end) truncated('tiles.lossy', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.lossy', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.lossy', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'tiles.lossy', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.lossy', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'tiles.lossy', 'height', f_height, 'must be in [1, 65535]');
  if (q + 1 > end) truncated('tiles.lossy', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = LossyCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'tiles.lossy', 'codec', f_codecRaw, 'not a LossyCodec value');
  if (q + 1 > end) truncated('tiles.lossy', 'quality', q - p);
  const f_quality = r8(b, q);
  q += 1;
  if (f_quality > 100) invalid('invalid_value', 'tiles.lossy', 'quality', f_quality, 'must be in [0, 100]');
  if (q + 4 > end) truncated('tiles.lossy', 'cacheId', q - p);
  const f_cacheId = r32(b, q);
  q += 4;
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('tiles.lossy', end - q, q - p);
  return {
    channel: 'tiles',
    type: 'lossy',
    x: f_x,
    y: f_y,
    width: f_width,
    height: f_height,
    codec: f_codec,
    quality: f_quality,
    cacheId: f_cacheId,
    data: f_data,
  };
};

const sizeTilesLossy = (m: TilesLossy): number => {
  checkBytes(m.data, 'tiles.lossy', 'data');
  return 14 + m.data.length;
};

const encodeTilesLossy = (m: TilesLossy, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'tiles.lossy', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.lossy', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.width, 1, 65535, 'tiles.lossy', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'tiles.lossy', 'height');
  w16(b, q, m.height);
  q += 2;
  w8(b, q, enumValue(LossyCodec, m.codec, 'tiles.lossy', 'codec'));
  q += 1;
  checkUint(m.quality, 0, 100, 'tiles.lossy', 'quality');
  w8(b, q, m.quality);
  q += 1;
  checkUint(m.cacheId, 0, 4294967295, 'tiles.lossy', 'cacheId');
  w32(b, q, m.cacheId);
  q += 4;
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeTilesCacheRef = (b: Uint8Array, p: number, end: number): TilesCacheRef => {
  let q = p;
  if (q + 2 > end) truncated('tiles.cacheRef', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.cacheRef', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 4 > end) truncated('tiles.cacheRef', 'cacheId', q - p);
  const f_cacheId = r32(b, q);
  q += 4;
  if (f_cacheId < 1)
    invalid('invalid_value', 'tiles.cacheRef', 'cacheId', f_cacheId, 'must be in [1, 4294967295]');
  if (q !== end) trailing('tiles.cacheRef', end - q, q - p);
  return { channel: 'tiles', type: 'cacheRef', x: f_x, y: f_y, cacheId: f_cacheId };
};

const sizeTilesCacheRef = (_m: TilesCacheRef): number => {
  return 8;
};

const encodeTilesCacheRef = (m: TilesCacheRef, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'tiles.cacheRef', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.cacheRef', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.cacheId, 1, 4294967295, 'tiles.cacheRef', 'cacheId');
  w32(b, q, m.cacheId);
  q += 4;
  return q;
};

const decodeTilesCopyRect = (b: Uint8Array, p: number, end: number): TilesCopyRect => {
  let q = p;
  if (q + 2 > end) truncated('tiles.copyRect', 'srcX', q - p);
  const f_srcX = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.copyRect', 'srcY', q - p);
  const f_srcY = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.copyRect', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'tiles.copyRect', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.copyRect', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'tiles.copyRect', 'height', f_height, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.copyRect', 'dstX', q - p);
  const f_dstX = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.copyRect', 'dstY', q - p);
  const f_dstY = r16(b, q);
  q += 2;
  if (q !== end) trailing('tiles.copyRect', end - q, q - p);
  return {
    channel: 'tiles',
    type: 'copyRect',
    srcX: f_srcX,
    srcY: f_srcY,
    width: f_width,
    height: f_height,
    dstX: f_dstX,
    dstY: f_dstY,
  };
};

const sizeTilesCopyRect = (_m: TilesCopyRect): number => {
  return 12;
};

const encodeTilesCopyRect = (m: TilesCopyRect, b: Uint8Array, q: number): number => {
  checkUint(m.srcX, 0, 65535, 'tiles.copyRect', 'srcX');
  w16(b, q, m.srcX);
  q += 2;
  checkUint(m.srcY, 0, 65535, 'tiles.copyRect', 'srcY');
  w16(b, q, m.srcY);
  q += 2;
  checkUint(m.width, 1, 65535, 'tiles.copyRect', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'tiles.copyRect', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.dstX, 0, 65535, 'tiles.copyRect', 'dstX');
  w16(b, q, m.dstX);
  q += 2;
  checkUint(m.dstY, 0, 65535, 'tiles.copyRect', 'dstY');
  w16(b, q, m.dstY);
  q += 2;
  return q;
};

const decodeTilesInvalidate = (b: Uint8Array, p: number, end: number): TilesInvalidate => {
  let q = p;
  if (q + 2 > end) truncated('tiles.invalidate', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.invalidate', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.invalidate', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'tiles.invalidate', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('tiles.invalidate', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'tiles.invalidate', 'height', f_height, 'must be in [1, 65535]');
  if (q !== end) trailing('tiles.invalidate', end - q, q - p);
  return { channel: 'tiles', type: 'invalidate', x: f_x, y: f_y, width: f_width, height: f_height };
};

const sizeTilesInvalidate = (_m: TilesInvalidate): number => {
  return 8;
};

const encodeTilesInvalidate = (m: TilesInvalidate, b: Uint8Array, q: number): number => {
  checkUint(m.x, 0, 65535, 'tiles.invalidate', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.invalidate', 'y');
  w16(b, q, m.y);
  q += 2;
  checkUint(m.width, 1, 65535, 'tiles.invalidate', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'tiles.invalidate', 'height');
  w16(b, q, m.height);
  q += 2;
  return q;
};

const decodeTilesCacheMiss = (b: Uint8Array, p: number, end: number): TilesCacheMiss => {
  let q = p;
  if (q + 4 > end) truncated('tiles.cacheMiss', 'frameSeq', q - p);
  const f_frameSeq = r32(b, q);
  q += 4;
  if (q + 4 > end) truncated('tiles.cacheMiss', 'cacheId', q - p);
  const f_cacheId = r32(b, q);
  q += 4;
  if (f_cacheId < 1)
    invalid('invalid_value', 'tiles.cacheMiss', 'cacheId', f_cacheId, 'must be in [1, 4294967295]');
  if (q + 2 > end) truncated('tiles.cacheMiss', 'x', q - p);
  const f_x = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('tiles.cacheMiss', 'y', q - p);
  const f_y = r16(b, q);
  q += 2;
  if (q !== end) trailing('tiles.cacheMiss', end - q, q - p);
  return { channel: 'tiles', type: 'cacheMiss', frameSeq: f_frameSeq, cacheId: f_cacheId, x: f_x, y: f_y };
};

const sizeTilesCacheMiss = (_m: TilesCacheMiss): number => {
  return 12;
};

const encodeTilesCacheMiss = (m: TilesCacheMiss, b: Uint8Array, q: number): number => {
  checkUint(m.frameSeq, 0, 4294967295, 'tiles.cacheMiss', 'frameSeq');
  w32(b, q, m.frameSeq);
  q += 4;
  checkUint(m.cacheId, 1, 4294967295, 'tiles.cacheMiss', 'cacheId');
  w32(b, q, m.cacheId);
  q += 4;
  checkUint(m.x, 0, 65535, 'tiles.cacheMiss', 'x');
  w16(b, q, m.x);
  q += 2;
  checkUint(m.y, 0, 65535, 'tiles.cacheMiss', 'y');
  w16(b, q, m.y);
  q += 2;
  return q;
};

const decodeTilesCacheEvict = (b: Uint8Array, p: number, end: number): TilesCacheEvict => {
  let q = p;
  if (q + 4 > end) truncated('tiles.cacheEvict', 'cacheId', q - p);
  const f_cacheId = r32(b, q);
  q += 4;
  if (f_cacheId < 1)
    invalid('invalid_value', 'tiles.cacheEvict', 'cacheId', f_cacheId, 'must be in [1, 4294967295]');
  if (q !== end) trailing('tiles.cacheEvict', end - q, q - p);
  return { channel: 'tiles', type: 'cacheEvict', cacheId: f_cacheId };
};

const sizeTilesCacheEvict = (_m: TilesCacheEvict): number => {
  return 4;
};

const encodeTilesCacheEvict = (m: TilesCacheEvict, b: Uint8Array, q: number): number => {
  checkUint(m.cacheId, 1, 4294967295, 'tiles.cacheEvict', 'cacheId');
  w32(b, q, m.cacheId);
  q += 4;
  return q;
};

const decodeVideoStreamConfig = (b: Uint8Array, p: number, end: number): VideoStreamConfig => {
  let q = p;
  if (q + 1 > end) truncated('video.streamConfig', 'streamId', q - p);
  const f_streamId = r8(b, q);
  q += 1;
  if (q + 1 > end) truncated('video.streamConfig', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = VideoCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'video.streamConfig', 'codec', f_codecRaw, 'not a VideoCodec value');
  if (q + 1 > end) truncated('video.streamConfig', 'codecString', q - p);
  const f_codecStringLen = r8(b, q);
  q += 1;
  if (f_codecStringLen > 64)
    invalid('length_exceeded', 'video.streamConfig', 'codecString', f_codecStringLen, 'at most 64 bytes');
  if (q + f_codecStringLen > end) truncated('video.streamConfig', 'codecString', q - p);
  const f_codecString = rstr(b, q, q + f_codecStringLen, 'video.streamConfig', 'codecString');
  q += f_codecStringLen;
  if (q + 2 > end) truncated('video.streamConfig', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'video.streamConfig', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('video.streamConfig', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1)
    invalid('invalid_value', 'video.streamConfig', 'height', f_height, 'must be in [1, 65535]');
  if (q !== end) trailing('video.streamConfig', end - q, q - p);
  return {
    channel: 'video',
    type: 'streamConfig',
    streamId: f_streamId,
    codec: f_codec,
    codecString: f_codecString,
    width: f_width,
    height: f_height,
  };
};

const sizeVideoStreamConfig = (m: VideoStreamConfig): number => {
  checkString(m.codecString, 'video.streamConfig', 'codecString');
  return 7 + utf8Length(m.codecString, 'video.streamConfig', 'codecString');
};

const encodeVideoStreamConfig = (m: VideoStreamConfig, b: Uint8Array, q: number): number => {
  checkUint(m.streamId, 0, 255, 'video.streamConfig', 'streamId');
  w8(b, q, m.streamId);
  q += 1;
  w8(b, q, enumValue(VideoCodec, m.codec, 'video.streamConfig', 'codec'));
  q += 1;
  const codecStringLen = utf8Length(m.codecString, 'video.streamConfig', 'codecString');
  if (codecStringLen > 64)
    invalid('length_exceeded', 'video.streamConfig', 'codecString', codecStringLen, 'at most 64 bytes');
  w8(b, q, codecStringLen);
  q = wstr(b, q + 1, m.codecString);
  checkUint(m.width, 1, 65535, 'video.streamConfig', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'video.streamConfig', 'height');
  w16(b, q, m.height);
  q += 2;
  return q;
};

const decodeVideoAccessUnit = (b: Uint8Array, p: number, end: number): VideoAccessUnit => {
  let q = p;
  if (q + 1 > end) truncated('video.accessUnit', 'streamId', q - p);
  const f_streamId = r8(b, q);
  q += 1;
  if (q + 4 > end) truncated('video.accessUnit', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 1 > end) truncated('video.accessUnit', 'flags', q - p);
  const f_flags = r8(b, q);
  q += 1;
  if ((f_flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'video.accessUnit', 'flags', f_flags, 'reserved VideoFlags bits set');
  if (q + 8 > end) truncated('video.accessUnit', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'video.accessUnit', 'timestampUs');
  q += 8;
  if (q + 2 > end) truncated('video.accessUnit', 'roiX', q - p);
  const f_roiX = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('video.accessUnit', 'roiY', q - p);
  const f_roiY = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('video.accessUnit', 'roiWidth', q - p);
  const f_roiWidth = r16(b, q);
  q += 2;
  if (f_roiWidth < 1)
    invalid('invalid_value', 'video.accessUnit', 'roiWidth', f_roiWidth, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('video.accessUnit', 'roiHeight', q - p);
  const f_roiHeight = r16(b, q);
  q += 2;
  if (f_roiHeight < 1)
    invalid('invalid_value', 'video.accessUnit', 'roiHeight', f_roiHeight, 'must be in [1, 65535]');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('video.accessUnit', end - q, q - p);
  return {
    channel: 'video',
    type: 'accessUnit',
    streamId: f_streamId,
    seq: f_seq,
    flags: f_flags,
    timestampUs: f_timestampUs,
    roiX: f_roiX,
    roiY: f_roiY,
    roiWidth: f_roiWidth,
    roiHeight: f_roiHeight,
    data: f_data,
  };
};

const sizeVideoAccessUnit = (m: VideoAccessUnit): number => {
  checkBytes(m.data, 'video.accessUnit', 'data');
  return 22 + m.data.length;
};

const encodeVideoAccessUnit = (m: VideoAccessUnit, b: Uint8Array, q: number): number => {
  checkUint(m.streamId, 0, 255, 'video.accessUnit', 'streamId');
  w8(b, q, m.streamId);
  q += 1;
  checkUint(m.seq, 0, 4294967295, 'video.accessUnit', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.flags, 0, 255, 'video.accessUnit', 'flags');
  if ((m.flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'video.accessUnit', 'flags', m.flags, 'reserved VideoFlags bits set');
  w8(b, q, m.flags);
  q += 1;
  checkUint(m.timestampUs, 0, 9007199254740991, 'video.accessUnit', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  checkUint(m.roiX, 0, 65535, 'video.accessUnit', 'roiX');
  w16(b, q, m.roiX);
  q += 2;
  checkUint(m.roiY, 0, 65535, 'video.accessUnit', 'roiY');
  w16(b, q, m.roiY);
  q += 2;
  checkUint(m.roiWidth, 1, 65535, 'video.accessUnit', 'roiWidth');
  w16(b, q, m.roiWidth);
  q += 2;
  checkUint(m.roiHeight, 1, 65535, 'video.accessUnit', 'roiHeight');
  w16(b, q, m.roiHeight);
  q += 2;
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeVideoFragment = (b: Uint8Array, p: number, end: number): VideoFragment => {
  let q = p;
  if (q + 1 > end) truncated('video.fragment', 'streamId', q - p);
  const f_streamId = r8(b, q);
  q += 1;
  if (q + 4 > end) truncated('video.fragment', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 2 > end) truncated('video.fragment', 'index', q - p);
  const f_index = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('video.fragment', 'count', q - p);
  const f_count = r16(b, q);
  q += 2;
  if (f_count < 1 || f_count > 4096)
    invalid('invalid_value', 'video.fragment', 'count', f_count, 'must be in [1, 4096]');
  if (q + 1 > end) truncated('video.fragment', 'flags', q - p);
  const f_flags = r8(b, q);
  q += 1;
  if ((f_flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'video.fragment', 'flags', f_flags, 'reserved VideoFlags bits set');
  if (q + 8 > end) truncated('video.fragment', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'video.fragment', 'timestampUs');
  q += 8;
  if (q + 2 > end) truncated('video.fragment', 'roiX', q - p);
  const f_roiX = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('video.fragment', 'roiY', q - p);
  const f_roiY = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('video.fragment', 'roiWidth', q - p);
  const f_roiWidth = r16(b, q);
  q += 2;
  if (f_roiWidth < 1)
    invalid('invalid_value', 'video.fragment', 'roiWidth', f_roiWidth, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('video.fragment', 'roiHeight', q - p);
  const f_roiHeight = r16(b, q);
  q += 2;
  if (f_roiHeight < 1)
    invalid('invalid_value', 'video.fragment', 'roiHeight', f_roiHeight, 'must be in [1, 65535]');
  if (end - q > 1200) invalid('length_exceeded', 'video.fragment', 'data', end - q, 'at most 1200 bytes');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('video.fragment', end - q, q - p);
  if (!(f_index < f_count)) invalid('invalid_value', 'video.fragment', 'index', f_index, 'must be < count');
  return {
    channel: 'video',
    type: 'fragment',
    streamId: f_streamId,
    seq: f_seq,
    index: f_index,
    count: f_count,
    flags: f_flags,
    timestampUs: f_timestampUs,
    roiX: f_roiX,
    roiY: f_roiY,
    roiWidth: f_roiWidth,
    roiHeight: f_roiHeight,
    data: f_data,
  };
};

const sizeVideoFragment = (m: VideoFragment): number => {
  checkBytes(m.data, 'video.fragment', 'data');
  return 26 + m.data.length;
};

const encodeVideoFragment = (m: VideoFragment, b: Uint8Array, q: number): number => {
  checkUint(m.streamId, 0, 255, 'video.fragment', 'streamId');
  w8(b, q, m.streamId);
  q += 1;
  checkUint(m.seq, 0, 4294967295, 'video.fragment', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.index, 0, 65535, 'video.fragment', 'index');
  w16(b, q, m.index);
  q += 2;
  checkUint(m.count, 1, 4096, 'video.fragment', 'count');
  w16(b, q, m.count);
  q += 2;
  checkUint(m.flags, 0, 255, 'video.fragment', 'flags');
  if ((m.flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'video.fragment', 'flags', m.flags, 'reserved VideoFlags bits set');
  w8(b, q, m.flags);
  q += 1;
  checkUint(m.timestampUs, 0, 9007199254740991, 'video.fragment', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  checkUint(m.roiX, 0, 65535, 'video.fragment', 'roiX');
  w16(b, q, m.roiX);
  q += 2;
  checkUint(m.roiY, 0, 65535, 'video.fragment', 'roiY');
  w16(b, q, m.roiY);
  q += 2;
  checkUint(m.roiWidth, 1, 65535, 'video.fragment', 'roiWidth');
  w16(b, q, m.roiWidth);
  q += 2;
  checkUint(m.roiHeight, 1, 65535, 'video.fragment', 'roiHeight');
  w16(b, q, m.roiHeight);
  q += 2;
  if (m.data.length > 1200)
    invalid('length_exceeded', 'video.fragment', 'data', m.data.length, 'at most 1200 bytes');
  b.set(m.data, q);
  q += m.data.length;
  if (!(m.index < m.count)) invalid('invalid_value', 'video.fragment', 'index', m.index, 'must be < count');
  return q;
};

const decodeVideoStreamEnd = (b: Uint8Array, p: number, end: number): VideoStreamEnd => {
  let q = p;
  if (q + 1 > end) truncated('video.streamEnd', 'streamId', q - p);
  const f_streamId = r8(b, q);
  q += 1;
  if (q !== end) trailing('video.streamEnd', end - q, q - p);
  return { channel: 'video', type: 'streamEnd', streamId: f_streamId };
};

const sizeVideoStreamEnd = (_m: VideoStreamEnd): number => {
  return 1;
};

const encodeVideoStreamEnd = (m: VideoStreamEnd, b: Uint8Array, q: number): number => {
  checkUint(m.streamId, 0, 255, 'video.streamEnd', 'streamId');
  w8(b, q, m.streamId);
  q += 1;
  return q;
};

const decodeAudioConfig = (b: Uint8Array, p: number, end: number): AudioConfig => {
  let q = p;
  if (q + 1 > end) truncated('audio.config', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = AudioCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'audio.config', 'codec', f_codecRaw, 'not a AudioCodec value');
  if (q + 4 > end) truncated('audio.config', 'sampleRate', q - p);
  const f_sampleRate = r32(b, q);
  q += 4;
  if (f_sampleRate < 8000 || f_sampleRate > 48000)
    invalid('invalid_value', 'audio.config', 'sampleRate', f_sampleRate, 'must be in [8000, 48000]');
  if (q + 1 > end) truncated('audio.config', 'channels', q - p);
  const f_channels = r8(b, q);
  q += 1;
  if (f_channels < 1 || f_channels > 2)
    invalid('invalid_value', 'audio.config', 'channels', f_channels, 'must be in [1, 2]');
  if (q + 4 > end) truncated('audio.config', 'frameDurationUs', q - p);
  const f_frameDurationUs = r32(b, q);
  q += 4;
  if (f_frameDurationUs < 2500 || f_frameDurationUs > 120000)
    invalid(
      'invalid_value',
      'audio.config',
      'frameDurationUs',
      f_frameDurationUs,
      'must be in [2500, 120000]',
    );
  if (q !== end) trailing('audio.config', end - q, q - p);
  return {
    channel: 'audio',
    type: 'config',
    codec: f_codec,
    sampleRate: f_sampleRate,
    channels: f_channels,
    frameDurationUs: f_frameDurationUs,
  };
};

const sizeAudioConfig = (_m: AudioConfig): number => {
  return 10;
};

const encodeAudioConfig = (m: AudioConfig, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(AudioCodec, m.codec, 'audio.config', 'codec'));
  q += 1;
  checkUint(m.sampleRate, 8000, 48000, 'audio.config', 'sampleRate');
  w32(b, q, m.sampleRate);
  q += 4;
  checkUint(m.channels, 1, 2, 'audio.config', 'channels');
  w8(b, q, m.channels);
  q += 1;
  checkUint(m.frameDurationUs, 2500, 120000, 'audio.config', 'frameDurationUs');
  w32(b, q, m.frameDurationUs);
  q += 4;
  return q;
};

const decodeAudioFrame = (b: Uint8Array, p: number, end: number): AudioFrame => {
  let q = p;
  if (q + 4 > end) truncated('audio.frame', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 8 > end) truncated('audio.frame', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'audio.frame', 'timestampUs');
  q += 8;
  if (end - q > 8192) invalid('length_exceeded', 'audio.frame', 'data', end - q, 'at most 8192 bytes');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('audio.frame', end - q, q - p);
  return { channel: 'audio', type: 'frame', seq: f_seq, timestampUs: f_timestampUs, data: f_data };
};

const sizeAudioFrame = (m: AudioFrame): number => {
  checkBytes(m.data, 'audio.frame', 'data');
  return 12 + m.data.length;
};

const encodeAudioFrame = (m: AudioFrame, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'audio.frame', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.timestampUs, 0, 9007199254740991, 'audio.frame', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  if (m.data.length > 8192)
    invalid('length_exceeded', 'audio.frame', 'data', m.data.length, 'at most 8192 bytes');
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeMicrophoneConfig = (b: Uint8Array, p: number, end: number): MicrophoneConfig => {
  let q = p;
  if (q + 1 > end) truncated('microphone.config', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = AudioCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'microphone.config', 'codec', f_codecRaw, 'not a AudioCodec value');
  if (q + 4 > end) truncated('microphone.config', 'sampleRate', q - p);
  const f_sampleRate = r32(b, q);
  q += 4;
  if (f_sampleRate < 8000 || f_sampleRate > 48000)
    invalid('invalid_value', 'microphone.config', 'sampleRate', f_sampleRate, 'must be in [8000, 48000]');
  if (q + 1 > end) truncated('microphone.config', 'channels', q - p);
  const f_channels = r8(b, q);
  q += 1;
  if (f_channels < 1 || f_channels > 2)
    invalid('invalid_value', 'microphone.config', 'channels', f_channels, 'must be in [1, 2]');
  if (q + 4 > end) truncated('microphone.config', 'frameDurationUs', q - p);
  const f_frameDurationUs = r32(b, q);
  q += 4;
  if (f_frameDurationUs < 2500 || f_frameDurationUs > 120000)
    invalid(
      'invalid_value',
      'microphone.config',
      'frameDurationUs',
      f_frameDurationUs,
      'must be in [2500, 120000]',
    );
  if (q !== end) trailing('microphone.config', end - q, q - p);
  return {
    channel: 'microphone',
    type: 'config',
    codec: f_codec,
    sampleRate: f_sampleRate,
    channels: f_channels,
    frameDurationUs: f_frameDurationUs,
  };
};

const sizeMicrophoneConfig = (_m: MicrophoneConfig): number => {
  return 10;
};

const encodeMicrophoneConfig = (m: MicrophoneConfig, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(AudioCodec, m.codec, 'microphone.config', 'codec'));
  q += 1;
  checkUint(m.sampleRate, 8000, 48000, 'microphone.config', 'sampleRate');
  w32(b, q, m.sampleRate);
  q += 4;
  checkUint(m.channels, 1, 2, 'microphone.config', 'channels');
  w8(b, q, m.channels);
  q += 1;
  checkUint(m.frameDurationUs, 2500, 120000, 'microphone.config', 'frameDurationUs');
  w32(b, q, m.frameDurationUs);
  q += 4;
  return q;
};

const decodeMicrophoneFrame = (b: Uint8Array, p: number, end: number): MicrophoneFrame => {
  let q = p;
  if (q + 4 > end) truncated('microphone.frame', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 8 > end) truncated('microphone.frame', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'microphone.frame', 'timestampUs');
  q += 8;
  if (end - q > 8192) invalid('length_exceeded', 'microphone.frame', 'data', end - q, 'at most 8192 bytes');
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('microphone.frame', end - q, q - p);
  return { channel: 'microphone', type: 'frame', seq: f_seq, timestampUs: f_timestampUs, data: f_data };
};

const sizeMicrophoneFrame = (m: MicrophoneFrame): number => {
  checkBytes(m.data, 'microphone.frame', 'data');
  return 12 + m.data.length;
};

const encodeMicrophoneFrame = (m: MicrophoneFrame, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'microphone.frame', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.timestampUs, 0, 9007199254740991, 'microphone.frame', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  if (m.data.length > 8192)
    invalid('length_exceeded', 'microphone.frame', 'data', m.data.length, 'at most 8192 bytes');
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeMicrophoneStop = (b: Uint8Array, p: number, end: number): MicrophoneStop => {
  const q = p;
  if (q !== end) trailing('microphone.stop', end - q, q - p);
  return { channel: 'microphone', type: 'stop' };
};

const sizeMicrophoneStop = (_m: MicrophoneStop): number => {
  return 0;
};

const encodeMicrophoneStop = (_m: MicrophoneStop, b: Uint8Array, q: number): number => {
  return q;
};

const decodeCameraConfig = (b: Uint8Array, p: number, end: number): CameraConfig => {
  let q = p;
  if (q + 1 > end) truncated('camera.config', 'codec', q - p);
  const f_codecRaw = r8(b, q);
  q += 1;
  const f_codec = VideoCodecByValue[f_codecRaw];
  if (f_codec === undefined)
    return invalid('invalid_enum', 'camera.config', 'codec', f_codecRaw, 'not a VideoCodec value');
  if (q + 1 > end) truncated('camera.config', 'codecString', q - p);
  const f_codecStringLen = r8(b, q);
  q += 1;
  if (f_codecStringLen > 64)
    invalid('length_exceeded', 'camera.config', 'codecString', f_codecStringLen, 'at most 64 bytes');
  if (q + f_codecStringLen > end) truncated('camera.config', 'codecString', q - p);
  const f_codecString = rstr(b, q, q + f_codecStringLen, 'camera.config', 'codecString');
  q += f_codecStringLen;
  if (q + 2 > end) truncated('camera.config', 'width', q - p);
  const f_width = r16(b, q);
  q += 2;
  if (f_width < 1) invalid('invalid_value', 'camera.config', 'width', f_width, 'must be in [1, 65535]');
  if (q + 2 > end) truncated('camera.config', 'height', q - p);
  const f_height = r16(b, q);
  q += 2;
  if (f_height < 1) invalid('invalid_value', 'camera.config', 'height', f_height, 'must be in [1, 65535]');
  if (q + 1 > end) truncated('camera.config', 'fps', q - p);
  const f_fps = r8(b, q);
  q += 1;
  if (f_fps < 1 || f_fps > 60) invalid('invalid_value', 'camera.config', 'fps', f_fps, 'must be in [1, 60]');
  if (q !== end) trailing('camera.config', end - q, q - p);
  return {
    channel: 'camera',
    type: 'config',
    codec: f_codec,
    codecString: f_codecString,
    width: f_width,
    height: f_height,
    fps: f_fps,
  };
};

const sizeCameraConfig = (m: CameraConfig): number => {
  checkString(m.codecString, 'camera.config', 'codecString');
  return 7 + utf8Length(m.codecString, 'camera.config', 'codecString');
};

const encodeCameraConfig = (m: CameraConfig, b: Uint8Array, q: number): number => {
  w8(b, q, enumValue(VideoCodec, m.codec, 'camera.config', 'codec'));
  q += 1;
  const codecStringLen = utf8Length(m.codecString, 'camera.config', 'codecString');
  if (codecStringLen > 64)
    invalid('length_exceeded', 'camera.config', 'codecString', codecStringLen, 'at most 64 bytes');
  w8(b, q, codecStringLen);
  q = wstr(b, q + 1, m.codecString);
  checkUint(m.width, 1, 65535, 'camera.config', 'width');
  w16(b, q, m.width);
  q += 2;
  checkUint(m.height, 1, 65535, 'camera.config', 'height');
  w16(b, q, m.height);
  q += 2;
  checkUint(m.fps, 1, 60, 'camera.config', 'fps');
  w8(b, q, m.fps);
  q += 1;
  return q;
};

const decodeCameraFrame = (b: Uint8Array, p: number, end: number): CameraFrame => {
  let q = p;
  if (q + 4 > end) truncated('camera.frame', 'seq', q - p);
  const f_seq = r32(b, q);
  q += 4;
  if (q + 1 > end) truncated('camera.frame', 'flags', q - p);
  const f_flags = r8(b, q);
  q += 1;
  if ((f_flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'camera.frame', 'flags', f_flags, 'reserved VideoFlags bits set');
  if (q + 8 > end) truncated('camera.frame', 'timestampUs', q - p);
  const f_timestampUs = r64(b, q, 'camera.frame', 'timestampUs');
  q += 8;
  const f_data = b.subarray(q, end);
  q = end;
  if (q !== end) trailing('camera.frame', end - q, q - p);
  return {
    channel: 'camera',
    type: 'frame',
    seq: f_seq,
    flags: f_flags,
    timestampUs: f_timestampUs,
    data: f_data,
  };
};

const sizeCameraFrame = (m: CameraFrame): number => {
  checkBytes(m.data, 'camera.frame', 'data');
  return 13 + m.data.length;
};

const encodeCameraFrame = (m: CameraFrame, b: Uint8Array, q: number): number => {
  checkUint(m.seq, 0, 4294967295, 'camera.frame', 'seq');
  w32(b, q, m.seq);
  q += 4;
  checkUint(m.flags, 0, 255, 'camera.frame', 'flags');
  if ((m.flags & ~VideoFlagsMask) !== 0)
    invalid('invalid_flags', 'camera.frame', 'flags', m.flags, 'reserved VideoFlags bits set');
  w8(b, q, m.flags);
  q += 1;
  checkUint(m.timestampUs, 0, 9007199254740991, 'camera.frame', 'timestampUs');
  w64(b, q, m.timestampUs);
  q += 8;
  b.set(m.data, q);
  q += m.data.length;
  return q;
};

const decodeCameraStop = (b: Uint8Array, p: number, end: number): CameraStop => {
  const q = p;
  if (q !== end) trailing('camera.stop', end - q, q - p);
  return { channel: 'camera', type: 'stop' };
};

const sizeCameraStop = (_m: CameraStop): number => {
  return 0;
};

const encodeCameraStop = (_m: CameraStop, b: Uint8Array, q: number): number => {
  return q;
};

const decodeFeedbackReport = (b: Uint8Array, p: number, end: number): FeedbackReport => {
  let q = p;
  if (q + 2 > end) truncated('feedback.report', 'intervalMs', q - p);
  const f_intervalMs = r16(b, q);
  q += 2;
  if (f_intervalMs < 1)
    invalid('invalid_value', 'feedback.report', 'intervalMs', f_intervalMs, 'must be in [1, 65535]');
  if (q + 4 > end) truncated('feedback.report', 'rttUs', q - p);
  const f_rttUs = r32(b, q);
  q += 4;
  if (q + 4 > end) truncated('feedback.report', 'decodeTimeUs', q - p);
  const f_decodeTimeUs = r32(b, q);
  q += 4;
  if (q + 2 > end) truncated('feedback.report', 'framesDecoded', q - p);
  const f_framesDecoded = r16(b, q);
  q += 2;
  if (q + 2 > end) truncated('feedback.report', 'framesDropped', q - p);
  const f_framesDropped = r16(b, q);
  q += 2;
  if (q + 4 > end) truncated('feedback.report', 'bandwidthBps', q - p);
  const f_bandwidthBps = r32(b, q);
  q += 4;
  if (q + 2 > end) truncated('feedback.report', 'lossPermille', q - p);
  const f_lossPermille = r16(b, q);
  q += 2;
  if (f_lossPermille > 1000)
    invalid('invalid_value', 'feedback.report', 'lossPermille', f_lossPermille, 'must be in [0, 1000]');
  if (q + 2 > end) truncated('feedback.report', 'queueMs', q - p);
  const f_queueMs = r16(b, q);
  q += 2;
  if (q !== end) trailing('feedback.report', end - q, q - p);
  return {
    channel: 'feedback',
    type: 'report',
    intervalMs: f_intervalMs,
    rttUs: f_rttUs,
    decodeTimeUs: f_decodeTimeUs,
    framesDecoded: f_framesDecoded,
    framesDropped: f_framesDropped,
    bandwidthBps: f_bandwidthBps,
    lossPermille: f_lossPermille,
    queueMs: f_queueMs,
  };
};

const sizeFeedbackReport = (_m: FeedbackReport): number => {
  return 22;
};

const encodeFeedbackReport = (m: FeedbackReport, b: Uint8Array, q: number): number => {
  checkUint(m.intervalMs, 1, 65535, 'feedback.report', 'intervalMs');
  w16(b, q, m.intervalMs);
  q += 2;
  checkUint(m.rttUs, 0, 4294967295, 'feedback.report', 'rttUs');
  w32(b, q, m.rttUs);
  q += 4;
  checkUint(m.decodeTimeUs, 0, 4294967295, 'feedback.report', 'decodeTimeUs');
  w32(b, q, m.decodeTimeUs);
  q += 4;
  checkUint(m.framesDecoded, 0, 65535, 'feedback.report', 'framesDecoded');
  w16(b, q, m.framesDecoded);
  q += 2;
  checkUint(m.framesDropped, 0, 65535, 'feedback.report', 'framesDropped');
  w16(b, q, m.framesDropped);
  q += 2;
  checkUint(m.bandwidthBps, 0, 4294967295, 'feedback.report', 'bandwidthBps');
  w32(b, q, m.bandwidthBps);
  q += 4;
  checkUint(m.lossPermille, 0, 1000, 'feedback.report', 'lossPermille');
  w16(b, q, m.lossPermille);
  q += 2;
  checkUint(m.queueMs, 0, 65535, 'feedback.report', 'queueMs');
  w16(b, q, m.queueMs);
  q += 2;
  return q;
};

const decodeFeedbackTarget = (b: Uint8Array, p: number, end: number): FeedbackTarget => {
  let q = p;
  if (q + 4 > end) truncated('feedback.target', 'bitrateBps', q - p);
  const f_bitrateBps = r32(b, q);
  q += 4;
  if (f_bitrateBps < 1)
    invalid('invalid_value', 'feedback.target', 'bitrateBps', f_bitrateBps, 'must be in [1, 4294967295]');
  if (q + 1 > end) truncated('feedback.target', 'maxFps', q - p);
  const f_maxFps = r8(b, q);
  q += 1;
  if (f_maxFps < 1 || f_maxFps > 120)
    invalid('invalid_value', 'feedback.target', 'maxFps', f_maxFps, 'must be in [1, 120]');
  if (q + 2 > end) truncated('feedback.target', 'viewers', q - p);
  const f_viewers = r16(b, q);
  q += 2;
  if (q !== end) trailing('feedback.target', end - q, q - p);
  return {
    channel: 'feedback',
    type: 'target',
    bitrateBps: f_bitrateBps,
    maxFps: f_maxFps,
    viewers: f_viewers,
  };
};

const sizeFeedbackTarget = (_m: FeedbackTarget): number => {
  return 7;
};

const encodeFeedbackTarget = (m: FeedbackTarget, b: Uint8Array, q: number): number => {
  checkUint(m.bitrateBps, 1, 4294967295, 'feedback.target', 'bitrateBps');
  w32(b, q, m.bitrateBps);
  q += 4;
  checkUint(m.maxFps, 1, 120, 'feedback.target', 'maxFps');
  w8(b, q, m.maxFps);
  q += 1;
  checkUint(m.viewers, 0, 65535, 'feedback.target', 'viewers');
  w16(b, q, m.viewers);
  q += 2;
  return q;
};

// ---- tables

export type Direction = 'up' | 'down' | 'both';
/** Field layout, for tools (JSON conversion, vector mutation). offset is null after a variable-size field. */
export type FieldInfo = {
  readonly name: string;
  readonly type: string;
  readonly offset: number | null;
  readonly size: number | null;
  readonly enum?: string;
  readonly flags?: string;
  readonly const?: number;
};
export type MessageCodec<M extends Message = Message> = {
  readonly channel: M['channel'];
  readonly type: M['type'];
  readonly channelId: number;
  readonly typeId: number;
  readonly direction: Direction;
  /** Part of the version/capability handshake (allowed before the session is open). */
  readonly handshake: boolean;
  /** Capability that must have been negotiated, or null. */
  readonly capability: CapabilityName | null;
  /** Permission the viewer side needs to send it (for the gateway's role checks), or null. */
  readonly permission: keyof typeof Permissions | null;
  readonly fields: readonly FieldInfo[];
  readonly decode: (b: Uint8Array, start: number, end: number) => M;
  readonly size: (m: M) => number;
  readonly encode: (m: M, b: Uint8Array, at: number) => number;
};
/** Codec and metadata of every message, by channel and type. */
export const CODECS = {
  control: {
    hello: {
      channel: 'control',
      type: 'hello',
      channelId: 1,
      typeId: 1,
      direction: 'up',
      handshake: true,
      capability: null,
      permission: null,
      fields: [
        { name: 'magic', type: 'u32', offset: 0, size: 4, const: 1347899458 },
        { name: 'versions', type: 'list', offset: 4, size: null },
        { name: 'required', type: 'list', offset: null, size: null },
        { name: 'optional', type: 'list', offset: null, size: null },
        { name: 'maxFrameSize', type: 'u32', offset: null, size: 4 },
        { name: 'peer', type: 'enum', offset: null, size: 1, enum: 'PeerKind' },
        { name: 'agent', type: 'str8', offset: null, size: null },
      ],
      decode: decodeControlHello,
      size: sizeControlHello,
      encode: encodeControlHello,
    } satisfies MessageCodec<ControlHello>,
    selection: {
      channel: 'control',
      type: 'selection',
      channelId: 1,
      typeId: 2,
      direction: 'down',
      handshake: true,
      capability: null,
      permission: null,
      fields: [
        { name: 'version', type: 'u16', offset: 0, size: 2 },
        { name: 'capabilities', type: 'list', offset: 2, size: null },
        { name: 'maxFrameSize', type: 'u32', offset: null, size: 4 },
        { name: 'role', type: 'enum', offset: null, size: 1, enum: 'Role' },
        { name: 'permissions', type: 'flags', offset: null, size: 2, flags: 'Permissions' },
        { name: 'peer', type: 'enum', offset: null, size: 1, enum: 'PeerKind' },
        { name: 'agent', type: 'str8', offset: null, size: null },
      ],
      decode: decodeControlSelection,
      size: sizeControlSelection,
      encode: encodeControlSelection,
    } satisfies MessageCodec<ControlSelection>,
    reject: {
      channel: 'control',
      type: 'reject',
      channelId: 1,
      typeId: 3,
      direction: 'both',
      handshake: true,
      capability: null,
      permission: null,
      fields: [
        { name: 'code', type: 'enum', offset: 0, size: 2, enum: 'CloseCode' },
        { name: 'reason', type: 'str8', offset: 2, size: null },
      ],
      decode: decodeControlReject,
      size: sizeControlReject,
      encode: encodeControlReject,
    } satisfies MessageCodec<ControlReject>,
    close: {
      channel: 'control',
      type: 'close',
      channelId: 1,
      typeId: 4,
      direction: 'both',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'code', type: 'enum', offset: 0, size: 2, enum: 'CloseCode' },
        { name: 'reason', type: 'str8', offset: 2, size: null },
      ],
      decode: decodeControlClose,
      size: sizeControlClose,
      encode: encodeControlClose,
    } satisfies MessageCodec<ControlClose>,
    ping: {
      channel: 'control',
      type: 'ping',
      channelId: 1,
      typeId: 5,
      direction: 'both',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'timestampUs', type: 'u64', offset: 4, size: 8 },
      ],
      decode: decodeControlPing,
      size: sizeControlPing,
      encode: encodeControlPing,
    } satisfies MessageCodec<ControlPing>,
    pong: {
      channel: 'control',
      type: 'pong',
      channelId: 1,
      typeId: 6,
      direction: 'both',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'echoTimestampUs', type: 'u64', offset: 4, size: 8 },
        { name: 'timestampUs', type: 'u64', offset: 12, size: 8 },
      ],
      decode: decodeControlPong,
      size: sizeControlPong,
      encode: encodeControlPong,
    } satisfies MessageCodec<ControlPong>,
    resizeRequest: {
      channel: 'control',
      type: 'resizeRequest',
      channelId: 1,
      typeId: 7,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'resize',
      fields: [
        { name: 'width', type: 'u16', offset: 0, size: 2 },
        { name: 'height', type: 'u16', offset: 2, size: 2 },
        { name: 'scale', type: 'u16', offset: 4, size: 2 },
      ],
      decode: decodeControlResizeRequest,
      size: sizeControlResizeRequest,
      encode: encodeControlResizeRequest,
    } satisfies MessageCodec<ControlResizeRequest>,
    displayConfig: {
      channel: 'control',
      type: 'displayConfig',
      channelId: 1,
      typeId: 8,
      direction: 'down',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'width', type: 'u16', offset: 0, size: 2 },
        { name: 'height', type: 'u16', offset: 2, size: 2 },
        { name: 'scale', type: 'u16', offset: 4, size: 2 },
        { name: 'tileSize', type: 'u16', offset: 6, size: 2 },
        { name: 'flags', type: 'flags', offset: 8, size: 1, flags: 'DisplayFlags' },
      ],
      decode: decodeControlDisplayConfig,
      size: sizeControlDisplayConfig,
      encode: encodeControlDisplayConfig,
    } satisfies MessageCodec<ControlDisplayConfig>,
    keyframeRequest: {
      channel: 'control',
      type: 'keyframeRequest',
      channelId: 1,
      typeId: 9,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'streamId', type: 'u8', offset: 0, size: 1 },
        { name: 'reason', type: 'enum', offset: 1, size: 1, enum: 'KeyframeReason' },
      ],
      decode: decodeControlKeyframeRequest,
      size: sizeControlKeyframeRequest,
      encode: encodeControlKeyframeRequest,
    } satisfies MessageCodec<ControlKeyframeRequest>,
    resyncRequest: {
      channel: 'control',
      type: 'resyncRequest',
      channelId: 1,
      typeId: 10,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: null,
      fields: [{ name: 'reason', type: 'enum', offset: 0, size: 1, enum: 'ResyncReason' }],
      decode: decodeControlResyncRequest,
      size: sizeControlResyncRequest,
      encode: encodeControlResyncRequest,
    } satisfies MessageCodec<ControlResyncRequest>,
    roleChanged: {
      channel: 'control',
      type: 'roleChanged',
      channelId: 1,
      typeId: 11,
      direction: 'down',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'role', type: 'enum', offset: 0, size: 1, enum: 'Role' },
        { name: 'permissions', type: 'flags', offset: 1, size: 2, flags: 'Permissions' },
      ],
      decode: decodeControlRoleChanged,
      size: sizeControlRoleChanged,
      encode: encodeControlRoleChanged,
    } satisfies MessageCodec<ControlRoleChanged>,
    sessionNotice: {
      channel: 'control',
      type: 'sessionNotice',
      channelId: 1,
      typeId: 12,
      direction: 'down',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'kind', type: 'enum', offset: 0, size: 1, enum: 'NoticeKind' },
        { name: 'viewers', type: 'u16', offset: 1, size: 2 },
        { name: 'message', type: 'str16', offset: 3, size: null },
      ],
      decode: decodeControlSessionNotice,
      size: sizeControlSessionNotice,
      encode: encodeControlSessionNotice,
    } satisfies MessageCodec<ControlSessionNotice>,
    capabilities: {
      channel: 'control',
      type: 'capabilities',
      channelId: 1,
      typeId: 13,
      direction: 'both',
      handshake: false,
      capability: null,
      permission: null,
      fields: [
        { name: 'losslessCodecs', type: 'flags', offset: 0, size: 1, flags: 'LosslessCodecs' },
        { name: 'lossyCodecs', type: 'flags', offset: 1, size: 1, flags: 'LossyCodecs' },
        { name: 'cacheEntries', type: 'u32', offset: 2, size: 4 },
        { name: 'cacheBytes', type: 'u32', offset: 6, size: 4 },
        { name: 'maxClipboardBytes', type: 'u32', offset: 10, size: 4 },
        { name: 'maxFileBytes', type: 'u64', offset: 14, size: 8 },
      ],
      decode: decodeControlCapabilities,
      size: sizeControlCapabilities,
      encode: encodeControlCapabilities,
    } satisfies MessageCodec<ControlCapabilities>,
  },
  input: {
    pointerMove: {
      channel: 'input',
      type: 'pointerMove',
      channelId: 2,
      typeId: 1,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'input',
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'buttons', type: 'flags', offset: 4, size: 1, flags: 'Buttons' },
        { name: 'modifiers', type: 'flags', offset: 5, size: 1, flags: 'Modifiers' },
      ],
      decode: decodeInputPointerMove,
      size: sizeInputPointerMove,
      encode: encodeInputPointerMove,
    } satisfies MessageCodec<InputPointerMove>,
    pointerButton: {
      channel: 'input',
      type: 'pointerButton',
      channelId: 2,
      typeId: 2,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'input',
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'button', type: 'enum', offset: 4, size: 1, enum: 'PointerButton' },
        { name: 'down', type: 'bool', offset: 5, size: 1 },
        { name: 'modifiers', type: 'flags', offset: 6, size: 1, flags: 'Modifiers' },
      ],
      decode: decodeInputPointerButton,
      size: sizeInputPointerButton,
      encode: encodeInputPointerButton,
    } satisfies MessageCodec<InputPointerButton>,
    wheel: {
      channel: 'input',
      type: 'wheel',
      channelId: 2,
      typeId: 3,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'input',
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'dx', type: 'i16', offset: 4, size: 2 },
        { name: 'dy', type: 'i16', offset: 6, size: 2 },
        { name: 'mode', type: 'enum', offset: 8, size: 1, enum: 'WheelMode' },
        { name: 'modifiers', type: 'flags', offset: 9, size: 1, flags: 'Modifiers' },
      ],
      decode: decodeInputWheel,
      size: sizeInputWheel,
      encode: encodeInputWheel,
    } satisfies MessageCodec<InputWheel>,
    key: {
      channel: 'input',
      type: 'key',
      channelId: 2,
      typeId: 4,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'input',
      fields: [
        { name: 'code', type: 'u16', offset: 0, size: 2 },
        { name: 'down', type: 'bool', offset: 2, size: 1 },
        { name: 'repeat', type: 'bool', offset: 3, size: 1 },
        { name: 'modifiers', type: 'flags', offset: 4, size: 1, flags: 'Modifiers' },
        { name: 'key', type: 'str8', offset: 5, size: null },
        { name: 'text', type: 'str8', offset: null, size: null },
      ],
      decode: decodeInputKey,
      size: sizeInputKey,
      encode: encodeInputKey,
    } satisfies MessageCodec<InputKey>,
    composition: {
      channel: 'input',
      type: 'composition',
      channelId: 2,
      typeId: 5,
      direction: 'up',
      handshake: false,
      capability: 'inputIme',
      permission: 'input',
      fields: [
        { name: 'phase', type: 'enum', offset: 0, size: 1, enum: 'CompositionPhase' },
        { name: 'selectionStart', type: 'u16', offset: 1, size: 2 },
        { name: 'selectionEnd', type: 'u16', offset: 3, size: 2 },
        { name: 'text', type: 'str16', offset: 5, size: null },
      ],
      decode: decodeInputComposition,
      size: sizeInputComposition,
      encode: encodeInputComposition,
    } satisfies MessageCodec<InputComposition>,
    touch: {
      channel: 'input',
      type: 'touch',
      channelId: 2,
      typeId: 6,
      direction: 'up',
      handshake: false,
      capability: 'inputTouch',
      permission: 'input',
      fields: [
        { name: 'phase', type: 'enum', offset: 0, size: 1, enum: 'TouchPhase' },
        { name: 'modifiers', type: 'flags', offset: 1, size: 1, flags: 'Modifiers' },
        { name: 'points', type: 'list', offset: 2, size: null },
      ],
      decode: decodeInputTouch,
      size: sizeInputTouch,
      encode: encodeInputTouch,
    } satisfies MessageCodec<InputTouch>,
    releaseAll: {
      channel: 'input',
      type: 'releaseAll',
      channelId: 2,
      typeId: 7,
      direction: 'up',
      handshake: false,
      capability: null,
      permission: 'input',
      fields: [],
      decode: decodeInputReleaseAll,
      size: sizeInputReleaseAll,
      encode: encodeInputReleaseAll,
    } satisfies MessageCodec<InputReleaseAll>,
  },
  cursor: {
    shape: {
      channel: 'cursor',
      type: 'shape',
      channelId: 3,
      typeId: 1,
      direction: 'down',
      handshake: false,
      capability: 'cursorImage',
      permission: null,
      fields: [
        { name: 'cursorId', type: 'u32', offset: 0, size: 4 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
        { name: 'hotX', type: 'u16', offset: 8, size: 2 },
        { name: 'hotY', type: 'u16', offset: 10, size: 2 },
        { name: 'rgba', type: 'rest', offset: 12, size: null },
      ],
      decode: decodeCursorShape,
      size: sizeCursorShape,
      encode: encodeCursorShape,
    } satisfies MessageCodec<CursorShape>,
    select: {
      channel: 'cursor',
      type: 'select',
      channelId: 3,
      typeId: 2,
      direction: 'down',
      handshake: false,
      capability: 'cursorImage',
      permission: null,
      fields: [{ name: 'cursorId', type: 'u32', offset: 0, size: 4 }],
      decode: decodeCursorSelect,
      size: sizeCursorSelect,
      encode: encodeCursorSelect,
    } satisfies MessageCodec<CursorSelect>,
    position: {
      channel: 'cursor',
      type: 'position',
      channelId: 3,
      typeId: 3,
      direction: 'down',
      handshake: false,
      capability: 'cursorImage',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
      ],
      decode: decodeCursorPosition,
      size: sizeCursorPosition,
      encode: encodeCursorPosition,
    } satisfies MessageCodec<CursorPosition>,
    visibility: {
      channel: 'cursor',
      type: 'visibility',
      channelId: 3,
      typeId: 4,
      direction: 'down',
      handshake: false,
      capability: 'cursorImage',
      permission: null,
      fields: [{ name: 'visible', type: 'bool', offset: 0, size: 1 }],
      decode: decodeCursorVisibility,
      size: sizeCursorVisibility,
      encode: encodeCursorVisibility,
    } satisfies MessageCodec<CursorVisibility>,
  },
  clipboard: {
    text: {
      channel: 'clipboard',
      type: 'text',
      channelId: 4,
      typeId: 1,
      direction: 'both',
      handshake: false,
      capability: 'clipboardText',
      permission: 'clipboardWrite',
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'text', type: 'str32', offset: 4, size: null },
      ],
      decode: decodeClipboardText,
      size: sizeClipboardText,
      encode: encodeClipboardText,
    } satisfies MessageCodec<ClipboardText>,
    image: {
      channel: 'clipboard',
      type: 'image',
      channelId: 4,
      typeId: 2,
      direction: 'both',
      handshake: false,
      capability: 'clipboardImage',
      permission: 'clipboardWrite',
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'mime', type: 'enum', offset: 4, size: 1, enum: 'ImageMime' },
        { name: 'width', type: 'u16', offset: 5, size: 2 },
        { name: 'height', type: 'u16', offset: 7, size: 2 },
        { name: 'data', type: 'rest', offset: 9, size: null },
      ],
      decode: decodeClipboardImage,
      size: sizeClipboardImage,
      encode: encodeClipboardImage,
    } satisfies MessageCodec<ClipboardImage>,
  },
  file: {
    offer: {
      channel: 'file',
      type: 'offer',
      channelId: 5,
      typeId: 1,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'direction', type: 'enum', offset: 4, size: 1, enum: 'FileDirection' },
        { name: 'size', type: 'u64', offset: 5, size: 8 },
        { name: 'name', type: 'str16', offset: 13, size: null },
        { name: 'mime', type: 'str8', offset: null, size: null },
      ],
      decode: decodeFileOffer,
      size: sizeFileOffer,
      encode: encodeFileOffer,
    } satisfies MessageCodec<FileOffer>,
    accept: {
      channel: 'file',
      type: 'accept',
      channelId: 5,
      typeId: 2,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'offset', type: 'u64', offset: 4, size: 8 },
      ],
      decode: decodeFileAccept,
      size: sizeFileAccept,
      encode: encodeFileAccept,
    } satisfies MessageCodec<FileAccept>,
    chunk: {
      channel: 'file',
      type: 'chunk',
      channelId: 5,
      typeId: 3,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'offset', type: 'u64', offset: 4, size: 8 },
        { name: 'data', type: 'rest', offset: 12, size: null },
      ],
      decode: decodeFileChunk,
      size: sizeFileChunk,
      encode: encodeFileChunk,
    } satisfies MessageCodec<FileChunk>,
    ack: {
      channel: 'file',
      type: 'ack',
      channelId: 5,
      typeId: 4,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'offset', type: 'u64', offset: 4, size: 8 },
      ],
      decode: decodeFileAck,
      size: sizeFileAck,
      encode: encodeFileAck,
    } satisfies MessageCodec<FileAck>,
    complete: {
      channel: 'file',
      type: 'complete',
      channelId: 5,
      typeId: 5,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'size', type: 'u64', offset: 4, size: 8 },
        { name: 'sha256', type: 'fixed', offset: 12, size: 32 },
      ],
      decode: decodeFileComplete,
      size: sizeFileComplete,
      encode: encodeFileComplete,
    } satisfies MessageCodec<FileComplete>,
    result: {
      channel: 'file',
      type: 'result',
      channelId: 5,
      typeId: 6,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'status', type: 'enum', offset: 4, size: 1, enum: 'FileStatus' },
      ],
      decode: decodeFileResult,
      size: sizeFileResult,
      encode: encodeFileResult,
    } satisfies MessageCodec<FileResult>,
    cancel: {
      channel: 'file',
      type: 'cancel',
      channelId: 5,
      typeId: 7,
      direction: 'both',
      handshake: false,
      capability: 'fileTransfer',
      permission: null,
      fields: [
        { name: 'transferId', type: 'u32', offset: 0, size: 4 },
        { name: 'reason', type: 'enum', offset: 4, size: 1, enum: 'FileCancelReason' },
        { name: 'message', type: 'str8', offset: 5, size: null },
      ],
      decode: decodeFileCancel,
      size: sizeFileCancel,
      encode: encodeFileCancel,
    } satisfies MessageCodec<FileCancel>,
  },
  tiles: {
    frameBegin: {
      channel: 'tiles',
      type: 'frameBegin',
      channelId: 6,
      typeId: 1,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossless',
      permission: null,
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'timestampUs', type: 'u64', offset: 4, size: 8 },
        { name: 'flags', type: 'flags', offset: 12, size: 1, flags: 'FrameFlags' },
      ],
      decode: decodeTilesFrameBegin,
      size: sizeTilesFrameBegin,
      encode: encodeTilesFrameBegin,
    } satisfies MessageCodec<TilesFrameBegin>,
    frameEnd: {
      channel: 'tiles',
      type: 'frameEnd',
      channelId: 6,
      typeId: 2,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossless',
      permission: null,
      fields: [{ name: 'seq', type: 'u32', offset: 0, size: 4 }],
      decode: decodeTilesFrameEnd,
      size: sizeTilesFrameEnd,
      encode: encodeTilesFrameEnd,
    } satisfies MessageCodec<TilesFrameEnd>,
    fill: {
      channel: 'tiles',
      type: 'fill',
      channelId: 6,
      typeId: 3,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossless',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
        { name: 'rgba', type: 'u32', offset: 8, size: 4 },
      ],
      decode: decodeTilesFill,
      size: sizeTilesFill,
      encode: encodeTilesFill,
    } satisfies MessageCodec<TilesFill>,
    lossless: {
      channel: 'tiles',
      type: 'lossless',
      channelId: 6,
      typeId: 4,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossless',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
        { name: 'codec', type: 'enum', offset: 8, size: 1, enum: 'LosslessCodec' },
        { name: 'cacheId', type: 'u32', offset: 9, size: 4 },
        { name: 'data', type: 'rest', offset: 13, size: null },
      ],
      decode: decodeTilesLossless,
      size: sizeTilesLossless,
      encode: encodeTilesLossless,
    } satisfies MessageCodec<TilesLossless>,
    lossy: {
      channel: 'tiles',
      type: 'lossy',
      channelId: 6,
      typeId: 5,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossy',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
        { name: 'codec', type: 'enum', offset: 8, size: 1, enum: 'LossyCodec' },
        { name: 'quality', type: 'u8', offset: 9, size: 1 },
        { name: 'cacheId', type: 'u32', offset: 10, size: 4 },
        { name: 'data', type: 'rest', offset: 14, size: null },
      ],
      decode: decodeTilesLossy,
      size: sizeTilesLossy,
      encode: encodeTilesLossy,
    } satisfies MessageCodec<TilesLossy>,
    cacheRef: {
      channel: 'tiles',
      type: 'cacheRef',
      channelId: 6,
      typeId: 6,
      direction: 'down',
      handshake: false,
      capability: 'tilesCache',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'cacheId', type: 'u32', offset: 4, size: 4 },
      ],
      decode: decodeTilesCacheRef,
      size: sizeTilesCacheRef,
      encode: encodeTilesCacheRef,
    } satisfies MessageCodec<TilesCacheRef>,
    copyRect: {
      channel: 'tiles',
      type: 'copyRect',
      channelId: 6,
      typeId: 7,
      direction: 'down',
      handshake: false,
      capability: 'tilesCopyRect',
      permission: null,
      fields: [
        { name: 'srcX', type: 'u16', offset: 0, size: 2 },
        { name: 'srcY', type: 'u16', offset: 2, size: 2 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
        { name: 'dstX', type: 'u16', offset: 8, size: 2 },
        { name: 'dstY', type: 'u16', offset: 10, size: 2 },
      ],
      decode: decodeTilesCopyRect,
      size: sizeTilesCopyRect,
      encode: encodeTilesCopyRect,
    } satisfies MessageCodec<TilesCopyRect>,
    invalidate: {
      channel: 'tiles',
      type: 'invalidate',
      channelId: 6,
      typeId: 8,
      direction: 'down',
      handshake: false,
      capability: 'tilesLossless',
      permission: null,
      fields: [
        { name: 'x', type: 'u16', offset: 0, size: 2 },
        { name: 'y', type: 'u16', offset: 2, size: 2 },
        { name: 'width', type: 'u16', offset: 4, size: 2 },
        { name: 'height', type: 'u16', offset: 6, size: 2 },
      ],
      decode: decodeTilesInvalidate,
      size: sizeTilesInvalidate,
      encode: encodeTilesInvalidate,
    } satisfies MessageCodec<TilesInvalidate>,
    cacheMiss: {
      channel: 'tiles',
      type: 'cacheMiss',
      channelId: 6,
      typeId: 9,
      direction: 'up',
      handshake: false,
      capability: 'tilesCache',
      permission: null,
      fields: [
        { name: 'frameSeq', type: 'u32', offset: 0, size: 4 },
        { name: 'cacheId', type: 'u32', offset: 4, size: 4 },
        { name: 'x', type: 'u16', offset: 8, size: 2 },
        { name: 'y', type: 'u16', offset: 10, size: 2 },
      ],
      decode: decodeTilesCacheMiss,
      size: sizeTilesCacheMiss,
      encode: encodeTilesCacheMiss,
    } satisfies MessageCodec<TilesCacheMiss>,
    cacheEvict: {
      channel: 'tiles',
      type: 'cacheEvict',
      channelId: 6,
      typeId: 10,
      direction: 'down',
      handshake: false,
      capability: 'tilesCache',
      permission: null,
      fields: [{ name: 'cacheId', type: 'u32', offset: 0, size: 4 }],
      decode: decodeTilesCacheEvict,
      size: sizeTilesCacheEvict,
      encode: encodeTilesCacheEvict,
    } satisfies MessageCodec<TilesCacheEvict>,
  },
  video: {
    streamConfig: {
      channel: 'video',
      type: 'streamConfig',
      channelId: 7,
      typeId: 1,
      direction: 'down',
      handshake: false,
      capability: 'videoH264',
      permission: null,
      fields: [
        { name: 'streamId', type: 'u8', offset: 0, size: 1 },
        { name: 'codec', type: 'enum', offset: 1, size: 1, enum: 'VideoCodec' },
        { name: 'codecString', type: 'str8', offset: 2, size: null },
        { name: 'width', type: 'u16', offset: null, size: 2 },
        { name: 'height', type: 'u16', offset: null, size: 2 },
      ],
      decode: decodeVideoStreamConfig,
      size: sizeVideoStreamConfig,
      encode: encodeVideoStreamConfig,
    } satisfies MessageCodec<VideoStreamConfig>,
    accessUnit: {
      channel: 'video',
      type: 'accessUnit',
      channelId: 7,
      typeId: 2,
      direction: 'down',
      handshake: false,
      capability: 'videoH264',
      permission: null,
      fields: [
        { name: 'streamId', type: 'u8', offset: 0, size: 1 },
        { name: 'seq', type: 'u32', offset: 1, size: 4 },
        { name: 'flags', type: 'flags', offset: 5, size: 1, flags: 'VideoFlags' },
        { name: 'timestampUs', type: 'u64', offset: 6, size: 8 },
        { name: 'roiX', type: 'u16', offset: 14, size: 2 },
        { name: 'roiY', type: 'u16', offset: 16, size: 2 },
        { name: 'roiWidth', type: 'u16', offset: 18, size: 2 },
        { name: 'roiHeight', type: 'u16', offset: 20, size: 2 },
        { name: 'data', type: 'rest', offset: 22, size: null },
      ],
      decode: decodeVideoAccessUnit,
      size: sizeVideoAccessUnit,
      encode: encodeVideoAccessUnit,
    } satisfies MessageCodec<VideoAccessUnit>,
    fragment: {
      channel: 'video',
      type: 'fragment',
      channelId: 7,
      typeId: 3,
      direction: 'down',
      handshake: false,
      capability: 'videoDatagrams',
      permission: null,
      fields: [
        { name: 'streamId', type: 'u8', offset: 0, size: 1 },
        { name: 'seq', type: 'u32', offset: 1, size: 4 },
        { name: 'index', type: 'u16', offset: 5, size: 2 },
        { name: 'count', type: 'u16', offset: 7, size: 2 },
        { name: 'flags', type: 'flags', offset: 9, size: 1, flags: 'VideoFlags' },
        { name: 'timestampUs', type: 'u64', offset: 10, size: 8 },
        { name: 'roiX', type: 'u16', offset: 18, size: 2 },
        { name: 'roiY', type: 'u16', offset: 20, size: 2 },
        { name: 'roiWidth', type: 'u16', offset: 22, size: 2 },
        { name: 'roiHeight', type: 'u16', offset: 24, size: 2 },
        { name: 'data', type: 'rest', offset: 26, size: null },
      ],
      decode: decodeVideoFragment,
      size: sizeVideoFragment,
      encode: encodeVideoFragment,
    } satisfies MessageCodec<VideoFragment>,
    streamEnd: {
      channel: 'video',
      type: 'streamEnd',
      channelId: 7,
      typeId: 4,
      direction: 'down',
      handshake: false,
      capability: 'videoH264',
      permission: null,
      fields: [{ name: 'streamId', type: 'u8', offset: 0, size: 1 }],
      decode: decodeVideoStreamEnd,
      size: sizeVideoStreamEnd,
      encode: encodeVideoStreamEnd,
    } satisfies MessageCodec<VideoStreamEnd>,
  },
  audio: {
    config: {
      channel: 'audio',
      type: 'config',
      channelId: 8,
      typeId: 1,
      direction: 'down',
      handshake: false,
      capability: 'audioOpus',
      permission: 'audio',
      fields: [
        { name: 'codec', type: 'enum', offset: 0, size: 1, enum: 'AudioCodec' },
        { name: 'sampleRate', type: 'u32', offset: 1, size: 4 },
        { name: 'channels', type: 'u8', offset: 5, size: 1 },
        { name: 'frameDurationUs', type: 'u32', offset: 6, size: 4 },
      ],
      decode: decodeAudioConfig,
      size: sizeAudioConfig,
      encode: encodeAudioConfig,
    } satisfies MessageCodec<AudioConfig>,
    frame: {
      channel: 'audio',
      type: 'frame',
      channelId: 8,
      typeId: 2,
      direction: 'down',
      handshake: false,
      capability: 'audioOpus',
      permission: 'audio',
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'timestampUs', type: 'u64', offset: 4, size: 8 },
        { name: 'data', type: 'rest', offset: 12, size: null },
      ],
      decode: decodeAudioFrame,
      size: sizeAudioFrame,
      encode: encodeAudioFrame,
    } satisfies MessageCodec<AudioFrame>,
  },
  microphone: {
    config: {
      channel: 'microphone',
      type: 'config',
      channelId: 9,
      typeId: 1,
      direction: 'up',
      handshake: false,
      capability: 'microphoneOpus',
      permission: 'microphone',
      fields: [
        { name: 'codec', type: 'enum', offset: 0, size: 1, enum: 'AudioCodec' },
        { name: 'sampleRate', type: 'u32', offset: 1, size: 4 },
        { name: 'channels', type: 'u8', offset: 5, size: 1 },
        { name: 'frameDurationUs', type: 'u32', offset: 6, size: 4 },
      ],
      decode: decodeMicrophoneConfig,
      size: sizeMicrophoneConfig,
      encode: encodeMicrophoneConfig,
    } satisfies MessageCodec<MicrophoneConfig>,
    frame: {
      channel: 'microphone',
      type: 'frame',
      channelId: 9,
      typeId: 2,
      direction: 'up',
      handshake: false,
      capability: 'microphoneOpus',
      permission: 'microphone',
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'timestampUs', type: 'u64', offset: 4, size: 8 },
        { name: 'data', type: 'rest', offset: 12, size: null },
      ],
      decode: decodeMicrophoneFrame,
      size: sizeMicrophoneFrame,
      encode: encodeMicrophoneFrame,
    } satisfies MessageCodec<MicrophoneFrame>,
    stop: {
      channel: 'microphone',
      type: 'stop',
      channelId: 9,
      typeId: 3,
      direction: 'up',
      handshake: false,
      capability: 'microphoneOpus',
      permission: 'microphone',
      fields: [],
      decode: decodeMicrophoneStop,
      size: sizeMicrophoneStop,
      encode: encodeMicrophoneStop,
    } satisfies MessageCodec<MicrophoneStop>,
  },
  camera: {
    config: {
      channel: 'camera',
      type: 'config',
      channelId: 10,
      typeId: 1,
      direction: 'up',
      handshake: false,
      capability: 'cameraH264',
      permission: 'camera',
      fields: [
        { name: 'codec', type: 'enum', offset: 0, size: 1, enum: 'VideoCodec' },
        { name: 'codecString', type: 'str8', offset: 1, size: null },
        { name: 'width', type: 'u16', offset: null, size: 2 },
        { name: 'height', type: 'u16', offset: null, size: 2 },
        { name: 'fps', type: 'u8', offset: null, size: 1 },
      ],
      decode: decodeCameraConfig,
      size: sizeCameraConfig,
      encode: encodeCameraConfig,
    } satisfies MessageCodec<CameraConfig>,
    frame: {
      channel: 'camera',
      type: 'frame',
      channelId: 10,
      typeId: 2,
      direction: 'up',
      handshake: false,
      capability: 'cameraH264',
      permission: 'camera',
      fields: [
        { name: 'seq', type: 'u32', offset: 0, size: 4 },
        { name: 'flags', type: 'flags', offset: 4, size: 1, flags: 'VideoFlags' },
        { name: 'timestampUs', type: 'u64', offset: 5, size: 8 },
        { name: 'data', type: 'rest', offset: 13, size: null },
      ],
      decode: decodeCameraFrame,
      size: sizeCameraFrame,
      encode: encodeCameraFrame,
    } satisfies MessageCodec<CameraFrame>,
    stop: {
      channel: 'camera',
      type: 'stop',
      channelId: 10,
      typeId: 3,
      direction: 'up',
      handshake: false,
      capability: 'cameraH264',
      permission: 'camera',
      fields: [],
      decode: decodeCameraStop,
      size: sizeCameraStop,
      encode: encodeCameraStop,
    } satisfies MessageCodec<CameraStop>,
  },
  feedback: {
    report: {
      channel: 'feedback',
      type: 'report',
      channelId: 11,
      typeId: 1,
      direction: 'up',
      handshake: false,
      capability: 'feedback',
      permission: null,
      fields: [
        { name: 'intervalMs', type: 'u16', offset: 0, size: 2 },
        { name: 'rttUs', type: 'u32', offset: 2, size: 4 },
        { name: 'decodeTimeUs', type: 'u32', offset: 6, size: 4 },
        { name: 'framesDecoded', type: 'u16', offset: 10, size: 2 },
        { name: 'framesDropped', type: 'u16', offset: 12, size: 2 },
        { name: 'bandwidthBps', type: 'u32', offset: 14, size: 4 },
        { name: 'lossPermille', type: 'u16', offset: 18, size: 2 },
        { name: 'queueMs', type: 'u16', offset: 20, size: 2 },
      ],
      decode: decodeFeedbackReport,
      size: sizeFeedbackReport,
      encode: encodeFeedbackReport,
    } satisfies MessageCodec<FeedbackReport>,
    target: {
      channel: 'feedback',
      type: 'target',
      channelId: 11,
      typeId: 2,
      direction: 'up',
      handshake: false,
      capability: 'feedback',
      permission: null,
      fields: [
        { name: 'bitrateBps', type: 'u32', offset: 0, size: 4 },
        { name: 'maxFps', type: 'u8', offset: 4, size: 1 },
        { name: 'viewers', type: 'u16', offset: 5, size: 2 },
      ],
      decode: decodeFeedbackTarget,
      size: sizeFeedbackTarget,
      encode: encodeFeedbackTarget,
    } satisfies MessageCodec<FeedbackTarget>,
  },
} as const;
