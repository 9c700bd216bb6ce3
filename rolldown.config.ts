/**
 * `npm run bundle`: src/index.ts → dist/, the committed bundle the runner executes.
 *
 * Rolldown rather than ncc because start-up time is what the bundle is judged by
 * (the figures: docs/adr/0001 to 0003):
 * - Tree shaking with two facts about @actions/core: its OIDC client and `core.platform` are
 *   needed only by `getIDToken()` and `platform`, which this action never calls. Declared free of
 *   side effects, they drop out — and with them @actions/http-client, tunnel, @actions/exec,
 *   @actions/io and the undici copy `core.js` would otherwise load on every run. Likewise
 *   `core.summary`, which runner-io.ts does without (it would load `fs.promises`). ncc (webpack
 *   with a fixed configuration) cannot be told this.
 * - CommonJS output: Node's builtins are `require`d, and named imports become property reads at
 *   the point of use. ESM output would `import` them, and Node builds an ESM facade of a builtin
 *   by reading every export, which runs lazy getters (`crypto.webcrypto`, `fs.promises`, …).
 * - `node:http2`, which undici requires as it loads but this action never uses, loads on first
 *   use instead (`lazyHttp2()` below); `node:assert`, on the first failed check (`lazyAssert()`).
 * - undici code only for request bodies, CPUs and HTTP/2 connections this action never meets
 *   moves to files of their own, loaded when first reached (`deferredRequires()`).
 * - On-demand code (`send-when`'s GitHub client, proxy agents) stays in chunks that load only
 *   when a run needs them; each module appears once across all chunks
 *   (scripts/check-bundle.ts proves it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http2 from 'node:http2';
import path from 'node:path';
import { defineConfig } from 'rolldown';
import type { Plugin } from 'rolldown';

const requireHere = createRequire(import.meta.url);

/** Modules whose code only runs for features this action does not use (see above). */
export const UNUSED_FEATURE_MODULES = [
  /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/]oidc-utils\.js$/,
  /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/]platform\.js$/,
  // `core.summary`: the step summary is appended by runner-io.ts, without `fs.promises`.
  /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/]summary\.js$/,
];

/** The package a bundled file belongs to: its directory and name, or undefined for our code. */
export function packageOf(id: string): { dir: string; name: string } | undefined {
  const normalized = id.replace(/\\/g, '/');
  const at = normalized.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const rest = normalized.slice(at + '/node_modules/'.length).split('/');
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '');
  return { dir: normalized.slice(0, at + '/node_modules/'.length) + name, name };
}

/** dist/licenses.txt: name, version, licence and licence text of every bundled package. */
function licenses(): Plugin {
  return {
    name: 'hipchat-notify:licenses',
    generateBundle(_options, bundle) {
      const packages = new Map<string, string>();
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const id of file.moduleIds) {
          const pkg = packageOf(id);
          if (pkg) packages.set(`${pkg.name}\0${pkg.dir}`, pkg.dir);
        }
      }
      const entries = [...packages.keys()].sort().map((key) => {
        const dir = packages.get(key)!;
        const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
          name: string;
          version: string;
          license?: string;
        };
        const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
        const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : '';
        return `${meta.name}@${meta.version}\n${meta.license ?? 'UNKNOWN'}\n${text}`.trim();
      });
      this.emitFile({
        type: 'asset',
        fileName: 'licenses.txt',
        source: `${entries.join('\n\n')}\n`,
      });
    },
  };
}

/**
 * A plugin that gives the modules matching `importers`, for their `import`/`require` of the
 * built-in `builtin`, a stand-in module instead: `source(importer)` writes it, from the
 * importer's file (and throws when that file no longer uses the built-in as the stand-in
 * expects, so a dependency update fails the build rather than the action).
 */
function standIn(
  name: string,
  builtin: string,
  importers: RegExp,
  source: (importer: string) => string,
): Plugin {
  const ID = `\0${name}`;
  let code = '';
  return {
    name: `hipchat-notify:${name}`,
    resolveId(id, importer) {
      if (id !== builtin || !importer || !importers.test(importer)) return undefined;
      code = source(importer);
      return ID;
    },
    load(id) {
      return id === ID ? code : undefined;
    },
  };
}

const CLIENT_H2 = /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/;

/**
 * undici's client-h2.js requires `node:http2` as it loads, and TLS with it: time on every run
 * (docs/adr/0003), for HTTP/2, which undici uses only for a dispatcher made with `allowH2` —
 * none is, here or in the GitHub client. This stand-in gives client-h2.js what it reads at
 * load, the header-name constants it destructures (taken from `node:http2` at build time), and
 * loads `node:http2` on the first HTTP/2 connection, should there ever be one: behaviour is
 * unchanged.
 */
