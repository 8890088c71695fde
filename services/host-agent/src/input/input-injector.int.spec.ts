import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdpClient } from '../cdp/cdp-client';
import { dataUrl, paragraphs } from '../test-support/pages';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { XConnection } from '../x11/x-connection';
import { DOM_CODE_TO_EVDEV } from './dom-codes';
import { InputInjector, MOD } from './input-injector';

const page = dataUrl(`<!doctype html><html><body style="margin:0;font:16px sans-serif">
<input id="f" style="position:absolute;left:100px;top:100px;width:500px;height:30px">
<div style="position:absolute;top:200px">${paragraphs(200)}</div>
<script>
window.log = [];
addEventListener('keydown', (e) => log.push('down:' + e.code + ':' + e.key + (e.shiftKey ? ':shift' : '') + (e.ctrlKey ? ':ctrl' : '')));
addEventListener('keyup', (e) => log.push('up:' + e.code));
addEventListener('mousedown', (e) => log.push('mousedown:' + e.button + ':' + e.clientX + ',' + e.clientY));
addEventListener('mouseup', (e) => log.push('mouseup:' + e.button));
</script></body></html>`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('InputInjector (XTEST into real Chromium, observed through CDP)', () => {
  let fx: RuntimeFixture;
  let cdp: CdpClient;
  let x: XConnection;
  let inj: InputInjector;
  let top = 0;

  beforeAll(async () => {
    fx = await startRuntime();
    cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(page);
    top = await cdp.evaluate<number>('outerHeight - innerHeight');
    x = await XConnection.open(fx.runtime.display);
    inj = await InputInjector.open(x);
  });
  afterAll(async () => {
    inj?.releaseAll();
    x?.close();
    cdp?.close();
    await fx?.dispose();
  });

  const until = async <T>(expr: string, ok: (v: T) => boolean): Promise<T> => {
    let v = await cdp.evaluate<T>(expr);
    for (let i = 0; i < 50 && !ok(v); i++) {
      await sleep(50);
      v = await cdp.evaluate<T>(expr);
    }
    return v;
  };

  it('clicks at a screen position', async () => {
    inj.button('left', true, 300, top + 115);
    inj.button('left', false);
    await x.sync();
    const log = await until<string[]>('log', (l) => l.includes('mouseup:0'));
    expect(log).toContain('mousedown:0:300,115');
    expect(await cdp.evaluate('document.activeElement.id')).toBe('f');
  });

  it('types physical keys with modifiers and text the keymap lacks', async () => {
    const code = (c: string): number => DOM_CODE_TO_EVDEV[c]!;
    for (const [c, mods] of [
      ['KeyH', MOD.shift],
      ['KeyI', 0],
      ['Digit1', MOD.shift],
    ] as const) {
      inj.key(code(c), true, mods);
      inj.key(code(c), false, mods);
    }
    inj.key(code('Space'), true, 0);
    inj.key(code('Space'), false, 0);
    await inj.typeText('Aü€ж');
    const value = await until<string>(`document.getElementById('f').value`, (v) => v.length >= 8);
    expect(value).toBe('Hi! Aü€ж');
    const log = await cdp.evaluate<string[]>('log');
    expect(log).toContain('down:KeyH:H:shift');
    expect(log).toContain('down:KeyI:i');
    // Ctrl+A selects the field's text
    inj.key(code('KeyA'), true, MOD.ctrl);
    inj.key(code('KeyA'), false, MOD.ctrl);
    inj.key(code('ControlLeft'), false);
    await x.sync();
    const sel = await until<number>(
      `document.getElementById('f').selectionEnd - document.getElementById('f').selectionStart`,
      (n) => n > 0,
    );
    expect(sel).toBe(8);
  });

  it('scrolls with the wheel', async () => {
    inj.wheel(0, 53 * 3, 'pixel', 640, top + 400);
    await x.sync();
    const y = await until<number>('scrollY', (v) => v > 100);
    expect(y).toBeGreaterThan(100);
  });

  it('releases every held key and button when asked (viewer gone)', async () => {
    inj.key(DOM_CODE_TO_EVDEV['ShiftLeft']!, true);
    inj.button('left', true, 300, top + 115);
    expect(inj.held).toEqual({ keys: 1, buttons: 1 });
    inj.releaseAll();
    await x.sync();
    expect(inj.held).toEqual({ keys: 0, buttons: 0 });
    await cdp.evaluate('log.length = 0');
    inj.key(DOM_CODE_TO_EVDEV['ShiftLeft']!, true);
    inj.button('left', true, 300, top + 115);
    await x.sync();
    await until<string[]>('log', (l) => l.some((e) => e.startsWith('mousedown:0')));
    inj.releaseAll();
    await x.sync();
    const log = await until<string[]>('log', (l) => l.includes('up:ShiftLeft') && l.includes('mouseup:0'));
    expect(log).toContain('up:ShiftLeft');
    expect(log).toContain('mouseup:0');
  });
});
