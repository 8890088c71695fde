import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formattedSchemaTypes, generateSchemaTypes, OUTPUT_PATH, typeOf } from '../../tools/generate-schema';

describe('generated API types', () => {
  it('match the contract (regenerate with npx tsx services/admin-web/tools/generate-schema.ts)', async () => {
    expect(readFileSync(OUTPUT_PATH, 'utf8')).toBe(await formattedSchemaTypes());
  });

  it('map nullable references, enums with null and open maps', () => {
    expect(typeOf({ oneOf: [{ $ref: '#/components/schemas/Uuid' }, { type: 'null' }] })).toBe('Uuid | null');
    expect(typeOf({ type: ['string', 'null'], enum: ['stop', null] })).toBe('"stop" | null');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'string' } })).toBe(
      '{\n  [key: string]: string;\n}',
    );
  });

  it('marks optional properties and emits one type per schema', () => {
    const out = generateSchemaTypes(
      'components:\n  schemas:\n    A:\n      type: object\n      required: [x]\n      properties:\n        x: {type: integer}\n        y: {type: array, items: {type: string}}\n',
    );
    expect(out).toContain('export type A = {\n  x: number;\n  y?: Array<string>;\n};');
    expect(out).toContain('export type SchemaName = "A";');
  });
});
