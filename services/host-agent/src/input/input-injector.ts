import { pcall, type XConnection, type XTestExt } from '../x11/x-connection';
import { keysymForChar, xKeycodeForEvdev } from './dom-codes';

export type PointerButtonName = 'left' | 'middle' | 'right' | 'back' | 'forward';
export type WheelModeName = 'pixel' | 'line' | 'page';

/** Modifier bits (the protocol's `Modifiers` flags). */
export const MOD = { shift: 1, ctrl: 2, alt: 4, meta: 8, altGraph: 16 } as const;
/** evdev codes of the left-hand modifier keys used to bring modifier state in line. */
const MOD_KEYS: readonly [number, number][] = [
  [MOD.shift, 42],
  [MOD.ctrl, 29],
  [MOD.alt, 56],
  [MOD.meta, 125],
  [MOD.altGraph, 100],
];
const MODIFIER_EVDEV = new Set([42, 54, 29, 97, 56, 100, 125, 126]);

const X_BUTTON: Readonly<Record<PointerButtonName, number>> = {
  left: 1,
  middle: 2,
  right: 3,
  back: 8,
  forward: 9,
};
/** Chromium on X11 scrolls 53 px per wheel click. */
export const WHEEL_PIXELS_PER_CLICK = 53;

/**
 * Injects input into the X server through XTEST: absolute pointer motion, buttons, wheel (X buttons
 * 4–7), and keys by physical code (evdev code + 8 = X keycode) with the modifier state brought in
 * line first. Text that no key of the current keymap produces is typed through a temporary keysym
 * remap of a spare keycode (a small LRU pool; a change of keymap is seen by X clients as a
 * MappingNotify), or handed to `insertText` (CDP `Input.insertText`) when that is configured.
 * Everything held is tracked so that `releaseAll()` (viewer gone, focus lost) lets go of it.
 */
export class InputInjector {
  private readonly keysDown = new Set<number>(); // X keycodes
  private readonly buttonsDown = new Set<number>();
  private wheelAcc = { x: 0, y: 0 };
  private keymap: number[][] = [];
  private minKeycode = 8;
  private spare: number[] = [];
  private readonly remapped = new Map<number, number>(); // keysym -> keycode
  private lastPos = { x: 0, y: 0 };

  private constructor(
    private readonly x: XConnection,
    private readonly xt: XTestExt,
    private readonly insertText?: (text: string) => Promise<void>,
  ) {}

  static async open(
    x: XConnection,
    opts: { insertText?: (text: string) => Promise<void> } = {},
  ): Promise<InputInjector> {
    const inj = new InputInjector(x, await x.xtest(), opts.insertText);
    await inj.loadKeymap();
    return inj;
  }

  get pointer(): { x: number; y: number } {
    return this.lastPos;
  }
  get held(): { keys: number; buttons: number } {
    return { keys: this.keysDown.size, buttons: this.buttonsDown.size };
  }

  private async loadKeymap(): Promise<void> {
    const min = this.x.display.min_keycode;
    const max = this.x.display.max_keycode;
    this.minKeycode = min;
    this.keymap = await pcall<number[][]>((cb) => this.x.client.GetKeyboardMapping(min, max - min + 1, cb));
    this.spare = [];
    for (let i = this.keymap.length - 1; i >= 0 && this.spare.length < 8; i--) {
      const kc = min + i;
      if (kc > 8 && this.keymap[i]!.every((k) => k === 0)) this.spare.push(kc);
    }
  }

  /** The keycode and shift level producing `keysym` on the current keymap (levels 0 and 1 only). */
  private lookup(keysym: number): { keycode: number; shift: boolean } | null {
    for (let i = 0; i < this.keymap.length; i++) {
      const row = this.keymap[i]!;
      if (row[0] === keysym) return { keycode: this.minKeycode + i, shift: false };
    }
    for (let i = 0; i < this.keymap.length; i++) {
      const row = this.keymap[i]!;
      if (row[1] === keysym) return { keycode: this.minKeycode + i, shift: true };
    }
    return null;
  }

  moveTo(x: number, y: number): void {
    this.lastPos = { x, y };
    this.xt.FakeInput(this.xt.MotionNotify, 0, 0, this.x.root, Math.round(x), Math.round(y));
  }

  button(button: PointerButtonName, down: boolean, x?: number, y?: number): void {
    if (x !== undefined && y !== undefined) this.moveTo(x, y);
    const b = X_BUTTON[button];
    if (down === this.buttonsDown.has(b)) return;
    this.xt.FakeInput(down ? this.xt.ButtonPress : this.xt.ButtonRelease, b, 0, this.x.root, 0, 0);
    if (down) this.buttonsDown.add(b);
    else this.buttonsDown.delete(b);
  }

  /** Wheel: positive dy scrolls down (content moves up), positive dx scrolls right. */
  wheel(dx: number, dy: number, mode: WheelModeName = 'pixel', x?: number, y?: number): void {
    if (x !== undefined && y !== undefined) this.moveTo(x, y);
    const perClick = mode === 'pixel' ? WHEEL_PIXELS_PER_CLICK : mode === 'line' ? 3 : 0.1;
    this.wheelAcc.x += dx;
    this.wheelAcc.y += dy;
    const clicks = (acc: number): number => Math.trunc(acc / perClick);
    const cy = clicks(this.wheelAcc.y);
    const cx = clicks(this.wheelAcc.x);
    this.wheelAcc.y -= cy * perClick;
    this.wheelAcc.x -= cx * perClick;
    const click = (b: number, n: number): void => {
      for (let i = 0; i < Math.min(n, 50); i++) {
        this.xt.FakeInput(this.xt.ButtonPress, b, 0, this.x.root, 0, 0);
        this.xt.FakeInput(this.xt.ButtonRelease, b, 0, this.x.root, 0, 0);
      }
    };
    if (cy !== 0) click(cy > 0 ? 5 : 4, Math.abs(cy));
    if (cx !== 0) click(cx > 0 ? 7 : 6, Math.abs(cx));
  }