export function lazyHttp2(): Plugin {
  return standIn('lazy-http2', 'node:http2', CLIENT_H2, (importer) => {
    const destructured = /\bconstants:\s*\{([^}]*)\}\s*\}\s*=\s*http2\b/.exec(
      readFileSync(importer, 'utf8'),
    );
    if (!destructured?.[1]) {
      throw new Error(`lazy-http2: ${importer} no longer reads http2.constants as expected`);
    }
    const constants: Record<string, unknown> = {};
    for (const name of destructured[1]
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)) {
      if (!(name in http2.constants)) throw new Error(`lazy-http2: no http2.constants.${name}`);
      constants[name] = http2.constants[name as keyof typeof http2.constants];
    }
    return [
      '// node:http2 for undici, loaded on the first HTTP/2 connection (rolldown.config.ts).',
      `exports.constants = ${JSON.stringify(constants, null, 2)};`,
      "exports.connect = (...args) => require('node:http2').connect(...args);",
    ].join('\n');
  });
}

const CORE_FILE_COMMAND = /[\\/]node_modules[\\/]@actions[\\/]core[\\/]lib[\\/]file-command\.js$/;

/**
 * @actions/core's file-command.js imports `crypto` as it loads, for the random delimiter of
 * `core.setOutput` and `core.exportVariable`: loading `node:crypto` costs every run time
 * (docs/adr/0003). The action writes its outputs itself (runner-io.ts: `writeStepOutput`) and
 * calls neither, so this stand-in loads `node:crypto` on the first `randomUUID()` only, should
 * one ever come.
 * The build fails if file-command.js ever uses anything else of `crypto`.
 */
export function lazyCoreCrypto(): Plugin {
  return standIn('lazy-core-crypto', 'crypto', CORE_FILE_COMMAND, (importer) => {
    const uses = new Set(readFileSync(importer, 'utf8').match(/\bcrypto\.\w+/g) ?? []);
    if ([...uses].some((use) => use !== 'crypto.randomUUID')) {
      throw new Error(`lazy-core-crypto: ${importer} uses ${[...uses].join(', ')}`);
    }
    return [
      '// node:crypto for @actions/core, loaded on the first randomUUID() (rolldown.config.ts).',
      "exports.randomUUID = (...args) => require('node:crypto').randomUUID(...args);",
    ].join('\n');
  });
}

const DISPATCHER = /[\\/]node_modules[\\/]undici[\\/]lib[\\/]dispatcher[\\/]/.source;

/** One undici module moved to a file of its own in dist/ (see {@link DEFERRED_REQUIRES}). */
export interface DeferredRequire {
  /** The modules whose `require(specifier)` is deferred. */
  importer: RegExp;
  specifier: string;
  /** The module itself, as this package resolves it. */
  module: string;
  /** dist/<file>.js */
  file: string;
  /**
   * `required`: the `require()` already sits in a function few runs reach; it loads the file.
   * `called`: it runs as the importer loads, which then only calls the function the module
   * exports: a stand-in function loads the file on its first call.
   */
  when: 'required' | 'called';
}

/**
 * undici code that every run would otherwise read, compile and partly run (docs/adr/0002)
 * for requests this action never makes. Each moves to a file of its own in dist/, loaded by
 * the same `require()` (or the first call) when reached, so behaviour is unchanged; modules it
 * shares with the rest of undici stay one copy, in a chunk of their own:
 * - the fetch body helpers (`body.js` and the FormData, Blob and WebIDL code under it), which
 *   client-h1/h2 load for a `FormData` or `Blob` request body — this action sends strings;
 * - the non-SIMD llhttp parser, loaded only where WebAssembly SIMD fails to compile;
 * - the HTTP/2 client, used only for a connection that negotiated h2, which needs `allowH2`.
 */
export const DEFERRED_REQUIRES: readonly DeferredRequire[] = [
  {
    importer: new RegExp(`${DISPATCHER}client-h[12]\\.js$`),
    specifier: '../web/fetch/body.js',
    module: 'undici/lib/web/fetch/body.js',
    file: 'undici-fetch-body',
    when: 'required',
  },
  {
    importer: new RegExp(`${DISPATCHER}client-h1\\.js$`),
    specifier: '../llhttp/llhttp-wasm.js',
    module: 'undici/lib/llhttp/llhttp-wasm.js',
    file: 'llhttp-wasm',
    when: 'required',
  },
  {
    importer: new RegExp(`${DISPATCHER}client\\.js$`),
    specifier: './client-h2.js',
    module: 'undici/lib/dispatcher/client-h2.js',
    file: 'undici-client-h2',
    when: 'called',
  },
];

