/**
 * npx tsx services/host-agent/bench/tile-codecs.ts
 *
 * The measurements behind ADR 0005: on screenshots of real pages (text, UI, photo-like canvas)
 * captured from a runtime, every 64×64 tile is encoded with each candidate lossless codec and
 * hashed with each candidate hash. Reports bytes and encode CPU per tile. Writes
 * bench-results/tile-codecs.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import { CdpClient } from '../src/cdp/cdp-client';
import { TileGrid } from '../src/tiles/geometry';
import { encodePng } from '../src/tiles/png';
import { encodeQoi } from '../src/tiles/qoi';
import { extractRect, hashPixels } from '../src/tiles/tile-hash';
import { canvasPage, textPage } from '../src/test-support/pages';
import { startRuntime } from '../src/test-support/runtime-fixture';
import { XConnection } from '../src/x11/x-connection';

const toRgb = (px: Uint32Array): Buffer => {
  const out = Buffer.allocUnsafe(px.length * 3);
  for (let i = 0; i < px.length; i++) {
    const v = px[i]!;
    out[i * 3] = (v >> 16) & 255;
    out[i * 3 + 1] = (v >> 8) & 255;
    out[i * 3 + 2] = v & 255;
  }
  return out;
};

const main = async (): Promise<void> => {
  const fx = await startRuntime();
  const shots: Record<string, Uint32Array> = {};
  try {
    const cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    const x = await XConnection.open(fx.runtime.display);
    for (const [name, url] of [
      ['text', textPage()],
      ['canvas', canvasPage()],
    ] as const) {
      await cdp.navigate(url);
      await new Promise((r) => setTimeout(r, 800));
      shots[name] = new Uint32Array(Uint8Array.from(await x.getImage(0, 0, 1280, 720)).buffer);
    }
    x.close();
    cdp.close();
  } finally {
    await fx.dispose();
  }
  const grid = new TileGrid(1280, 720, 64);
  const results: Record<string, unknown> = {};
  for (const [name, px] of Object.entries(shots)) {
    const tiles = Array.from({ length: grid.count }, (_, i) => grid.rect(i));
    const codecs: Record<
      string,
      (r: { x: number; y: number; w: number; h: number }) => Promise<number> | number
    > = {
      qoi: (r) => encodeQoi(px, 1280, r.x, r.y, r.w, r.h).length,
      png_own_zlib6: (r) => encodePng(px, 1280, r.x, r.y, r.w, r.h).length,
      png_own_zlib1: (r) => encodePng(px, 1280, r.x, r.y, r.w, r.h, 1).length,
      deflate_rgb_l1: (r) =>
        deflateRawSync(toRgb(extractRect(px, 1280, r.x, r.y, r.w, r.h)), { level: 1 }).length,
      deflate_rgb_l6: (r) =>
        deflateRawSync(toRgb(extractRect(px, 1280, r.x, r.y, r.w, r.h)), { level: 6 }).length,
      sharp_png: async (r) =>
        (
          await sharp(toRgb(extractRect(px, 1280, r.x, r.y, r.w, r.h)), {
            raw: { width: r.w, height: r.h, channels: 3 },
          })
            .png({ compressionLevel: 6 })
            .toBuffer()
        ).length,
      sharp_webp_lossless: async (r) =>
        (
          await sharp(toRgb(extractRect(px, 1280, r.x, r.y, r.w, r.h)), {
            raw: { width: r.w, height: r.h, channels: 3 },
          })
            .webp({ lossless: true, effort: 0 })
            .toBuffer()
        ).length,
    };
    const perCodec: Record<string, { bytes: number; ms_per_tile: number; cpu_ms_per_tile: number }> = {};
    for (const [codec, fn] of Object.entries(codecs)) {
      for (const r of tiles.slice(0, 10)) await fn(r); // warm up
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let bytes = 0;
      for (const r of tiles) bytes += await fn(r);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(c0);
      perCodec[codec] = {
        bytes,
        ms_per_tile: Number((ms / tiles.length).toFixed(3)),
        cpu_ms_per_tile: Number(((cpu.user + cpu.system) / 1000 / tiles.length).toFixed(3)),
      };
    }
    const hashes: Record<string, number> = {};
    const reps = 20;
    let t0 = performance.now();
    for (let k = 0; k < reps; k++) for (const r of tiles) hashPixels(px, 1280, r.x, r.y, r.w, r.h);
    hashes['murmur2x32_js_us_per_tile'] = Number(
      (((performance.now() - t0) * 1000) / (reps * tiles.length)).toFixed(2),
    );
    for (const algo of ['md5', 'sha1', 'sha256']) {
      t0 = performance.now();
      for (let k = 0; k < reps; k++)
        for (const r of tiles) {
          const h = createHash(algo);
          for (let row = 0; row < r.h; row++) {
            const o = ((r.y + row) * 1280 + r.x) * 4;
            h.update(new Uint8Array(px.buffer, o, r.w * 4));
          }
          h.digest();
        }
      hashes[`${algo}_rowwise_us_per_tile`] = Number(
        (((performance.now() - t0) * 1000) / (reps * tiles.length)).toFixed(2),
      );
    }
    results[name] = { tiles: tiles.length, raw_bytes: 1280 * 720 * 3, codecs: perCodec, hashes };
    console.log(name, JSON.stringify(results[name], null, 1));
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/tile-codecs.json',
    JSON.stringify({ generated: new Date().toISOString(), results }, null, 2),
  );
};

await main();
