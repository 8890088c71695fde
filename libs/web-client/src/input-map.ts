import { Modifiers, type InputKey, type PointerButton, type WheelMode } from '@bpane/protocol';
import { evdevOf } from './dom-codes';

/** The modifier state a DOM keyboard/pointer event reports, as protocol `Modifiers` bits. */
export type ModifierSource = {
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  getModifierState?(key: string): boolean;
};

export const modifiersOf = (e: ModifierSource): number => {
  let m = 0;
  if (e.shiftKey) m |= Modifiers.shift;
  if (e.ctrlKey) m |= Modifiers.ctrl;
  if (e.altKey) m |= Modifiers.alt;
  if (e.metaKey) m |= Modifiers.meta;
  if (e.getModifierState?.('AltGraph') === true) m |= Modifiers.altGraph;
  if (e.getModifierState?.('CapsLock') === true) m |= Modifiers.capsLock;
  if (e.getModifierState?.('NumLock') === true) m |= Modifiers.numLock;
  return m;
};

/** DOM `MouseEvent.button` → protocol button (undefined for buttons the protocol does not know). */
export const pointerButtonOf = (button: number): PointerButton | undefined =>
  (['left', 'middle', 'right', 'back', 'forward'] as const)[button];

/** DOM `MouseEvent.buttons` already uses the protocol's bit order (left 1, right 2, middle 4…): swap right/middle. */
export const buttonsOf = (buttons: number): number => {
  const right = (buttons & 2) !== 0 ? 4 : 0;
  const middle = (buttons & 4) !== 0 ? 2 : 0;
  return (buttons & 1) | middle | right | (buttons & 8) | (buttons & 16);
};

export type KeySource = ModifierSource & {
  readonly code: string;
  readonly key: string;
  readonly repeat: boolean;
};

/** Characters a key press produces: `key` when it is one printable character, else none. */
export const textOf = (e: KeySource): string => {
  if (e.ctrlKey || e.metaKey) return '';
  return [...e.key].length === 1 ? e.key : '';
};

/** A DOM key event → `input.key`, or undefined when the physical key has no evdev code. */
export const keyMessage = (e: KeySource, down: boolean): InputKey | undefined => {
  const code = evdevOf(e.code);
  if (code === undefined) return undefined;
  return {
    channel: 'input',
    type: 'key',
    code,
    down,
    repeat: down && e.repeat,
    modifiers: modifiersOf(e),
    key: e.key.slice(0, 32),
    text: down ? textOf(e).slice(0, 16) : '',
  };
};

/** `WheelEvent.deltaMode` → protocol mode; deltas are kept fine-grained (fractions rounded to the nearest pixel unit × 1). */
export const wheelModeOf = (deltaMode: number): WheelMode =>
  deltaMode === 1 ? 'line' : deltaMode === 2 ? 'page' : 'pixel';

/** Clamps a wheel delta to the protocol's i16 range, keeping fine pixel deltas. */
export const wheelDelta = (d: number): number => Math.max(-32768, Math.min(32767, Math.round(d)));

/** Maps a point in the element (CSS px) to the remote screen, given the element and screen sizes. */
export const toRemote = (
  x: number,
  y: number,
  cssWidth: number,
  cssHeight: number,
  screenWidth: number,
  screenHeight: number,
): { x: number; y: number } => {
  const sx = cssWidth > 0 ? screenWidth / cssWidth : 1;
  const sy = cssHeight > 0 ? screenHeight / cssHeight : 1;
  return {
    x: Math.max(0, Math.min(screenWidth - 1, Math.floor(x * sx))),
    y: Math.max(0, Math.min(screenHeight - 1, Math.floor(y * sy))),
  };
};

/** The resize request for an element: CSS size × devicePixelRatio, within the protocol's bounds, even. */
export const resizeTarget = (
  cssWidth: number,
  cssHeight: number,
  dpr: number,
): { width: number; height: number; scale: number } => {
  const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
  const width = clamp(Math.round((cssWidth * dpr) / 2) * 2, 320, 7680);
  const height = clamp(Math.round((cssHeight * dpr) / 2) * 2, 200, 4320);
  return { width, height, scale: Math.round(dpr * 100) };
};
