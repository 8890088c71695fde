import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, filter, take, toArray, timeout } from 'rxjs';
import { join } from 'node:path';
import { CdpClient } from '../cdp/cdp-client';
import { FileFolders } from '../files/file-folders';
import { CollectingSink } from '../media/media-output';
import { XConnection } from '../x11/x-connection';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { isSameProcessAlive, membersOfGroup } from './proc';

describe('RuntimeSupervisor (real Xvfb, openbox, PulseAudio, Chromium)', () => {
  let fx: RuntimeFixture;
  beforeAll(async () => {
    fx = await startRuntime({ audio: true });
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('starts every process on its own display and answers readiness', async () => {
    const rt = fx.runtime;
    expect(rt.state).toBe('ready');
    expect(rt.display).toBeGreaterThanOrEqual(0);
    for (const name of ['xvfb', 'openbox', 'pulseaudio', 'chromium'] as const)
      expect(rt.pidOf(name)).toBeTypeOf('number');
    expect(await rt.readiness()).toEqual({ ready: true });
    expect(rt.health().ok).toBe(true);
    const x = await XConnection.open(rt.display);
    expect(await x.geometry()).toEqual({ width: 1280, height: 720 });
    x.close();
  });

  it('keeps info bars out of the picture (no --no-sandbox warning bar above the page)', async () => {
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate('data:text/html,<body style="margin:0;background:rgb(10,200,30)"></body>');
    const m = await cdp.evaluate<{ inner: number; outer: number }>(
      '({inner: innerHeight, outer: outerHeight})',
    );
    cdp.close();
    // Tab strip + toolbar is ~87 px; an info bar would add ~40 px more.
    expect(m.outer - m.inner).toBeLessThan(100);
    const x = await XConnection.open(fx.runtime.display);
    const top = 720 - m.inner; // first page row on screen (maximized window at 0,0)
    const row = await x.getImage(0, top + 2, 1280, 1);
    x.close();
    let green = 0;
    for (let i = 0; i < 1280; i++)
      if (row[i * 4] === 30 && row[i * 4 + 1] === 200 && row[i * 4 + 2] === 10) green++;
    expect(green).toBeGreaterThan(1200);
  });

  it('restarts a crashed Chromium and reports it', async () => {
    const rt = fx.runtime;
    const old = rt.pidOf('chromium')!;
    const events = firstValueFrom(
      rt.events.pipe(
        filter((e) => e.type === 'process-crashed' || e.type === 'process-restarted'),
        take(2),
        toArray(),
        timeout(30_000),
      ),
    );
    process.kill(-old, 'SIGKILL');
    const [crashed, restarted] = await events;
    expect(crashed).toMatchObject({ type: 'process-crashed', name: 'chromium', pid: old });
    expect(restarted).toMatchObject({ type: 'process-restarted', name: 'chromium', attempt: 1 });
    expect(rt.pidOf('chromium')).not.toBe(old);
    expect(await rt.readiness()).toEqual({ ready: true });
  });

  it('resizes the screen through RANDR and Chromium follows', async () => {
    const rt = fx.runtime;
    await rt.resize({ width: 1024, height: 640 });
    const x = await XConnection.open(rt.display);
    expect(await x.geometry()).toEqual({ width: 1024, height: 640 });
    x.close();
    const cdp = await CdpClient.connectToPage(rt.cdpPort);
    let outer = { w: 0, h: 0 };
    for (let i = 0; i < 50; i++) {
      outer = await cdp.evaluate<{ w: number; h: number }>('({w: outerWidth, h: outerHeight})');
      if (outer.w === 1024 && outer.h === 640) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    cdp.close();
    expect(outer).toEqual({ w: 1024, h: 640 });
    await rt.resize({ width: 1280, height: 720 });
  });

  it('saves downloads into the runtime download folder', async () => {
    const sink = new CollectingSink();
    const files = new FileFolders(fx.runtime.dirs.uploads, fx.runtime.dirs.downloads);
    files.watchDownloads(sink, 50);
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(
      'data:text/html,<a id=a download="hello.txt" href="data:text/plain,hello%20download">dl</a>',
    );
    await cdp.evaluate(`document.getElementById('a').click()`);
    for (let i = 0; i < 100 && sink.outputs.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    cdp.close();
    files.stop();
    expect(sink.outputs).toEqual([
      {
        kind: 'file-available',
        name: 'hello.txt',
        size: 14,
        path: join(fx.runtime.dirs.downloads, 'hello.txt'),
      },
    ]);
  });

  it('stops every process group', async () => {
    const rt = fx.runtime;
    const pids = (['xvfb', 'openbox', 'pulseaudio', 'chromium'] as const).map((n) => rt.pidOf(n)!);
    await rt.stop();
    for (const pid of pids) {
      expect(isSameProcessAlive(pid)).toBe(false);
      expect(membersOfGroup(pid)).toEqual([]);
    }
  });
});
