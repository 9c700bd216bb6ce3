/**
 * The fuzzing suite's bounded run inside `npm test`: a fixed seed (FUZZ_SEED overrides it), a
 * few cases of each kind through the real modules and one through the bundle. `npm run fuzz`
 * runs the same with FUZZ_PER_KIND cases of each kind (see __tests__/fuzz/cases.ts).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { fuzz } from './cases.ts';
import type { Tally } from './cases.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const perKind = Number(process.env.FUZZ_PER_KIND ?? 40);
const long = perKind > 100;

it(
  `holds every invariant on ${perKind} cases of each kind (seed ${seed})`,
  async () => {
    const { tally, leftovers } = await inOwnTempFolder(() =>
      fuzz(seed, perKind, { bundleEvery: long ? 50 : 40 }),
    );
    const kinds = ['inputs', 'event', 'server', 'fork'] as const;
    const lines = kinds.map((k) => `${k}: ${tally.tried[k]} tried, ${tally.held[k]} held`);
    const total = kinds.reduce((n, k) => n + tally.tried[k], 0);
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    const heap = `heap after GC: ${mib(tally.heap.start)} MiB at the start, ${mib(tally.heap.end)} MiB at the end`;
    console.log(
      `fuzz seed ${seed}: ${total} cases (${tally.bundle} through the bundle)\n${lines.join('\n')}\n${heap}`,
    );
    expect(tally.failures, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(total).toBe(perKind * kinds.length);
    expect(leftovers, 'left in the temp folder').toEqual([]);
  },
  long ? 0 : 60_000,
);

/**
 * Runs `body` with the OS temp folder (`os.tmpdir()`: TMPDIR, TEMP or TMP) pointed at a fresh
 * folder of its own, and returns what the run left in it, so a case that forgets to clean up
 * shows, while other runs on the machine do not.
 */
async function inOwnTempFolder(
  body: () => Promise<Tally>,
): Promise<{ tally: Tally; leftovers: string[] }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'hipchat-fuzz-tmp-'));
  const names = ['TMPDIR', 'TEMP', 'TMP'] as const;
  const saved = names.map((name) => process.env[name]);
  for (const name of names) process.env[name] = folder;
  try {
    const tally = await body();
    return { tally, leftovers: readdirSync(folder) };
  } finally {
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    });
    rmSync(folder, { recursive: true, force: true });
  }
}
