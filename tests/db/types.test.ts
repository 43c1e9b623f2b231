// src/types/database.ts must be what `npm run gen:types` produces from the
// migrations today: regenerate into memory (real Supabase CLI, throw-away
// database) and compare with the committed file.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateTypesFromMigrations, TYPES_FILE } from '../../stack/cli/gen-types.ts';

describe('src/types/database.ts', () => {
  it('is not stale (run `npm run gen:types` if this fails)', async () => {
    const committed = await fs.readFile(TYPES_FILE, 'utf8');
    const regenerated = await generateTypesFromMigrations();
    expect(regenerated).toContain('export type Database');
    expect(regenerated).toContain('"organisations"');
    expect(committed).toBe(regenerated);
  }, 120_000);
});
