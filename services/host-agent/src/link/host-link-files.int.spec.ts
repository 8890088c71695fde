import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolSession, type Message } from '@bpane/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CdpClient } from '../cdp/cdp-client';
import { dataUrl } from '../test-support/pages';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { HostLinkServer } from './host-link-server';
import { LiveMedia } from './live-media';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const SECRET = 'a-test-secret-of-enough-length';

describe('host link: tiles and the file channel (real runtime, protocol session as the gateway)', () => {
  let fx: RuntimeFixture;
  let media: LiveMedia;
  let link: HostLinkServer;
  let ws: WebSocket;
  let session: ProtocolSession;
  const got: Message[] = [];
  let closed = '';

  beforeAll(async () => {
    fx = await startRuntime();
    const rt = fx.runtime;
    media = await LiveMedia.start(fx.cfg, {
      display: rt.display,
      cdpPort: rt.cdpPort,
      resize: (size) => rt.resize(size),
      files: { uploads: rt.dirs.uploads, downloads: rt.dirs.downloads },
    });
    link = new HostLinkServer({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      media,
      cdpPort: () => rt.cdpPort,
      clipboardMaxBytes: 1 << 20,
    });
    const port = await link.listen();
    ws = new WebSocket(`ws://127.0.0.1:${port}/link`, { headers: { authorization: `Bearer ${SECRET}` } });
    const opened = new Promise<void>((resolve) => {
      session = new ProtocolSession(
        {
          side: 'viewer',
          peer: 'gateway',
          agent: 'test-gateway',
          required: ['tilesLossless'],
          optional: ['tilesCache', 'tilesCopyRect', 'fileTransfer', 'cursorImage'],
        },
        {
          send: (frame) => ws.send(frame),
          open: () => {
            session.send({
              channel: 'control',
              type: 'capabilities',
              losslessCodecs: 0xf,
              lossyCodecs: 0,
              cacheEntries: 8192,
              cacheBytes: 1 << 28,
              maxClipboardBytes: 1 << 20,
              maxFileBytes: 1 << 28,
            });
            resolve();
          },
          message: (m) => got.push(m),
          close: (code, reason, error) => {
            closed = `${code} ${reason} ${error?.message ?? ''}`;
            ws.close();
          },
        },
      );
    });
    ws.on('message', (d: Buffer) => session.receiveBytes(d));
    await new Promise<void>((r) => ws.once('open', () => r()));
    session.start();
    await opened;
  });
  afterAll(async () => {
    ws?.close();
    await link?.close();
    await media?.stop();
    await fx?.dispose();
  });

  it('streams a snapshot over the link', async () => {
    for (let i = 0; i < 50 && !got.some((m) => m.channel === 'tiles' && m.type === 'frameEnd'); i++)
      await sleep(100);
    expect(
      got.some((m) => m.channel === 'control' && m.type === 'displayConfig'),
      `closed: ${closed}`,
    ).toBe(true);
    expect(got.some((m) => m.channel === 'tiles' && m.type === 'lossless')).toBe(true);
  });

  it('stores an upload sent over the link', async () => {
    const data = Buffer.from('over the link '.repeat(9000));
    session.send({
      channel: 'file',
      type: 'offer',
      transferId: 5,
      direction: 'upload',
      size: data.length,
      name: 'link.txt',
      mime: 'text/plain',
    });
    for (let i = 0; i < 50 && !got.some((m) => m.channel === 'file' && m.type === 'accept'); i++)
      await sleep(50);
    for (let off = 0; off < data.length; off += 65536)
      session.send({
        channel: 'file',
        type: 'chunk',
        transferId: 5,
        offset: off,
        data: new Uint8Array(data.subarray(off, off + 65536)),
      });
    session.send({
      channel: 'file',
      type: 'complete',
      transferId: 5,
      size: data.length,
      sha256: new Uint8Array(createHash('sha256').update(data).digest()),
    });
    for (let i = 0; i < 50 && !got.some((m) => m.channel === 'file' && m.type === 'result'); i++)
      await sleep(50);
    expect(got.find((m) => m.channel === 'file' && m.type === 'result')).toEqual({
      channel: 'file',
      type: 'result',
      transferId: 5,
      status: 'ok',
    });
    expect(readFileSync(join(fx.runtime.dirs.uploads, 'link.txt')).equals(data)).toBe(true);
  });

  it('offers a finished download and streams it after accept', async () => {
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(
      dataUrl('<a id=a download="out.txt" href="data:text/plain,downloaded%20over%20the%20link">x</a>'),
    );
    await cdp.evaluate(`document.getElementById('a').click()`);
    cdp.close();
    let offer: Message | undefined;
    for (let i = 0; i < 100 && !offer; i++) {
      await sleep(50);
      offer = got.find((m) => m.channel === 'file' && m.type === 'offer');
    }
    expect(offer).toMatchObject({ direction: 'download', name: 'out.txt', size: 24 });
    const transferId = (offer as { transferId: number }).transferId;
    session.send({ channel: 'file', type: 'accept', transferId, offset: 0 });
    let complete: Message | undefined;
    for (let i = 0; i < 50 && !complete; i++) {
      await sleep(50);
      complete = got.find((m) => m.channel === 'file' && m.type === 'complete');
    }
    const chunk = got.find((m) => m.channel === 'file' && m.type === 'chunk') as { data: Uint8Array };
    expect(Buffer.from(chunk.data).toString()).toBe('downloaded over the link');
    expect(complete).toMatchObject({ transferId, size: 24 });
  });
});
