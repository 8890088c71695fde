import { createHash } from 'node:crypto';
import { Permissions, type Message } from '@bpane/protocol';
import { describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, FILE_WINDOW_BYTES, FileTransfers, type DownloadedFile } from './file-transfer';

type FileMessage = Extract<Message, { channel: 'file' }>;

const setup = (permissions: number) => {
  const sent: FileMessage[] = [];
  const downloads: DownloadedFile[] = [];
  const errors: string[] = [];
  const files = new FileTransfers({
    send: (m) => sent.push(m as FileMessage),
    may: (p) => (permissions & p) !== 0,
    downloaded: (f) => downloads.push(f),
    error: (e) => errors.push(e),
  });
  return { files, sent, downloads, errors };
};

/** Waits until `ready()` holds (the transfers hash and read blobs asynchronously). */
const until = async (ready: () => boolean): Promise<void> => {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('file uploads', () => {
  it('offers, sends chunks within the acknowledged window from the accepted offset, completes with SHA-256', async () => {
    const { files, sent } = setup(Permissions.upload);
    const bytes = new Uint8Array(FILE_WINDOW_BYTES + 3 * FILE_CHUNK_BYTES + 10).map((_, i) => (i * 7) & 255);
    const done = files.upload(
      Object.assign(new Blob([bytes], { type: 'application/x-test' }), { name: 'a.bin' }),
    );
    await until(() => sent.length > 0);
    const offer = sent.shift()!;
    expect(offer).toMatchObject({
      type: 'offer',
      direction: 'upload',
      size: bytes.length,
      name: 'a.bin',
      mime: 'application/x-test',
    });
    const id = (offer as Extract<FileMessage, { type: 'offer' }>).transferId;
    // resume: the receiver already holds one chunk
    files.message({ channel: 'file', type: 'accept', transferId: id, offset: FILE_CHUNK_BYTES });
    const first = sent.splice(0);
    expect(first.every((m) => m.type === 'chunk')).toBe(true);
    expect(first.length).toBe(FILE_WINDOW_BYTES / FILE_CHUNK_BYTES);
    expect((first[0] as Extract<FileMessage, { type: 'chunk' }>).offset).toBe(FILE_CHUNK_BYTES);
    files.message({ channel: 'file', type: 'ack', transferId: id, offset: bytes.length - 10 });
    await until(() => sent.some((m) => m.type === 'complete'));
    const rest = sent.splice(0);
    const chunks = rest.filter((m): m is Extract<FileMessage, { type: 'chunk' }> => m.type === 'chunk');
    expect(chunks.at(-1)!.offset + chunks.at(-1)!.data.length).toBe(bytes.length);
    const complete = rest.find((m) => m.type === 'complete') as Extract<FileMessage, { type: 'complete' }>;
    expect(complete.size).toBe(bytes.length);
    expect(Buffer.from(complete.sha256).toString('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    files.message({ channel: 'file', type: 'result', transferId: id, status: 'ok' });
    await expect(done).resolves.toBeUndefined();
  });

  it('is refused without the upload permission, and fails when cancelled or disconnected', async () => {
    await expect(setup(0).files.upload(new Blob(['x']))).rejects.toThrow(/may not upload/);
    const { files, sent } = setup(Permissions.upload);
    const a = files.upload(new Blob(['hello']));
    await until(() => sent.length > 0);
    const id = (sent[0] as Extract<FileMessage, { type: 'offer' }>).transferId;
    files.message({
      channel: 'file',
      type: 'cancel',
      transferId: id,
      reason: 'tooLarge',
      message: 'no room',
    });
    await expect(a).rejects.toThrow('upload cancelled: tooLarge (no room)');
    const b = files.upload(new Blob(['again']));
    await until(() => sent.length > 1);
    files.cancelAll('disconnected', false);
    await expect(b).rejects.toThrow(/connection closed/);
  });
});

describe('file downloads', () => {
  const offer = (transferId: number, size: number): FileMessage => ({
    channel: 'file',
    type: 'offer',
    transferId,
    direction: 'download',
    size,
    name: 'report.txt',
    mime: 'text/plain',
  });

  it('accepts, acknowledges each chunk, checks the SHA-256 and hands over the file', async () => {
    const { files, sent, downloads } = setup(Permissions.download);
    const body = new TextEncoder().encode('quarterly numbers');
    files.message(offer(9, body.length));
    files.message({ channel: 'file', type: 'chunk', transferId: 9, offset: 0, data: body.subarray(0, 5) });
    files.message({ channel: 'file', type: 'chunk', transferId: 9, offset: 5, data: body.subarray(5) });
    files.message({
      channel: 'file',
      type: 'complete',
      transferId: 9,
      size: body.length,
      sha256: createHash('sha256').update(body).digest(),
    });
    await until(() => sent.some((m) => m.type === 'result'));
    expect(sent.map((m) => `${m.type}:${'offset' in m ? m.offset : 'status' in m ? m.status : ''}`)).toEqual([
      'accept:0',
      'ack:5',
      `ack:${body.length}`,
      'result:ok',
    ]);
    expect(downloads).toHaveLength(1);
    expect(await downloads[0]!.blob.text()).toBe('quarterly numbers');
  });

  it('answers checksumMismatch for corrupted content and cancels offers the role may not take', async () => {
    const { files, sent, downloads, errors } = setup(Permissions.download);
    files.message(offer(1, 3));
    files.message({
      channel: 'file',
      type: 'chunk',
      transferId: 1,
      offset: 0,
      data: new Uint8Array([1, 2, 3]),
    });
    files.message({ channel: 'file', type: 'complete', transferId: 1, size: 3, sha256: new Uint8Array(32) });
    await until(() => sent.some((m) => m.type === 'result'));
    expect(sent.at(-1)).toMatchObject({ type: 'result', status: 'checksumMismatch' });
    expect(downloads).toEqual([]);
    expect(errors[0]).toContain('checksumMismatch');
    const viewer = setup(0);
    viewer.files.message(offer(2, 3));
    expect(viewer.sent).toEqual([
      {
        channel: 'file',
        type: 'cancel',
        transferId: 2,
        reason: 'notPermitted',
        message: 'this role may not download',
      },
    ]);
  });
});
