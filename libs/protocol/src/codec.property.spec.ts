import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_ARBITRARIES, anyMessage } from '../test-support/arbitraries';
import { StreamDecoder, decodeFrame, encode, encodeAll, toJson, type Message } from './index';

const SEED = 20261122;

describe('property: encode then decode is the identity', () => {
  it.each(MESSAGE_ARBITRARIES.map((a) => [a.name, a.arb] as const))('%s', (_, arb) => {
    fc.assert(
      fc.property(arb, (m) => {
        expect(toJson(decodeFrame(encode(m)))).toEqual(toJson(m));
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('property: any split of a stream decodes identically', () => {
  it('random messages, random cut points', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (messages: Message[], cuts: number[]) => {
          const stream = encodeAll(messages);
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const d = new StreamDecoder();
          const got: Message[] = [];
          let prev = 0;
          for (const p of [...points, stream.length]) {
            d.push(stream.subarray(prev, p), (m) => got.push(m));
            prev = p;
          }
          d.end();
          expect(got.map(toJson)).toEqual(messages.map(toJson));
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });
});
