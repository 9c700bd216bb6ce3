/**
 * `npm run check-bundle`: builds the bundle in memory with rolldown.config.ts and checks
 * what start-up time depends on (CONTRIBUTING.md: Keeping start-up fast):
 *
 * - one copy of each package: a second undici (say, `undici@7` beside the `undici@6` the
 *   `@actions/*` packages pin) would be bundled, and evaluated, twice;
 * - each module in one chunk only;
 * - the chunks every run loads hold nothing that only some runs need: the GitHub client
 *   (`send-when`), proxy agents, the YAML parser (`vars`), the XML parser (`test-results`), undici's index with fetch/WebSocket/cache, the OIDC client's
 *   HTTP stack, @actions/exec;
 * - dist/'s JavaScript stays within its size budget.
 *
 * Prints the packages per chunk; exits 1 with one line per problem. `__tests__/e2e/bundle.test.ts`
 * runs the same check. The committed dist/ is the same build: CI rebuilds it and compares.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import type { OutputChunk } from 'rolldown';
import config, { DEFERRED_REQUIRES, deferredEntryId, packageOf } from '../rolldown.config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the check needs to know of one chunk. */
export interface ChunkInfo {
  fileName: string;
  /** The file the runner starts (not a deferred `require()`'s file, rolldown.config.ts). */
  isEntry: boolean;
  /** Chunks this one loads as soon as it is loaded. */
  imports: string[];
  /** Absolute module ids (paths) bundled into this chunk. */
  moduleIds: string[];
  bytes: number;
}

/** dist/ JavaScript budget, in bytes (1.5 MB). */
export const MAX_BUNDLE_BYTES = 1_500_000;

/**
 * Modules that only some runs need, so they must not be in a chunk every run loads. Paths are
 * matched with forward slashes, after the last `node_modules/`.
 */