/** The id of the entry that makes dist/<file>.js for one of {@link DEFERRED_REQUIRES}. */
export const deferredEntryId = (file: string): string => `\0deferred:${file}`;

/** The stand-in of a `called` one: a function that loads dist/<file>.js on its first call. */
const standInId = (file: string): string => `\0deferred-stand-in:${file}`;

/** Builds {@link DEFERRED_REQUIRES}: their files in dist/, and the `require`s that load them. */
export function deferredRequires(): Plugin {
  const entries = new Map(DEFERRED_REQUIRES.map((d) => [deferredEntryId(d.file), d]));
  const standIns = new Map(DEFERRED_REQUIRES.map((d) => [standInId(d.file), d]));
  const files = new Set(DEFERRED_REQUIRES.map((d) => `./${d.file}.js`));
  return {
    name: 'hipchat-notify:deferred-requires',
    buildStart() {
      // `strict`: the file's exports are exactly the module's, whatever else shares its code.
      for (const [id, { file }] of entries) {
        this.emitFile({ type: 'chunk', id, fileName: `${file}.js`, preserveSignature: 'strict' });
      }
    },
    resolveId(id, importer) {
      if (entries.has(id)) return id;
      // Kept as `require("./<file>.js")`: Node resolves it next to index.js.
      if (importer && standIns.has(importer) && files.has(id)) return { id, external: true };
      const hit = DEFERRED_REQUIRES.find(
        (d) => d.specifier === id && importer !== undefined && d.importer.test(importer),
      );
      if (!hit) return undefined;
      return hit.when === 'called'
        ? standInId(hit.file)
        : { id: `./${hit.file}.js`, external: true };
    },
    load(id) {
      const entry = entries.get(id);
      // A CommonJS entry, so that dist/<file>.js is `module.exports = <the module>`.
      if (entry)
        return `module.exports = require(${JSON.stringify(requireHere.resolve(entry.module))});`;
      const standIn = standIns.get(id);
      if (!standIn) return undefined;
      return [
        `// ${standIn.module}, loaded on the first call (rolldown.config.ts: DEFERRED_REQUIRES).`,
        `module.exports = function (...args) {`,
        `  return require(${JSON.stringify(`./${standIn.file}.js`)})(...args);`,
        `};`,
      ].join('\n');
    },
  };
}

const UNDICI_LIB = /[\\/]node_modules[\\/]undici[\\/]lib[\\/]/;

/**
 * undici's modules `require('node:assert')` as they load, and loading it (with the colour
 * support it takes, which opens `process.stderr`) costs every run time (docs/adr/0003) for
 * checks that hold.
 * They only ever call it, `assert(value, message?)`: this stand-in checks the value itself and
 * loads `node:assert` on the first failure, which then throws its own AssertionError. One
 * difference: without a message, Node's text quotes the stand-in's call, not undici's line.
 * The build fails if an undici module ever uses anything else of `assert`.
 */
export function lazyAssert(): Plugin {
  return standIn('lazy-assert', 'node:assert', UNDICI_LIB, (importer) => {
    const other = /\bassert\s*\.\s*\w+|[=(,]\s*assert\s*[,)]/.exec(readFileSync(importer, 'utf8'));
    if (other) throw new Error(`lazy-assert: ${importer} uses \`${other[0]}\`, not just assert()`);
    return [
      '// node:assert for undici, loaded on the first failed check (rolldown.config.ts).',
      'module.exports = function assert(...args) {',
      "  if (!args[0]) require('node:assert')(...args);",
      '};',
    ].join('\n');
  });
}

/** dist/package.json: the bundle is CommonJS although this package is an ES module. */
function packageType(): Plugin {
  return {
    name: 'hipchat-notify:package-type',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'package.json',
        source: `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  input: 'src/index.ts',
  platform: 'node',
  treeshake: {
    moduleSideEffects: [
      ...UNUSED_FEATURE_MODULES.map((test) => ({ test, sideEffects: false })),
      { test: /.*/, sideEffects: true },
    ],
  },
  plugins: [
    deferredRequires(),
    lazyHttp2(),
    lazyAssert(),
    lazyCoreCrypto(),
    licenses(),
    packageType(),
  ],
  output: {
    dir: 'dist',
    format: 'cjs',
    cleanDir: true,
    entryFileNames: 'index.js',
    chunkFileNames: '[name].js',
  },
});
