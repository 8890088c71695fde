import type { Message } from '@bpane/protocol';
import { AudioCapture } from '../audio/audio-capture';
import { CdpClient } from '../cdp/cdp-client';
import { XClipboard } from '../clipboard/x-clipboard';
import type { HostAgentConfig } from '../config/host-agent-config';
import { CursorTracker } from '../cursor/cursor-tracker';
import { FileFolders } from '../files/file-folders';
import { InputInjector } from '../input/input-injector';
import type { MediaOutput, MediaSink } from '../media/media-output';
import type { StreamFeedback } from '../stream/rate-controller';
import { StreamEngine } from '../stream/stream-engine';
import { XConnection } from '../x11/x-connection';

/**
 * What the host link needs from the rest of the host agent (the seam between the link and the
 * media pipeline). `LiveMedia` is the production implementation on a running runtime.
 */
export interface LinkMedia {
  /** Routes every media output to `sink` until the returned function is called. One sink at a time. */
  attach(sink: MediaSink): () => void;
  /** Every tile again (no cache references), a keyframe from every ROI encoder, the cursor again. */
  requestSnapshot(): void;
  requestKeyframe(): void;
  /** The viewer does not hold the tile at (x, y) any more: paint it again. */
  repaint(x: number, y: number): void;
  feedback(f: StreamFeedback): void;
  resize(width: number, height: number): Promise<void>;
  /** Applies one `input.*` message. */
  input(message: Extract<Message, { channel: 'input' }>): void;
  releaseAll(): void;
  setClipboard(text: string): Promise<void>;
  /** The runtime's upload and download folders (null: no file transfers). */
  readonly folders: FileFolders | null;
}

export type LiveMediaRuntime = Readonly<{
  display: number;
  cdpPort: number;
  resize: (size: { width: number; height: number }) => Promise<{ width: number; height: number }>;
  /** PulseAudio server of the runtime; when set, desktop audio is captured as Opus. */
  pulseServer?: string;
  /** Upload and download folders; when set, finished downloads are announced (`file-available`). */
  files?: Readonly<{ uploads: string; downloads: string }>;
}>;

/**
 * The media pipeline of one runtime, started on the first link: the stream engine (tiles + ROI
 * video), the cursor tracker, the X clipboard and the XTEST input injector. Outputs go to the one
 * attached sink; with no sink they are dropped (a new link always starts with a snapshot).
 */
export class LiveMedia implements LinkMedia {
  private sink: MediaSink | null = null;
  private audio: AudioCapture | null = null;
  folders: FileFolders | null = null;
  private readonly relay: MediaSink = { emit: (o: MediaOutput) => this.sink?.emit(o) };

  private constructor(
    private readonly engine: StreamEngine,
    private readonly cursor: CursorTracker,
    private readonly clipboard: XClipboard,
    private readonly injector: InputInjector,
    private readonly connections: readonly XConnection[],
    private readonly cdp: CdpClient | null,
    private readonly runtime: LiveMediaRuntime,
    private readonly offClipboard: () => void,
  ) {}

  static async start(cfg: HostAgentConfig, runtime: LiveMediaRuntime): Promise<LiveMedia> {
    let relayTarget: LiveMedia | null = null;
    const relay: MediaSink = { emit: (o) => relayTarget?.relay.emit(o) };
    const xInput = await XConnection.open(runtime.display);
    const xCursor = await XConnection.open(runtime.display);
    const xClip = await XConnection.open(runtime.display);
    const cdp = await CdpClient.connectToPage(runtime.cdpPort).catch(() => null);
    const injector = await InputInjector.open(
      xInput,
      cdp === null
        ? {}
        : { insertText: (text) => cdp.send('Input.insertText', { text }).then(() => undefined) },
    );
    const clipboard = await XClipboard.open(xClip, cfg.clipboardMaxBytes);
    const offClipboard = clipboard.onText((text) => relay.emit({ kind: 'clipboard-text', text }));
    const cursor = await CursorTracker.start(xCursor, relay);
    const engine = await StreamEngine.start(
      runtime.display,
      {
        tileSize: cfg.tileSize,
        codec: cfg.tileCodec,
        cacheEntries: cfg.cacheEntries,
        maxFps: cfg.maxFps,
        roiBitrateKbps: cfg.roiBitrateKbps,
        roiMinBitrateKbps: cfg.roiMinBitrateKbps,
        roiMaxBitrateKbps: cfg.roiMaxBitrateKbps,
      },
      relay,
    );
    const media = new LiveMedia(
      engine,
      cursor,
      clipboard,
      injector,
      [xInput, xCursor, xClip],
      cdp,
      runtime,
      offClipboard,
    );
    relayTarget = media;
    if (runtime.pulseServer !== undefined) media.audio = new AudioCapture(runtime.pulseServer, relay);
    if (runtime.files !== undefined) {
      media.folders = new FileFolders(runtime.files.uploads, runtime.files.downloads);
      media.folders.watchDownloads(relay);
    }
    return media;
  }

  attach(sink: MediaSink): () => void {
    this.sink = sink;
    const cap = this.engine.capture;
    sink.emit({ kind: 'screen-size', width: cap.width, height: cap.height });
    this.requestSnapshot();
    return () => {
      if (this.sink === sink) this.sink = null;
    };
  }

  requestSnapshot(): void {
    this.cursor.reset();
    this.engine.requestSnapshot();
  }

  requestKeyframe(): void {
    this.engine.requestKeyframe();
  }

  repaint(x: number, y: number): void {
    const enc = this.engine.tileEncoder;
    enc.invalidate(enc.grid.tilesIn({ x, y, w: 1, h: 1 }));
    this.engine.requestKeyframe();
  }

  feedback(f: StreamFeedback): void {
    this.engine.feedback(f);
  }

  async resize(width: number, height: number): Promise<void> {
    // no capture while the screen changes size (a GetImage of the old size fails with BadMatch)
    await this.engine.pause();
    const size = await this.runtime.resize({ width, height }).catch(async (e: unknown) => {
      await this.engine.resize({ width: this.engine.capture.width, height: this.engine.capture.height });
      throw e;
    });
    await this.engine.resize(size);
  }

  input(m: Extract<Message, { channel: 'input' }>): void {
    switch (m.type) {
      case 'pointerMove':
        this.injector.moveTo(m.x, m.y);
        return;
      case 'pointerButton':
        this.injector.button(m.button, m.down, m.x, m.y);
        return;
      case 'wheel':
        this.injector.wheel(m.dx, m.dy, m.mode, m.x, m.y);
        return;
      case 'key':
        this.injector.key(m.code, m.down, m.modifiers);
        return;
      case 'composition':
        if (m.phase === 'commit') void this.injector.typeText(m.text).catch(() => undefined);
        return;
      case 'touch': {
        const p = m.points[0];
        if (p === undefined) return;
        if (m.phase === 'start') this.injector.button('left', true, p.x, p.y);
        else if (m.phase === 'move') this.injector.moveTo(p.x, p.y);
        else this.injector.button('left', false, p.x, p.y);
        return;
      }
      case 'releaseAll':
        this.injector.releaseAll();
        return;
    }
  }

  releaseAll(): void {
    this.injector.releaseAll();
  }

  async setClipboard(text: string): Promise<void> {
    await this.clipboard.setText(text);
  }

  async stop(): Promise<void> {
    this.sink = null;
    this.audio?.stop();
    this.folders?.stop();
    this.injector.releaseAll();
    this.offClipboard();
    this.cursor.stop();
    await this.engine.stop();
    this.clipboard.close();
    this.cdp?.close();
    for (const x of this.connections) x.close();
  }
}
