import { Modifiers } from '@bpane/protocol';
import { describe, expect, it } from 'vitest';
import { EVDEV_BY_DOM_CODE, evdevOf } from './dom-codes';
import {
  buttonsOf,
  keyMessage,
  modifiersOf,
  pointerButtonOf,
  resizeTarget,
  textOf,
  toRemote,
  wheelDelta,
  wheelModeOf,
} from './input-map';

const key = (over: Partial<Parameters<typeof keyMessage>[0]>): Parameters<typeof keyMessage>[0] => ({
  code: 'KeyA',
  key: 'a',
  repeat: false,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...over,
});

describe('DOM codes', () => {
  it('maps physical keys to Linux evdev codes', () => {
    expect(
      [
        'Escape',
        'KeyA',
        'KeyZ',
        'Enter',
        'Space',
        'ShiftLeft',
        'ArrowLeft',
        'F12',
        'MetaLeft',
        'NumpadEnter',
        'IntlBackslash',
      ].map(evdevOf),
    ).toEqual([1, 30, 44, 28, 57, 42, 105, 88, 125, 96, 86]);
    expect(evdevOf('Unidentified')).toBeUndefined();
    expect(evdevOf('toString')).toBeUndefined();
  });
  it('never maps two DOM codes to one evdev code, and every code fits the wire (≤ 767)', () => {
    const values = Object.values(EVDEV_BY_DOM_CODE);
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => v > 0 && v <= 767)).toBe(true);
  });
});

describe('input mapping', () => {
  it('key events carry the physical code, key, text and modifiers', () => {
    expect(keyMessage(key({ code: 'KeyQ', key: 'a' }), true)).toEqual({
      channel: 'input',
      type: 'key',
      code: 16,
      down: true,
      repeat: false,
      modifiers: 0,
      key: 'a',
      text: 'a',
    });
    expect(keyMessage(key({ code: 'Digit1', key: '!', shiftKey: true, repeat: true }), true)).toMatchObject({
      code: 2,
      modifiers: Modifiers.shift,
      text: '!',
      repeat: true,
    });
    expect(keyMessage(key({ code: 'KeyC', key: 'c', ctrlKey: true }), true)).toMatchObject({
      text: '',
      modifiers: Modifiers.ctrl,
    });
    expect(keyMessage(key({ code: 'Enter', key: 'Enter' }), true)).toMatchObject({ text: '', key: 'Enter' });
    expect(keyMessage(key({}), false)).toMatchObject({ down: false, text: '', repeat: false });
    expect(keyMessage(key({ code: 'Unidentified' }), true)).toBeUndefined();
  });
  it('text is one printable character, including astral ones', () => {
    expect(textOf(key({ key: '😀' }))).toBe('😀');
    expect(textOf(key({ key: 'Dead' }))).toBe('');
  });
  it('modifier state includes AltGraph, CapsLock and NumLock', () => {
    const e = {
      shiftKey: true,
      ctrlKey: false,
      altKey: true,
      metaKey: true,
      getModifierState: (k: string) => k === 'CapsLock' || k === 'AltGraph',
    };
    expect(modifiersOf(e)).toBe(
      Modifiers.shift | Modifiers.alt | Modifiers.meta | Modifiers.capsLock | Modifiers.altGraph,
    );
  });
  it('buttons: DOM order (right = 2, middle = 4) becomes the protocol order (middle = 2, right = 4)', () => {
    expect([0, 1, 2, 3, 4].map(pointerButtonOf)).toEqual(['left', 'middle', 'right', 'back', 'forward']);
    expect(pointerButtonOf(7)).toBeUndefined();
    expect(buttonsOf(1 | 2)).toBe(1 | 4);
    expect(buttonsOf(4 | 8 | 16)).toBe(2 | 8 | 16);
  });
  it('wheel keeps fine pixel deltas within i16', () => {
    expect([0, 1, 2].map(wheelModeOf)).toEqual(['pixel', 'line', 'page']);
    expect([1.4, -2.6, 1e6, -1e6].map(wheelDelta)).toEqual([1, -3, 32767, -32768]);
  });
  it('maps element coordinates onto the remote screen, clamped inside it', () => {
    expect(toRemote(100, 50, 500, 250, 1000, 500)).toEqual({ x: 200, y: 100 });
    expect(toRemote(-5, 999, 500, 250, 1000, 500)).toEqual({ x: 0, y: 499 });
  });
  it('resize requests are CSS size × DPR, even, within bounds', () => {
    expect(resizeTarget(900, 560, 1)).toEqual({ width: 900, height: 560, scale: 100 });
    expect(resizeTarget(801, 451, 2)).toEqual({ width: 1602, height: 902, scale: 200 });
    expect(resizeTarget(100, 50, 1.5)).toEqual({ width: 320, height: 200, scale: 150 });
  });
});