export const ON_DEMAND_ONLY: readonly { pattern: RegExp; why: string }[] = [
  { pattern: /^(@actions\/github|@octokit\/[^/]+)\//, why: 'octokit is not used (src/github/)' },
  { pattern: /^@actions\/http-client\//, why: 'the OIDC / GitHub HTTP client' },
  { pattern: /^tunnel\//, why: "@actions/http-client's proxy tunnel" },
  { pattern: /^@actions\/(exec|io)\//, why: 'core.platform, never called' },
  {
    pattern: /^@actions\/core\/lib\/summary\.js$/,
    why: 'core.summary loads fs.promises; runner-io.ts appends the step summary itself',
  },
  { pattern: /^undici\/index\.js$/, why: "undici's index evaluates fetch, WebSocket, cache…" },
  {
    pattern: /^undici\/lib\/(web|mock)\//,
    why: "undici's fetch / WebSocket / cache / EventSource / mocks (fetch's body helpers, for FormData bodies, are a deferred require)",
  },
  {
    pattern: /^undici\/lib\/dispatcher\/client-h2\.js$/,
    why: 'the HTTP/2 client is a deferred require, for h2 connections (allowH2)',
  },
  {
    pattern: /^undici\/lib\/llhttp\/llhttp-wasm\.js$/,
    why: 'the non-SIMD HTTP parser is a deferred require, for CPUs without WebAssembly SIMD',
  },
  { pattern: /^yaml\//, why: 'the YAML parser is for the vars and users inputs' },
  {
    pattern: /^(saxes|xmlchars)\//,
    why: 'the XML parser is for test-results',
  },
  {
    pattern: /^undici\/lib\/dispatcher\/(env-http-)?proxy-agent\.js$/,
    why: 'proxy agents load only when a proxy is configured',
  },
];

/**
 * The action's own modules that only some runs need, matched against their path from the
 * repository root: the GitHub client (send-when, the whole run), the proxy module and the
 * history lookup (`lookup-id`). The client's pure helpers (`wait-share.ts`, `endpoint.ts`) are
 * small and may load with main.ts.
 */
export const ON_DEMAND_SOURCES: readonly { pattern: RegExp; why: string }[] = [
  {
    pattern: /^src\/github\/(client|request|pacing|errors)\.ts$/,
    why: 'the GitHub client is for send-when and the whole-run features',
  },
  {
    pattern: /^src\/commits\/(gate|release|view)\.ts$/,
    why: "a release's commits are read from the GitHub API only when `commits` asks",
  },
  {
    pattern: /^src\/http\/proxy\.ts$/,
    why: 'the proxy module loads only when a proxy variable is set',
  },
  {
    pattern: /^src\/follow-up\/(lookup|match)\.ts$/,
    why: 'the history lookup is for `lookup-id` only',
  },
];

/** The path of a module inside its package's `node_modules/` folder, forward slashes. */
function packagePath(id: string): string | undefined {
  const normalized = id.replace(/\\/g, '/');
  const at = normalized.lastIndexOf('/node_modules/');
  return at < 0 ? undefined : normalized.slice(at + '/node_modules/'.length);
}

const relative = (file: string): string => path.relative(ROOT, file).replace(/\\/g, '/');

/** The chunks every run loads: the entry and what it imports statically, transitively. */
export function startupChunks(chunks: readonly ChunkInfo[]): Set<string> {
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const startup = new Set<string>();
  const visit = (fileName: string): void => {
    if (startup.has(fileName)) return;
    startup.add(fileName);
    for (const next of byName.get(fileName)?.imports ?? []) visit(next);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  return startup;
}

/** Every problem with this set of chunks, one sentence each; empty when all is well. */
export function findProblems(chunks: readonly ChunkInfo[]): string[] {
  const problems: string[] = [];

  const copies = new Map<string, Set<string>>();
  for (const chunk of chunks) {
    for (const id of chunk.moduleIds) {
      const pkg = packageOf(id);
      if (!pkg) continue;
      const dirs = copies.get(pkg.name) ?? new Set<string>();
      dirs.add(pkg.dir);
      copies.set(pkg.name, dirs);
    }
  }
  for (const [name, dirs] of copies) {
    if (dirs.size > 1) {
      problems.push(
        `${dirs.size} copies of ${name} are bundled (${[...dirs].map(relative).join(', ')}): align the versions so npm installs one (npm ls ${name}).`,
      );
    }
  }

  const owner = new Map<string, string>();
  for (const chunk of chunks) {
    for (const id of chunk.moduleIds) {
      const first = owner.get(id);
      if (first && first !== chunk.fileName) {
        problems.push(`${relative(id)} is in both ${first} and ${chunk.fileName}.`);
      }
      owner.set(id, chunk.fileName);
    }
  }

  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  for (const fileName of startupChunks(chunks)) {
    for (const id of byName.get(fileName)?.moduleIds ?? []) {
      const inPackage = packagePath(id);
      const own = inPackage ? undefined : relative(id);
      const rule = inPackage
        ? ON_DEMAND_ONLY.find((r) => r.pattern.test(inPackage))
        : ON_DEMAND_SOURCES.find((r) => r.pattern.test(own!));
      if (rule) {
        problems.push(
          `${inPackage ?? own} is loaded by every run (chunk ${fileName}), but ${rule.why}: import it with a dynamic import() where it is needed.`,
        );
      }
    }
  }

  const total = chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);
  if (total > MAX_BUNDLE_BYTES) {
    problems.push(
      `dist/ JavaScript is ${total.toLocaleString('en')} bytes, over the ${MAX_BUNDLE_BYTES.toLocaleString('en')}-byte budget.`,
    );
  }
  return problems;
}

/** Builds the bundle in memory with the project's configuration; writes nothing. */
export async function buildChunks(): Promise<ChunkInfo[]> {
  const { output, ...input } = config;
  const single = Array.isArray(output) ? output[0] : output;
  const bundle = await rolldown({ ...input, cwd: ROOT, logLevel: 'warn' });
  try {
    const { output: files } = await bundle.generate({
      ...single,
      dir: undefined,
      cleanDir: false,
    });
    const deferred = new Set(DEFERRED_REQUIRES.map((d) => deferredEntryId(d.file)));
    return files
      .filter((file): file is OutputChunk => file.type === 'chunk')
      .map((chunk) => ({
        fileName: chunk.fileName,
        isEntry: chunk.isEntry && !deferred.has(chunk.facadeModuleId ?? ''),
        imports: chunk.imports,
        moduleIds: chunk.moduleIds.filter((id) => !id.startsWith('\0')),
        bytes: Buffer.byteLength(chunk.code),
      }));
  } finally {
    await bundle.close();
  }
}

/** The packages of one chunk, `name (modules)`, for the report. */
function describe(chunk: ChunkInfo): string {
  const counts = new Map<string, number>();
  for (const id of chunk.moduleIds) {
    const name = packageOf(id)?.name ?? '(this action)';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => `${name} (${n})`).join(', ');
}

if (import.meta.main) {
  const chunks = await buildChunks();
  const startup = startupChunks(chunks);
  for (const chunk of chunks) {
    const loads = startup.has(chunk.fileName) ? 'every run' : 'on demand';
    console.log(
      `${chunk.fileName}: ${chunk.bytes.toLocaleString('en')} bytes, ${loads}: ${describe(chunk)}`,
    );
  }
  const problems = findProblems(chunks);
  for (const problem of problems) console.error(`✗ ${problem}`);
  if (problems.length) process.exitCode = 1;
  else console.log('✓ one copy of each package; on-demand code stays on demand; within budget');
}
