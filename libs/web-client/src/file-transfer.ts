import { Permissions, type FileCancelReason, type Message } from '@bpane/protocol';

type FileMessage = Extract<Message, { channel: 'file' }>;

export type DownloadedFile = Readonly<{ name: string; mime: string; blob: Blob }>;

export type FileHost = Readonly<{
  send: (m: Message) => void;
  may: (permission: number) => boolean;
  downloaded: (f: DownloadedFile) => void;
  error: (message: string) => void;
}>;

/** Chunk size of uploads (SPEC §8 Files: SHOULD be 64 KiB). */
export const FILE_CHUNK_BYTES = 64 * 1024;
/** Bytes an upload sends beyond the last acknowledged offset before it waits. */
export const FILE_WINDOW_BYTES = 1024 * 1024;

export const sha256 = async (data: BufferSource): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', data));

type Upload = {
  readonly id: number;
  readonly bytes: Uint8Array;
  acked: number;
  next: number;
  resolve: () => void;
  reject: (e: Error) => void;
  sending: boolean;
};

type Download = {
  readonly id: number;
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  parts: Uint8Array[];
  held: number;
};

/**
 * The file channel (SPEC §8 Files): uploads from the viewer (offer → accept(offset) → chunks within
 * a window of acknowledged bytes → complete with SHA-256 → result) and downloads from the host
 * (accepted when the role may download, checked against the SHA-256, handed to the page as a Blob).
 */
export class FileTransfers {
  readonly #uploads = new Map<number, Upload>();
  readonly #downloads = new Map<number, Download>();
  #nextId = 1;

  constructor(private readonly host: FileHost) {}

  async upload(file: Blob & { name?: string }): Promise<void> {
    if (!this.host.may(Permissions.upload)) throw new Error('this role may not upload files');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const id = this.#nextId++ >>> 0;
    return new Promise<void>((resolve, reject) => {
      this.#uploads.set(id, { id, bytes, acked: 0, next: 0, resolve, reject, sending: false });
      this.host.send({
        channel: 'file',
        type: 'offer',
        transferId: id,
        direction: 'upload',
        size: bytes.length,
        name: (file.name ?? 'upload.bin').slice(0, 255),
        mime: (file.type || 'application/octet-stream').slice(0, 127),
      });
    });
  }

  message(m: FileMessage): void {
    switch (m.type) {
      case 'accept': {
        const u = this.#uploads.get(m.transferId);
        if (u === undefined) return;
        u.next = Math.min(m.offset, u.bytes.length);
        u.acked = u.next;
        this.#pump(u);
        return;
      }
      case 'ack': {
        const u = this.#uploads.get(m.transferId);
        if (u === undefined) return;
        u.acked = Math.max(u.acked, m.offset);
        this.#pump(u);
        return;
      }
      case 'result': {
        const u = this.#uploads.get(m.transferId);
        if (u === undefined) return;
        this.#uploads.delete(m.transferId);
        if (m.status === 'ok') u.resolve();
        else u.reject(new Error(`upload failed: ${m.status}`));
        return;
      }
      case 'offer':
        if (m.direction !== 'download') return;
        if (!this.host.may(Permissions.download)) {
          this.host.send({
            channel: 'file',
            type: 'cancel',
            transferId: m.transferId,
            reason: 'notPermitted',
            message: 'this role may not download',
          });
          return;
        }
        this.#downloads.set(m.transferId, {
          id: m.transferId,
          name: m.name,
          mime: m.mime,
          size: m.size,
          parts: [],
          held: 0,
        });
        this.host.send({ channel: 'file', type: 'accept', transferId: m.transferId, offset: 0 });
        return;
      case 'chunk': {
        const d = this.#downloads.get(m.transferId);
        if (d === undefined || m.offset !== d.held) return;
        d.parts.push(m.data.slice());
        d.held += m.data.length;
        this.host.send({ channel: 'file', type: 'ack', transferId: d.id, offset: d.held });
        return;
      }
      case 'complete': {
        const d = this.#downloads.get(m.transferId);
        if (d === undefined) return;
        this.#downloads.delete(m.transferId);
        void this.#finishDownload(d, m.size, m.sha256);
        return;
      }
      case 'cancel': {
        const u = this.#uploads.get(m.transferId);
        if (u !== undefined) {
          this.#uploads.delete(m.transferId);
          u.reject(new Error(`upload cancelled: ${m.reason}${m.message ? ` (${m.message})` : ''}`));
        }
        this.#downloads.delete(m.transferId);
        return;
      }
    }
  }

  /** Cancels every transfer; `tell` sends `cancel` to the peer (false when the connection is gone). */
  cancelAll(reason: FileCancelReason | 'disconnected', tell = true): void {
    const r: FileCancelReason = reason === 'disconnected' ? 'user' : reason;
    for (const u of this.#uploads.values()) {
      if (tell) this.host.send({ channel: 'file', type: 'cancel', transferId: u.id, reason: r, message: '' });
      u.reject(
        new Error(
          reason === 'disconnected' ? 'upload interrupted: the connection closed' : 'upload cancelled',
        ),
      );
    }
    this.#uploads.clear();
    if (tell)
      for (const d of this.#downloads.values())
        this.host.send({ channel: 'file', type: 'cancel', transferId: d.id, reason: r, message: '' });
    this.#downloads.clear();
  }

  #pump(u: Upload): void {
    if (u.sending) return;
    u.sending = true;
    while (u.next < u.bytes.length && u.next - u.acked < FILE_WINDOW_BYTES) {
      const end = Math.min(u.bytes.length, u.next + FILE_CHUNK_BYTES);
      this.host.send({
        channel: 'file',
        type: 'chunk',
        transferId: u.id,
        offset: u.next,
        data: u.bytes.subarray(u.next, end),
      });
      u.next = end;
    }
    u.sending = false;
    if (u.next === u.bytes.length && !('completing' in u)) {
      Object.assign(u, { completing: true });
      void sha256(u.bytes as Uint8Array<ArrayBuffer>).then((digest) =>
        this.host.send({
          channel: 'file',
          type: 'complete',
          transferId: u.id,
          size: u.bytes.length,
          sha256: digest,
        }),
      );
    }
  }

  async #finishDownload(d: Download, size: number, expected: Uint8Array): Promise<void> {
    const blob = new Blob(d.parts as Uint8Array<ArrayBuffer>[], { type: d.mime });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const digest = await sha256(bytes);
    const same = digest.length === expected.length && digest.every((b, i) => b === expected[i]);
    const status = bytes.length !== size ? 'sizeMismatch' : same ? 'ok' : 'checksumMismatch';
    this.host.send({ channel: 'file', type: 'result', transferId: d.id, status });
    if (status === 'ok') this.host.downloaded({ name: d.name, mime: d.mime, blob });
    else this.host.error(`download ${d.name}: ${status}`);
  }
}