  /** A physical key (evdev code), with the modifier state `modifiers` (protocol flags) applied first. */
  key(evdev: number, down: boolean, modifiers?: number): void {
    if (modifiers !== undefined && !MODIFIER_EVDEV.has(evdev)) this.syncModifiers(modifiers);
    this.rawKey(xKeycodeForEvdev(evdev), down);
  }

  private rawKey(keycode: number, down: boolean): void {
    if (!down && !this.keysDown.has(keycode)) return;
    this.xt.FakeInput(down ? this.xt.KeyPress : this.xt.KeyRelease, keycode, 0, this.x.root, 0, 0);
    if (down) this.keysDown.add(keycode);
    else this.keysDown.delete(keycode);
  }

  private syncModifiers(modifiers: number): void {
    for (const [bit, evdev] of MOD_KEYS) {
      const kc = xKeycodeForEvdev(evdev);
      const want = (modifiers & bit) !== 0;
      const rightHeld =
        bit === MOD.shift
          ? this.keysDown.has(xKeycodeForEvdev(54))
          : bit === MOD.ctrl
            ? this.keysDown.has(xKeycodeForEvdev(97))
            : false;
      const have = this.keysDown.has(kc) || rightHeld;
      if (want && !have) this.rawKey(kc, true);
      if (!want && have) {
        this.rawKey(kc, false);
        if (bit === MOD.shift) this.rawKey(xKeycodeForEvdev(54), false);
        if (bit === MOD.ctrl) this.rawKey(xKeycodeForEvdev(97), false);
      }
    }
  }

  /**
   * Types text: characters the keymap has are typed as keys (with Shift when needed), others
   * through a remapped spare keycode, or CDP `Input.insertText` when there is no spare keycode.
   */
  async typeText(text: string): Promise<void> {
    for (const ch of text) {
      const keysym = keysymForChar(ch);
      const hit = this.lookup(keysym);
      if (hit) {
        const shiftKc = xKeycodeForEvdev(42);
        const hadShift = this.keysDown.has(shiftKc);
        if (hit.shift && !hadShift) this.rawKey(shiftKc, true);
        if (!hit.shift && hadShift) this.rawKey(shiftKc, false);
        this.rawKey(hit.keycode, true);
        this.rawKey(hit.keycode, false);
        if (hit.shift && !hadShift) this.rawKey(shiftKc, false);
        if (!hit.shift && hadShift) this.rawKey(shiftKc, true);
        continue;
      }
      const kc = await this.remap(keysym);
      if (kc === null) {
        if (this.insertText) await this.insertText(ch);
        continue;
      }
      this.rawKey(kc, true);
      this.rawKey(kc, false);
    }
    await this.x.sync();
  }

  /** Binds `keysym` to a spare keycode (least recently used first) and waits for the server. */
  private async remap(keysym: number): Promise<number | null> {
    const known = this.remapped.get(keysym);
    if (known !== undefined) {
      this.remapped.delete(keysym);
      this.remapped.set(keysym, known);
      return known;
    }
    let kc: number | undefined = this.spare.find((k) => ![...this.remapped.values()].includes(k));
    if (kc === undefined) {
      const oldest = this.remapped.keys().next();
      if (oldest.done) return null;
      kc = this.remapped.get(oldest.value)!;
      this.remapped.delete(oldest.value);
    }
    const perKeycode = this.keymap[0]?.length ?? 2;
    const row = new Array<number>(perKeycode).fill(0);
    row[0] = keysym;
    if (perKeycode > 1) row[1] = keysym;
    this.x.client.ChangeKeyboardMapping(kc, perKeycode, row);
    this.keymap[kc - this.minKeycode] = row;
    this.remapped.set(keysym, kc);
    await this.x.sync();
    // let X clients process the MappingNotify before the key arrives
    await new Promise((r) => setTimeout(r, 30));
    return kc;
  }

  /** Releases every key and button this injector holds (viewer disconnected or lost focus). */
  releaseAll(): void {
    for (const kc of [...this.keysDown]) this.rawKey(kc, false);
    for (const b of [...this.buttonsDown]) {
      this.xt.FakeInput(this.xt.ButtonRelease, b, 0, this.x.root, 0, 0);
      this.buttonsDown.delete(b);
    }
    this.wheelAcc = { x: 0, y: 0 };
  }

  /** Puts back the keysyms of remapped spare keycodes. */
  async restoreKeymap(): Promise<void> {
    const perKeycode = this.keymap[0]?.length ?? 2;
    for (const kc of this.remapped.values()) {
      const row = new Array<number>(perKeycode).fill(0);
      this.x.client.ChangeKeyboardMapping(kc, perKeycode, row);
      this.keymap[kc - this.minKeycode] = row;
    }
    this.remapped.clear();
    await this.x.sync();
  }
}
