/**
 * `npm run lint` (after eslint): src/ has no import cycle, no pure module importing I/O, and no
 * re-export hub (the rules: scripts/lib/layers.ts). Prints each problem as file:line and exits 1.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayers } from './lib/layers.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

const sources = new Map<string, string>();
for (const entry of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
  const full = path.join(entry.parentPath, entry.name);
  sources.set(path.relative(SRC, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
}

const problems = checkLayers(sources);
for (const p of problems) console.error(`src/${p.file}:${p.line}: ${p.message}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} layer problem${problems.length === 1 ? '' : 's'} in src/.`);
  process.exit(1);
}
console.log(`Layers hold: ${sources.size} modules of src/, no cycle, no pure module doing I/O.`);
