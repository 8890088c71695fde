import { createRequire } from 'node:module';

/**
 * Typed face of the `gstreamer-superficial` addon (no typings ship with it): a parsed pipeline,
 * elements found by name with their GObject properties, appsrc `push`, appsink `pull`, and
 * `forceKeyUnit` (an upstream force-key-unit event sent from the named element's sink pad).
 */
export interface GstElement {
  [property: string]: unknown;
}
export interface GstAppSrc extends GstElement {
  caps: string;
  push(buf: Buffer, ptsBigEndianNs?: Buffer): void;
}
export type GstCaps = Readonly<Record<string, string | number>>;
export interface GstAppSink extends GstElement {
  pull(cb: (buf: Buffer | undefined, caps: GstCaps | undefined) => void): void;
}
export interface GstPipeline {
  play(): void;
  pause(): void;
  stop(): void;
  sendEOS(): void;
  findChild<T extends GstElement = GstElement>(name: string): T;
  forceKeyUnit(elementName: string, count: number): boolean;
  pollBus(cb: (msg: Record<string, unknown>) => void): void;
}
type GstModule = { Pipeline: new (description: string) => GstPipeline };

let mod: GstModule | null = null;
export const gst = (): GstModule =>
  (mod ??= createRequire(import.meta.url)('gstreamer-superficial') as GstModule);

/** A presentation timestamp in the 8-byte big-endian form `appsrc.push` takes. */
export const ptsBuffer = (ns: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(ns);
  return b;
};

/** True when an Annex-B access unit contains an IDR slice (NAL type 5). */
export const isKeyAccessUnit = (au: Uint8Array): boolean => {
  for (let i = 0; i + 3 < au.length; i++)
    if (au[i] === 0 && au[i + 1] === 0 && au[i + 2] === 1 && (au[i + 3]! & 0x1f) === 5) return true;
  return false;
};
