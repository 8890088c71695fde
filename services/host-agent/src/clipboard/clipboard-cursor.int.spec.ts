import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdpClient } from '../cdp/cdp-client';
import { CursorTracker } from '../cursor/cursor-tracker';
import { DOM_CODE_TO_EVDEV } from '../input/dom-codes';
import { InputInjector, MOD } from '../input/input-injector';
import { CollectingSink } from '../media/media-output';
import { dataUrl } from '../test-support/pages';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { XConnection } from '../x11/x-connection';
import { XClipboard } from './x-clipboard';

const page = dataUrl(`<!doctype html><html><body style="margin:0;font:16px sans-serif">
<input id="f" style="position:absolute;left:100px;top:100px;width:500px;height:30px">
<a href="#x" style="position:absolute;left:100px;top:300px;font-size:40px">a link</a>
</body></html>`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('clipboard (X selections) and cursor (XFIXES) against real Chromium', () => {
  let fx: RuntimeFixture;
  let cdp: CdpClient;
  let x: XConnection;
  let inj: InputInjector;
  let clip: XClipboard;
  let top = 0;

  beforeAll(async () => {
    fx = await startRuntime();
    cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(page);
    top = await cdp.evaluate<number>('outerHeight - innerHeight');
    x = await XConnection.open(fx.runtime.display);
    inj = await InputInjector.open(x);
    clip = await XClipboard.open(x, 1024 * 1024);
  });
  afterAll(async () => {
    clip?.close();
    inj?.releaseAll();
    x?.close();
    cdp?.close();
    await fx?.dispose();
  });

  const ctrl = async (code: string): Promise<void> => {
    inj.key(DOM_CODE_TO_EVDEV[code]!, true, MOD.ctrl);
    inj.key(DOM_CODE_TO_EVDEV[code]!, false, MOD.ctrl);
    inj.key(DOM_CODE_TO_EVDEV['ControlLeft']!, false);
    await x.sync();
  };

  it('pastes text the host offers into the page', async () => {
    inj.button('left', true, 300, top + 115);
    inj.button('left', false);
    for (let i = 0; i < 40 && (await cdp.evaluate<string>('document.activeElement.id')) !== 'f'; i++)
      await sleep(50);
    await clip.setText('héllo from the host ✓');
    let v = '';
    for (let attempt = 0; attempt < 3 && v === ''; attempt++) {
      await ctrl('KeyV');
      for (let i = 0; i < 20 && v === ''; i++) {
        await sleep(50);
        v = await cdp.evaluate<string>(`document.getElementById('f').value`);
      }
    }
    expect(v).toBe('héllo from the host ✓');
  });

  it('reports text copied in the page', async () => {
    const got = new Promise<string>((resolve) => clip.onText(resolve));
    await cdp.evaluate(
      `(() => { const f = document.getElementById('f'); f.value = 'copied in chromium'; f.focus(); f.select(); })()`,
    );
    await ctrl('KeyC');
    expect(await Promise.race([got, sleep(5000).then(() => 'timeout')])).toBe('copied in chromium');
    expect(await clip.readText()).toBe('copied in chromium');
  });

  it('refuses clipboard text over the size limit', async () => {
    await expect(clip.setText('x'.repeat(1024 * 1024 + 1))).rejects.toThrow(/exceeds/);
  });

  it('sends the cursor shape once per serial and its position', async () => {
    const sink = new CollectingSink();
    const cx = await XConnection.open(fx.runtime.display);
    const tracker = await CursorTracker.start(cx, sink, 50);
    try {
      inj.moveTo(150, top + 320); // over the link: a hand
      await sleep(400);
      inj.moveTo(300, top + 115); // over the input: an I-beam
      await sleep(400);
      inj.moveTo(150, top + 320); // the hand again: cached
      await sleep(400);
      const shapes = sink.outputs.filter((o) => o.kind === 'cursor-shape');
      expect(shapes.length).toBeGreaterThanOrEqual(2);
      const first = shapes[0]!;
      if (first.kind === 'cursor-shape') {
        expect(first.rgba.length).toBe(first.width * first.height * 4);
        expect(first.rgba.some((v, i) => i % 4 === 3 && v === 255)).toBe(true);
      }
      expect(sink.outputs.some((o) => o.kind === 'cursor-cached')).toBe(true);
      expect(sink.outputs).toContainEqual({ kind: 'cursor-position', x: 150, y: top + 320, visible: true });
    } finally {
      tracker.stop();
      cx.close();
    }
  });
});
