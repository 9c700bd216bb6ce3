/**
 * No dead code behind an export: every function or class that a module of src/ exports is named
 * by some other file (another module, a test, a script or the sandbox). An export nobody names
 * is code that runs for no one yet still has to be read, reviewed and kept in step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';

/** The code of the repository that may name an export of src/, by path from the root. */
function codeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const top of ['src', '__tests__', 'scripts', 'sandbox']) {
    for (const entry of readdirSync(path.join(ROOT, top), {
      recursive: true,
      withFileTypes: true,
    })) {
      if (!entry.isFile() || !/\.(ts|js|mjs|cjs)$/.test(entry.name)) continue;
      const full = path.join(entry.parentPath, entry.name);
      files.set(path.relative(ROOT, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  }
  return files;
}

/** `src/a.ts: name` for each exported function or class of src/ that no other file names. */
function unusedExports(files: Map<string, string>): string[] {
  const unused: string[] = [];
  for (const [file, text] of files) {
    if (!file.startsWith('src/')) continue;
    for (const [, name] of text.matchAll(/^export (?:async )?(?:function\*?|class) (\w+)/gm)) {
      const word = new RegExp(`\\b${name}\\b`);
      const named = [...files].some(([other, code]) => other !== file && word.test(code));
      if (!named) unused.push(`${file}: ${name}`);
    }
  }
  return unused;
}

describe('exports of src/', () => {
  it('finds an exported function no other file names', () => {
    const files = new Map([
      ['src/a.ts', 'export function used() {}\nexport async function dead() {}\n'],
      ['src/b.ts', "import { used } from './a.js';\nexport class Lonely {}\n"],
    ]);
    expect(unusedExports(files)).toEqual(['src/a.ts: dead', 'src/b.ts: Lonely']);
  });

  it('every exported function and class is used outside its module', () => {
    expect(unusedExports(codeFiles())).toEqual([]);
  });
});
