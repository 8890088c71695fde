/**
 * The browser build is the same protocol: bundle libs/protocol for the browser with rolldown, load it
 * into headless Chromium, decode every golden vector and a batch of fuzz inputs in the page, and
 * compare with what Node decodes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzInputs } from '../test-support/fuzz';
import * as protocol from './index';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const root = fileURLToPath(new URL('../../../', import.meta.url));
const vectorsDir = join(root, 'proto/vectors');

type Api = typeof protocol;
type Outcome = { ok: true; messages: unknown[] } | { ok: false; code: string; name: string };

/**
 * Runs in Node and, serialised, in the page: decode each hex input as one frame and as a stream.
 * Must be self-contained (no closures over module scope).
 */
const decodeAll = (api: Api, inputs: string[]): { frame: Outcome; stream: Outcome }[] => {
  const run = (fn: () => unknown[]): Outcome => {
    try {
      return { ok: true, messages: fn() };
    } catch (e) {
      const err = e as { code?: unknown; name?: unknown };
      return { ok: false, code: String(err.code), name: String(err.name) };
    }
  };
  return inputs.map((hex) => {
    const bytes = api.fromHex(hex);
    return {
      frame: run(() => [api.toJson(api.decodeFrame(bytes))]),
      stream: run(() => {
        const d = new api.StreamDecoder();
        const out: unknown[] = [];
        for (let i = 0; i < bytes.length; i += 7)
          d.push(bytes.subarray(i, i + 7), (m) => out.push(api.toJson(m)));
        d.end();
        return out;
      }),
    };
  });
};

describe('the browser bundle of @bpane/protocol', () => {
  let browser: Browser;
  let page: Page;
  let code: string;

  beforeAll(async () => {
    const out = await build({
      input: join(root, 'libs/protocol/src/index.ts'),
      platform: 'browser',
      tsconfig: join(root, 'tsconfig.json'),
      write: false,
      logLevel: 'warn',
      output: { format: 'iife', name: 'BpaneProtocol' },
    });
    code = out.output[0].code;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage();
    await page.addScriptTag({ content: code });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('has no Node dependencies', () => {
    expect(code).not.toMatch(
      /\bBuffer\.|\bnew Buffer\b|\brequire\(|\bprocess\.|from ["']node:|import\(["']node:/,
    );
    expect(code.length).toBeGreaterThan(10_000);
  });

  const vectorInputs = (): string[] =>
    readdirSync(vectorsDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .flatMap((f) => {
        const file = JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')) as {
          valid: { hex: string }[];
          invalid: { hex: string }[];
        };
        return [...file.valid, ...file.invalid].map((v) => v.hex);
      });

  it('decodes every golden vector exactly as Node does', async () => {
    const inputs = vectorInputs();
    expect(inputs.length).toBeGreaterThan(300);
    const inPage = await page.evaluate(
      ({ fn, inputs }) => {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the shared decodeAll, serialised
        const f = (new Function(`return (${fn})`) as () => (api: unknown, i: string[]) => unknown)();
        return f((globalThis as unknown as { BpaneProtocol: unknown }).BpaneProtocol, inputs);
      },
      { fn: decodeAll.toString(), inputs },
    );
    const inNode = decodeAll(protocol, inputs);
    expect(inPage).toEqual(inNode);
    const failures = inNode.filter((r) => !r.frame.ok).length;
    expect(failures).toBeGreaterThan(250); // the invalid vectors fail alike, with the same codes
  });

  it('decodes 5,000 fuzz inputs exactly as Node does', async () => {
    const inputs = fuzzInputs(7, 5000).map(protocol.toHex);
    const inPage = await page.evaluate(
      ({ fn, inputs }) => {
        // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the shared decodeAll, serialised
        const f = (new Function(`return (${fn})`) as () => (api: unknown, i: string[]) => unknown)();
        return f((globalThis as unknown as { BpaneProtocol: unknown }).BpaneProtocol, inputs);
      },
      { fn: decodeAll.toString(), inputs },
    );
    expect(inPage).toEqual(decodeAll(protocol, inputs));
  });

  it('encodes in the page to the bytes Node encodes', async () => {
    const messages = readdirSync(vectorsDir)
      .filter((f) => f.endsWith('.json'))
      .flatMap(
        (f) =>
          (JSON.parse(readFileSync(join(vectorsDir, f), 'utf8')) as { valid: { decoded: unknown }[] }).valid,
      )
      .map((v) => v.decoded);
    const inPage = await page.evaluate((msgs) => {
      const api = (globalThis as unknown as { BpaneProtocol: Api }).BpaneProtocol;
      return msgs.map((m) => api.toHex(api.encode(api.fromJson(m as protocol.JsonMessage))));
    }, messages);
    expect(inPage).toEqual(
      messages.map((m) => protocol.toHex(protocol.encode(protocol.fromJson(m as protocol.JsonMessage)))),
    );
  });
});
