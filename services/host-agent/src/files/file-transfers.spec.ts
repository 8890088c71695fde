import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame, encode, type Message } from '@bpane/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { FileFolders } from './file-folders';
import { FileTransfers } from './file-transfers';

const roots: string[] = [];
const setup = (): { folders: FileFolders; sent: Message[]; ft: FileTransfers } => {
  const root = mkdtempSync(join(tmpdir(), 'bpane-ft-'));
  roots.push(root);
  const folders = new FileFolders(join(root, 'up'), join(root, 'down'));
  const sent: Message[] = [];
  // every message crosses the wire encoding
  const ft = new FileTransfers(folders, (m) => sent.push(decodeFrame(encode(m))), 300_000);
  return { folders, sent, ft };
};
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const sha = (b: Buffer): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

describe('FileTransfers', () => {
  it('receives an upload in order, checks size and digest, and stores it under a safe name', async () => {
    const { folders, sent, ft } = setup();
    const data = Buffer.from('upload '.repeat(20_000));
    await ft.handle({
      channel: 'file',
      type: 'offer',
      transferId: 3,
      direction: 'upload',
      size: data.length,
      name: '../../x.txt',
      mime: 'text/plain',
    });
    expect(sent).toContainEqual({ channel: 'file', type: 'accept', transferId: 3, offset: 0 });
    for (let off = 0; off < data.length; off += 65536)
      await ft.handle({
        channel: 'file',
        type: 'chunk',
        transferId: 3,
        offset: off,
        data: new Uint8Array(data.subarray(off, off + 65536)),
      });
    expect(sent.filter((m) => m.type === 'ack').at(-1)).toMatchObject({ offset: data.length });
    await ft.handle({
      channel: 'file',
      type: 'complete',
      transferId: 3,
      size: data.length,
      sha256: sha(data),
    });
    expect(sent.at(-1)).toEqual({ channel: 'file', type: 'result', transferId: 3, status: 'ok' });
    expect(readFileSync(join(folders.uploads, 'x.txt')).equals(data)).toBe(true);
  });

  it('refuses a wrong digest, chunks out of order and uploads over the limit', async () => {
    const { sent, ft } = setup();
    const data = Buffer.from('abc');
    await ft.handle({
      channel: 'file',
      type: 'offer',
      transferId: 1,
      direction: 'upload',
      size: 3,
      name: 'a',
      mime: '',
    });
    await ft.handle({ channel: 'file', type: 'chunk', transferId: 1, offset: 0, data: new Uint8Array(data) });
    await ft.handle({
      channel: 'file',
      type: 'complete',
      transferId: 1,
      size: 3,
      sha256: sha(Buffer.from('abd')),
    });
    expect(sent.at(-1)).toMatchObject({ type: 'result', status: 'checksumMismatch' });
    await ft.handle({
      channel: 'file',
      type: 'offer',
      transferId: 2,
      direction: 'upload',
      size: 3,
      name: 'b',
      mime: '',
    });
    await ft.handle({ channel: 'file', type: 'chunk', transferId: 2, offset: 1, data: new Uint8Array(data) });
    expect(sent.at(-1)).toMatchObject({ type: 'cancel', reason: 'protocol' });
    await ft.handle({
      channel: 'file',
      type: 'offer',
      transferId: 4,
      direction: 'upload',
      size: 300_001,
      name: 'c',
      mime: '',
    });
    expect(sent.at(-1)).toMatchObject({ type: 'cancel', reason: 'tooLarge' });
  });

  it('offers a download and streams it from the accepted offset', async () => {
    const { folders, sent, ft } = setup();
    const data = Buffer.alloc(150_000, 7);
    const path = join(folders.downloads, 'd.bin');
    writeFileSync(path, data);
    ft.offerDownload('d.bin', path);
    const offer = sent[0]!;
    expect(offer).toMatchObject({ type: 'offer', direction: 'download', size: 150_000, name: 'd.bin' });
    await ft.handle({
      channel: 'file',
      type: 'accept',
      transferId: (offer as { transferId: number }).transferId,
      offset: 100_000,
    });
    const chunks = sent.filter((m) => m.type === 'chunk') as { offset: number; data: Uint8Array }[];
    expect(chunks[0]!.offset).toBe(100_000);
    expect(chunks.reduce((n, c) => n + c.data.length, 0)).toBe(50_000);
    expect(sent.at(-1)).toMatchObject({ type: 'complete', size: 150_000, sha256: sha(data) });
  });
});
