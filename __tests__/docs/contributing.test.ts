/**
 * CONTRIBUTING.md is how to work here, short enough to read before a first change: history,
 * measurements and the reasons behind decisions go to docs/adr/, test-tier details to
 * __tests__/README.md. The index of docs/adr/ lists every record (the links test checks that
 * what it links exists).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const LIMIT = 12 * 1024;

describe('CONTRIBUTING.md', () => {
  it(`stays within ${LIMIT} bytes (move history and figures to docs/adr/)`, () => {
    expect(statSync(new URL('CONTRIBUTING.md', ROOT)).size).toBeLessThanOrEqual(LIMIT);
  });

  it('and docs/adr/README.md list every decision record', () => {
    const records = readdirSync(new URL('docs/adr/', ROOT)).filter((f) => /^\d{4}-.*\.md$/.test(f));
    expect(records.length).toBeGreaterThan(0);
    const index = readFileSync(new URL('docs/adr/README.md', ROOT), 'utf8');
    for (const record of records) expect(index).toContain(`(${record})`);
  });
});
