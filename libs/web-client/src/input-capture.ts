import type { CapabilityName, Message, TouchPoint } from '@bpane/protocol';
import {
  buttonsOf,
  keyMessage,
  modifiersOf,
  pointerButtonOf,
  toRemote,
  wheelDelta,
  wheelModeOf,
} from './input-map';

export type InputHost = Readonly<{
  send: (m: Message) => void;
  /** Whether input may be sent now (open session with the input permission). */
  enabled: () => boolean;
  has: (c: CapabilityName) => boolean;
  display: () => { width: number; height: number };
  clipboardOut: (text: string) => boolean;
}>;

type CursorImage = { css: string };

/** Modifier keys by event flag: evdev codes (left first) and the DOM key name. */
const MODIFIER_KEYS = [
  { flag: 'shiftKey', codes: [42, 54], key: 'Shift' },
  { flag: 'ctrlKey', codes: [29, 97], key: 'Control' },
  { flag: 'altKey', codes: [56, 100], key: 'Alt' },
  { flag: 'metaKey', codes: [125, 126], key: 'Meta' },
] as const satisfies readonly { flag: keyof KeyboardEvent; codes: readonly [number, number]; key: string }[];

/**
 * DOM input → protocol input. Keyboard and IME go through a transparent textarea over the screen
 * (it holds focus and receives composition events); pointer, wheel and touch come from the canvas.
 * The remote cursor is shown as a CSS cursor built from `cursor.shape` images.
 */
export class InputCapture {
  readonly #ime: HTMLTextAreaElement;
  readonly #off: (() => void)[] = [];
  readonly #cursors = new Map<number, CursorImage>();
  #cursorId = 0;
  #cursorVisible = true;
  #readOnly = true;
  #pendingMove: { x: number; y: number; buttons: number; modifiers: number } | null = null;
  #moveFrame = 0;
  #heldPaste: Message | null = null;
  #pasteTimer: ReturnType<typeof setTimeout> | null = null;
  #down = new Set<number>();

