/**
 * The bundle's shape, which start-up time depends on (CONTRIBUTING.md: Keeping start-up fast): one copy of each
 * package, each module once, nothing in the chunks every run loads that only some runs need,
 * and dist/'s JavaScript within budget. Builds in memory with rolldown.config.ts, as
 * `node scripts/check-bundle.ts` does; CI proves the committed dist/ is that same build.
 * Timing itself is `npm run bench`'s job, never a test's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChunkInfo } from '../../scripts/check-bundle.ts';
import { MAX_BUNDLE_BYTES, buildChunks, findProblems } from '../../scripts/check-bundle.ts';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { DEFERRED_REQUIRES } from '../../rolldown.config.ts';

const nm = (rel: string): string => path.join(ROOT, 'node_modules', ...rel.split('/'));
const ours = (rel: string): string => path.join(ROOT, 'src', rel);

/** A small, healthy bundle to break in one way per test. */
function healthy(): ChunkInfo[] {
  return [
    {
      fileName: 'index.js',
      isEntry: true,
      imports: [],
      moduleIds: [
        ours('index.ts'),
        nm('@actions/core/lib/core.js'),
        nm('undici/lib/dispatcher/agent.js'),
        nm('undici/lib/api/api-request.js'),
      ],
      bytes: 500_000,
    },
    {
      fileName: 'github-abc.js',
      isEntry: false,
      imports: [],
      moduleIds: [ours('github/client.ts'), nm('undici/index.js')],
      bytes: 400_000,
    },
  ];
}

describe('the check itself', () => {
  it('passes a healthy bundle', () => {
    expect(findProblems(healthy())).toEqual([]);
  });

  it('fails when a second copy of undici enters the bundle', () => {
    const chunks = healthy();
    chunks[1]!.moduleIds.push(nm('@actions/http-client/node_modules/undici/lib/core/util.js'));
    const problems = findProblems(chunks);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^2 copies of undici are bundled/);
    expect(problems[0]).toContain('node_modules/@actions/http-client/node_modules/undici');
  });

  it('fails on a second copy of any package, scoped names included', () => {
    const chunks = healthy();
    chunks[1]!.moduleIds.push(nm('mustache/node_modules/@actions/core/lib/core.js'));
    expect(findProblems(chunks)).toEqual([
      expect.stringMatching(/^2 copies of @actions\/core are bundled/),
    ]);
  });

  it('fails when a module is in two chunks', () => {
    const chunks = healthy();
    chunks[1]!.moduleIds.push(nm('undici/lib/dispatcher/agent.js'));
    expect(findProblems(chunks)).toEqual([
      expect.stringContaining(
        'undici/lib/dispatcher/agent.js is in both index.js and github-abc.js',
      ),
    ]);
  });

  it("fails when on-demand code is loaded by every run, through a chunk's static imports too", () => {
    const chunks = healthy();
    chunks[0]!.imports.push('github-abc.js');
    const problems = findProblems(chunks);
    expect(problems).toEqual([
      expect.stringContaining('src/github/client.ts is loaded by every run'),
      expect.stringContaining('undici/index.js is loaded by every run'),
    ]);
  });

  it('fails over the size budget', () => {
    const chunks = healthy();
    chunks[1]!.bytes = MAX_BUNDLE_BYTES;
    expect(findProblems(chunks)).toEqual([
      expect.stringContaining('over the 1,500,000-byte budget'),
    ]);
  });
});

describe('the bundle rolldown.config.ts builds', () => {
  let chunks: ChunkInfo[];
  beforeAll(async () => {
    chunks = await buildChunks();
  });

  it('has one copy of each package, on-demand code on demand, within budget', () => {
    expect(findProblems(chunks)).toEqual([]);
  });

  it('is what dist/ holds: the same JavaScript files', () => {
    const committed = readdirSync(path.join(ROOT, 'dist')).filter((f) => f.endsWith('.js'));
    expect(committed.sort()).toEqual(chunks.map((c) => c.fileName).sort());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'dist', 'package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
  });
});

describe("undici's deferred requires (rolldown.config.ts)", () => {
  const fromDist = createRequire(path.join(ROOT, 'dist', 'index.js'));
  const fromSource = createRequire(path.join(ROOT, 'package.json'));
  /** What a caller can read of a module's exports: its names and their kinds. */
  const shape = (exports: object): Record<string, string> =>
    Object.fromEntries(Object.entries(exports).map(([name, value]) => [name, typeof value]));

  it.each(DEFERRED_REQUIRES)('dist/$file.js is required by index.js', ({ file }) => {
    const index = readFileSync(path.join(ROOT, 'dist', 'index.js'), 'utf8');
    expect(index).toContain(`require("./${file}.js")`);
  });

  it.each(DEFERRED_REQUIRES)('dist/$file.js exports what $module does', ({ file, module }) => {
    const built: unknown = fromDist(`./${file}.js`);
    const original: unknown = fromSource(module);
    expect(typeof built).toBe(typeof original);
    if (Buffer.isBuffer(original)) expect(Buffer.compare(built as Buffer, original)).toBe(0);
    else expect(shape(built as object)).toEqual(shape(original as object));
  });
});
