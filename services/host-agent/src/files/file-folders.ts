import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
  watch,
  writeFileSync,
  type FSWatcher,
  type ReadStream,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { MediaSink } from '../media/media-output';

/** A safe file name: no directories, no control characters, no leading dots, ≤ 200 bytes. */
export const safeFileName = (name: string): string => {
  const base = basename(name.replace(/\\/g, '/'))
    .replace(/[\s\S]/gu, (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || c === '/' ? '_' : c))
    .replace(/^\.+/, '_')
    .trim();
  let out = base === '' ? 'file' : base;
  while (Buffer.byteLength(out) > 200) out = out.slice(0, -1);
  return out;
};

/**
 * The runtime's upload and download folders. Uploads are written atomically (temp file + rename)
 * under a safe, unique name; the browser picks them from `uploads/` in its file chooser. Downloads
 * are Chromium's download directory (set in the profile); a file is announced (`file-available`)
 * once Chromium has renamed it from `.crdownload` and its size stayed the same for two polls.
 */
export class FileFolders {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly sizes = new Map<string, { size: number; stable: number }>();
  private readonly announced = new Set<string>();

  constructor(
    readonly uploads: string,
    readonly downloads: string,
    private readonly maxUploadBytes = 512 * 1024 * 1024,
  ) {
    mkdirSync(uploads, { recursive: true });
    mkdirSync(downloads, { recursive: true });
  }

  /** Stores an uploaded file; returns its path (a suffix is added if the name is taken). */
  writeUpload(name: string, data: Uint8Array): string {
    if (data.length > this.maxUploadBytes) throw new Error(`upload exceeds ${this.maxUploadBytes} bytes`);
    const safe = safeFileName(name);
    let target = join(this.uploads, safe);
    for (let i = 1; existsSync(target); i++) {
      const dot = safe.lastIndexOf('.');
      target = join(
        this.uploads,
        dot > 0 ? `${safe.slice(0, dot)} (${i})${safe.slice(dot)}` : `${safe} (${i})`,
      );
    }
    const tmp = join(this.uploads, `.${process.pid}.${Date.now()}.part`);
    writeFileSync(tmp, data);
    renameSync(tmp, target);
    return target;
  }

  /** Watches the download folder and announces finished downloads on `sink`. */
  watchDownloads(sink: MediaSink, pollMs = 250): void {
    const scan = (): void => {
      for (const name of readdirSync(this.downloads)) {
        if (name.endsWith('.crdownload') || name.startsWith('.') || this.announced.has(name)) continue;
        let size: number;
        try {
          const st = statSync(join(this.downloads, name));
          if (!st.isFile()) continue;
          size = st.size;
        } catch {
          continue;
        }
        const prev = this.sizes.get(name);
        const stable = prev && prev.size === size ? prev.stable + 1 : 0;
        this.sizes.set(name, { size, stable });
        if (stable >= 2) {
          this.announced.add(name);
          this.sizes.delete(name);
          sink.emit({ kind: 'file-available', name, size, path: join(this.downloads, name) });
        }
      }
    };
    this.watcher = watch(this.downloads, () => scan());
    this.timer = setInterval(scan, pollMs);
    scan();
  }

  /** Opens a finished download for streaming to a viewer. */
  openDownload(name: string): ReadStream {
    const safe = safeFileName(name);
    if (!this.announced.has(safe)) throw new Error(`no finished download named ${safe}`);
    return createReadStream(join(this.downloads, safe));
  }

  stop(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    this.watcher = null;
    this.timer = null;
  }
}