  constructor(
    private readonly element: HTMLElement,
    private readonly canvas: HTMLCanvasElement,
    private readonly host: InputHost,
  ) {
    const ime = element.ownerDocument.createElement('textarea');
    ime.className = 'bpane-ime';
    ime.setAttribute('aria-label', 'remote keyboard input');
    ime.autocapitalize = 'off';
    ime.spellcheck = false;
    Object.assign(ime.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      width: '1px',
      height: '1px',
      opacity: '0',
      border: '0',
      padding: '0',
      resize: 'none',
      pointerEvents: 'none',
    });
    element.append(ime);
    this.#ime = ime;
    this.#listen(ime, 'keydown', (e) => this.#key(e as KeyboardEvent, true));
    this.#listen(ime, 'keyup', (e) => this.#key(e as KeyboardEvent, false));
    this.#listen(ime, 'compositionstart', () => this.#composition('start', ''));
    this.#listen(ime, 'compositionupdate', (e) => this.#composition('update', (e as CompositionEvent).data));
    this.#listen(ime, 'compositionend', (e) => {
      this.#composition('commit', (e as CompositionEvent).data);
      ime.value = '';
    });
    this.#listen(ime, 'input', (e) => {
      if (!(e as InputEvent).isComposing) ime.value = '';
    });
    this.#listen(ime, 'paste', (e) => this.#paste(e as ClipboardEvent));
    this.#listen(ime, 'blur', () => this.releaseLocal(true));
    this.#listen(canvas, 'pointerdown', (e) => this.#pointer(e as PointerEvent, 'down'));
    this.#listen(canvas, 'pointerup', (e) => this.#pointer(e as PointerEvent, 'up'));
    this.#listen(canvas, 'pointercancel', (e) => this.#pointer(e as PointerEvent, 'cancel'));
    this.#listen(canvas, 'pointermove', (e) => this.#pointer(e as PointerEvent, 'move'));
    this.#listen(canvas, 'wheel', (e) => this.#wheel(e as WheelEvent), { passive: false });
    this.#listen(canvas, 'contextmenu', (e) => e.preventDefault());
  }

  setReadOnly(readOnly: boolean): void {
    this.#readOnly = readOnly;
    this.#ime.disabled = readOnly;
    this.canvas.style.cursor = readOnly ? 'default' : this.#cursorCss();
  }

  /** Keys and buttons held locally are released remotely (focus lost, connection gone). */
  releaseLocal(send = false): void {
    if (send && this.#down.size > 0 && this.host.enabled())
      this.host.send({ channel: 'input', type: 'releaseAll' });
    this.#down.clear();
  }

  cursor(m: Extract<Message, { channel: 'cursor' }>): void {
    switch (m.type) {
      case 'shape': {
        const c = document.createElement('canvas');
        c.width = m.width;
        c.height = m.height;
        const g = c.getContext('2d');
        if (g === null) return;
        const rgba = new Uint8ClampedArray(m.rgba.length);
        rgba.set(m.rgba);
        g.putImageData(new ImageData(rgba, m.width, m.height), 0, 0);
        this.#cursors.set(m.cursorId, { css: `url(${c.toDataURL()}) ${m.hotX} ${m.hotY}, default` });
        this.#cursorId = m.cursorId;
        break;
      }
      case 'select':
        this.#cursorId = m.cursorId;
        break;
      case 'visibility':
        this.#cursorVisible = m.visible;
        break;
      case 'position':
        return;
    }
    if (!this.#readOnly) this.canvas.style.cursor = this.#cursorCss();
  }

  dispose(): void {
    for (const off of this.#off) off();
    cancelAnimationFrame(this.#moveFrame);
    this.#ime.remove();
  }

  #cursorCss(): string {
    if (!this.#cursorVisible) return 'none';
    return this.#cursors.get(this.#cursorId)?.css ?? 'default';
  }

  #listen(target: EventTarget, type: string, fn: (e: Event) => void, opts?: AddEventListenerOptions): void {
    target.addEventListener(type, fn, opts);
    this.#off.push(() => target.removeEventListener(type, fn, opts));
  }

  #point(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const d = this.host.display();
    return toRemote(e.clientX - r.left, e.clientY - r.top, r.width, r.height, d.width, d.height);
  }

  #key(e: KeyboardEvent, down: boolean): void {
    if (!this.host.enabled()) return;
    if (e.isComposing || e.keyCode === 229) return; // the IME owns this key
    const m = keyMessage(e, down);
    if (m === undefined) return;
    if (down && (e.ctrlKey || e.metaKey) && e.code === 'KeyV' && this.host.has('clipboardText')) {
      // let the browser fire `paste` first, so the remote clipboard holds the text before the keys
      this.#heldPaste = m;
      this.#pasteTimer = setTimeout(() => this.#releasePaste(), 100);
      this.#down.add(m.code);
      return;
    }
    e.preventDefault();
    if (down) this.#syncModifiers(e, m.code);
    if (down) this.#down.add(m.code);
    else this.#down.delete(m.code);
    this.host.send(m);
  }

  /**
   * Keeps the remote modifier keys in step with the event's modifier state: a modifier pressed
   * while the view had no focus is pressed remotely first; one released elsewhere is released.
   */
  #syncModifiers(e: KeyboardEvent, code: number): void {
    if (e.getModifierState('AltGraph')) return;
    for (const mod of MODIFIER_KEYS) {
      if ((mod.codes as readonly number[]).includes(code)) continue;
      const held = mod.codes.filter((c) => this.#down.has(c));
      const want = e[mod.flag];
      if (want && held.length === 0) {
        this.#down.add(mod.codes[0]);
        this.host.send({
          channel: 'input',
          type: 'key',
          code: mod.codes[0],
          down: true,
          repeat: false,
          modifiers: modifiersOf(e),
          key: mod.key,
          text: '',
        });
      } else if (!want)
        for (const c of held) {
          this.#down.delete(c);
          this.host.send({
            channel: 'input',
            type: 'key',
            code: c,
            down: false,
            repeat: false,
            modifiers: modifiersOf(e),
            key: mod.key,
            text: '',
          });
        }
    }
  }

  #paste(e: ClipboardEvent): void {
    e.preventDefault();
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (text !== '') this.host.clipboardOut(text);
    this.#releasePaste();
  }

  #releasePaste(): void {
    if (this.#pasteTimer !== null) clearTimeout(this.#pasteTimer);
    this.#pasteTimer = null;
    const m = this.#heldPaste;
    this.#heldPaste = null;
    if (m !== null) this.host.send(m);
  }

  #composition(phase: 'start' | 'update' | 'commit', text: string): void {
    if (!this.host.enabled()) return;
    if (!this.host.has('inputIme')) {
      if (phase === 'commit' && text !== '')
        this.host.send({
          channel: 'input',
          type: 'composition',
          phase,
          selectionStart: 0,
          selectionEnd: 0,
          text,
        });
      return;
    }
    const n = [...text].length;
    this.host.send({
      channel: 'input',
      type: 'composition',
      phase,
      selectionStart: n,
      selectionEnd: n,
      text,
    });
  }

  #pointer(e: PointerEvent, kind: 'down' | 'up' | 'move' | 'cancel'): void {
    if (kind === 'down') this.#ime.focus({ preventScroll: true });
    if (!this.host.enabled()) return;
    e.preventDefault();
    const p = this.#point(e);
    const modifiers = modifiersOf(e);
    if (e.pointerType === 'touch' && this.host.has('inputTouch')) {
      const phase = kind === 'down' ? 'start' : kind === 'up' ? 'end' : kind;
      const point: TouchPoint = {
        id: e.pointerId & 0xff,
        x: p.x,
        y: p.y,
        pressure: Math.round((e.pressure || 0) * 255),
      };
      this.host.send({ channel: 'input', type: 'touch', phase, modifiers, points: [point] });
      return;
    }
    if (kind === 'move') {
      this.#pendingMove = { ...p, buttons: buttonsOf(e.buttons), modifiers };
      if (this.#moveFrame === 0)
        this.#moveFrame = requestAnimationFrame(() => {
          this.#moveFrame = 0;
          this.#flushMove();
        });
      return;
    }
    const button = pointerButtonOf(e.button);
    if (button === undefined) return;
    this.#flushMove();
    if (kind === 'down') this.canvas.setPointerCapture(e.pointerId);
    this.host.send({
      channel: 'input',
      type: 'pointerButton',
      x: p.x,
      y: p.y,
      button,
      down: kind === 'down',
      modifiers,
    });
  }

  #flushMove(): void {
    const m = this.#pendingMove;
    this.#pendingMove = null;
    if (m === null || !this.host.enabled()) return;
    this.host.send({ channel: 'input', type: 'pointerMove', ...m });
  }

  #wheel(e: WheelEvent): void {
    if (!this.host.enabled()) return;
    e.preventDefault();
    const p = this.#point(e);
    this.host.send({
      channel: 'input',
      type: 'wheel',
      x: p.x,
      y: p.y,
      dx: wheelDelta(e.deltaX),
      dy: wheelDelta(e.deltaY),
      mode: wheelModeOf(e.deltaMode),
      modifiers: modifiersOf(e),
    });
  }
}
