import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { FileMessage, Message } from '@bpane/protocol';
import type { FileFolders } from './file-folders';

const CHUNK = 64 * 1024;

/**
 * The file channel on the host side, one instance per link. Downloads: a finished download is
 * offered (`file.offer`, direction download); after `file.accept` it is streamed in 64 KiB chunks
 * from the accepted offset, then `file.complete` with its SHA-256. Uploads: an offer within the size
 * limit is accepted, chunks must arrive in order (each acknowledged), and on `file.complete` size and
 * SHA-256 are checked before the file is written to the upload folder (`file.result`).
 */
export class FileTransfers {
  private nextId = 1;
  private readonly outgoing = new Map<number, { path: string; size: number }>();
  private readonly incoming = new Map<
    number,
    { name: string; size: number; chunks: Buffer[]; received: number }
  >();

  constructor(
    private readonly folders: FileFolders,
    private readonly send: (m: Message) => void,
    readonly maxUploadBytes = 512 * 1024 * 1024,
  ) {}

  offerDownload(name: string, path: string): void {
    const transferId = this.nextId++;
    const size = statSync(path).size;
    this.outgoing.set(transferId, { path, size });
    this.send({
      channel: 'file',
      type: 'offer',
      transferId,
      direction: 'download',
      size,
      name,
      mime: 'application/octet-stream',
    });
  }

  async handle(m: FileMessage): Promise<void> {
    switch (m.type) {
      case 'accept': {
        const out = this.outgoing.get(m.transferId);
        if (!out) return;
        this.outgoing.delete(m.transferId);
        const hash = createHash('sha256');
        let offset = 0;
        for await (const chunk of createReadStream(out.path, { highWaterMark: CHUNK })) {
          const buf = chunk as Buffer;
          hash.update(buf);
          if (offset + buf.length > m.offset) {
            const from = Math.max(0, m.offset - offset);
            this.send({
              channel: 'file',
              type: 'chunk',
              transferId: m.transferId,
              offset: offset + from,
              data: new Uint8Array(buf.subarray(from)),
            });
          }
          offset += buf.length;
        }
        this.send({
          channel: 'file',
          type: 'complete',
          transferId: m.transferId,
          size: offset,
          sha256: new Uint8Array(hash.digest()),
        });
        return;
      }
      case 'offer': {
        if (m.direction !== 'upload') return;
        if (m.size > this.maxUploadBytes) {
          this.send({
            channel: 'file',
            type: 'cancel',
            transferId: m.transferId,
            reason: 'tooLarge',
            message: `uploads are limited to ${this.maxUploadBytes} bytes`,
          });
          return;
        }
        this.incoming.set(m.transferId, { name: m.name, size: m.size, chunks: [], received: 0 });
        this.send({ channel: 'file', type: 'accept', transferId: m.transferId, offset: 0 });
        return;
      }
      case 'chunk': {
        const inc = this.incoming.get(m.transferId);
        if (!inc) return;
        if (m.offset !== inc.received || inc.received + m.data.length > inc.size) {
          this.incoming.delete(m.transferId);
          this.send({
            channel: 'file',
            type: 'cancel',
            transferId: m.transferId,
            reason: 'protocol',
            message: 'chunk out of order or beyond the offered size',
          });
          return;
        }
        inc.chunks.push(Buffer.from(m.data));
        inc.received += m.data.length;
        this.send({ channel: 'file', type: 'ack', transferId: m.transferId, offset: inc.received });
        return;
      }
      case 'complete': {
        const inc = this.incoming.get(m.transferId);
        if (!inc) return;
        this.incoming.delete(m.transferId);
        const data = Buffer.concat(inc.chunks);
        if (data.length !== m.size || data.length !== inc.size) {
          this.send({ channel: 'file', type: 'result', transferId: m.transferId, status: 'sizeMismatch' });
          return;
        }
        if (!createHash('sha256').update(data).digest().equals(Buffer.from(m.sha256))) {
          this.send({
            channel: 'file',
            type: 'result',
            transferId: m.transferId,
            status: 'checksumMismatch',
          });
          return;
        }
        try {
          this.folders.writeUpload(inc.name, data);
          this.send({ channel: 'file', type: 'result', transferId: m.transferId, status: 'ok' });
        } catch {
          this.send({ channel: 'file', type: 'result', transferId: m.transferId, status: 'ioError' });
        }
        return;
      }
      case 'cancel':
        this.outgoing.delete(m.transferId);
        this.incoming.delete(m.transferId);
        return;
      case 'ack':
      case 'result':
        return;
    }
  }
}
