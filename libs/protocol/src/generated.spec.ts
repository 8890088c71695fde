import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../tools/catalogue';
import { GENERATED_PATH, SPEC_PATH, generate, renderSpec } from '../tools/generate';
import { CODECS, Capability, allCodecs } from './index';

describe('generated codecs', () => {
  it('match proto/catalogue.json (run `npm run proto:generate` after editing the catalogue)', async () => {
    const expected = await generate(loadCatalogue());
    expect(readFileSync(GENERATED_PATH, 'utf8') === expected).toBe(true);
  }, 60_000); // generation formats with prettier: slow on a busy machine

  it('are described by the message reference in proto/SPEC.md', async () => {
    const spec = readFileSync(SPEC_PATH, 'utf8');
    expect((await renderSpec(spec, loadCatalogue())) === spec).toBe(true);
  });

  it('have one codec per catalogue message with the catalogue ids', () => {
    const cat = loadCatalogue();
    const fromCatalogue = cat.channels.flatMap((ch) =>
      ch.messages.map((m) => `${ch.id}/${m.id} ${ch.name}.${m.name}`),
    );
    const fromCode = allCodecs().map((c) => `${c.channelId}/${c.typeId} ${c.channel}.${c.type}`);
    expect(fromCode).toEqual(fromCatalogue);
    expect(Object.keys(CODECS)).toEqual(cat.channels.map((c) => c.name));
    expect(Object.entries(Capability)).toEqual(cat.capabilities.map((c) => [c.name, c.id]));
  });
});
