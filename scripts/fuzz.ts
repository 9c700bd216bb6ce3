/**
 * `npm run fuzz`: the fuzzing suite's long run — FUZZ_PER_KIND cases of each of its four kinds
 * (default 2,600: over 10,000 in all), seeded by FUZZ_SEED (default a fresh one, printed). It runs the
 * suite's one test file under vitest (which resolves the sources' `.js` imports), printing how
 * many cases of each kind were tried and held; a violation names the seed and the case.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './lib/action-runner.ts';

const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const perKind = process.env.FUZZ_PER_KIND ?? '2600';
console.log(`fuzz: seed ${seed}, ${perKind} cases of each kind`);
const vitest = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--silent=false', path.join('__tests__', 'fuzz', 'fuzz.test.ts')],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ_SEED: seed, FUZZ_PER_KIND: perKind } },
);
process.exit(result.status ?? 1);
