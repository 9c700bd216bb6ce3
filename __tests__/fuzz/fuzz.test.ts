/**
 * The fuzzing suite's bounded run inside `npm test`: a fixed seed (FUZZ_SEED overrides it), a
 * few cases of each kind through the real modules and one through the bundle. `npm run fuzz`
 * runs the same with FUZZ_PER_KIND cases of each kind (see __tests__/fuzz/cases.ts).
 */
import { expect, it } from 'vitest';
import { fuzz } from './cases.ts';

const seed = Number(process.env.FUZZ_SEED ?? 20261201);
const perKind = Number(process.env.FUZZ_PER_KIND ?? 40);
const long = perKind > 100;

it(
  `holds every invariant on ${perKind} cases of each kind (seed ${seed})`,
  async () => {
    const tally = await fuzz(seed, perKind, { bundleEvery: long ? 50 : 40 });
    const kinds = ['inputs', 'event', 'server'] as const;
    const lines = kinds.map((k) => `${k}: ${tally.tried[k]} tried, ${tally.held[k]} held`);
    const total = kinds.reduce((n, k) => n + tally.tried[k], 0);
    const mib = (n: number): string => (n / 1048576).toFixed(1);
    const heap = `heap after GC: ${mib(tally.heap.start)} MiB at the start, ${mib(tally.heap.end)} MiB at the end`;
    console.log(
      `fuzz seed ${seed}: ${total} cases (${tally.bundle} through the bundle)\n${lines.join('\n')}\n${heap}`,
    );
    expect(tally.failures, `seed ${seed} (replay: FUZZ_SEED=${seed})`).toEqual([]);
    expect(total).toBe(perKind * 3);
  },
  long ? 0 : 60_000,
);
