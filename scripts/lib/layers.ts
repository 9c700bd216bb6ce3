/**
 * The layer rules of src/, checked over import statements (scripts/check-layers.ts runs it in
 * `npm run lint`):
 *
 * 1. No import cycles, whatever the kind of import (value, `import type`, `import()`): a cycle
 *    of types is still two modules that cannot be read one after the other.
 * 2. Pure modules import no I/O. A module is pure unless it is listed in `EDGE_MODULES`; a pure
 *    module may not import a value from an edge module or from a package that does I/O
 *    (`IO_PACKAGES`). Type-only imports are fine: types are erased and run nothing.
 * 3. No re-export hubs: `export … from` and exporting an imported name, so every name is
 *    imported from the module that defines it.
 * 4. Folders follow the flow (`FOLDER_ORDER`): a module imports from its own folder and from
 *    earlier ones, never from a later one, so the folder graph is acyclic and reads in order.
 *    src/'s root holds only the entry and the story (at most `MAX_ROOT_MODULES`), which may
 *    import anything and which nothing imports.
 *
 * Pure over source texts (the caller reads the files), so a test can prove each rule fails.
 */
import path from 'node:path';
import ts from 'typescript';

/**
 * The modules that do I/O (the runner, files, sockets, timers, the GitHub API), relative to
 * src/. Everything else in src/ is pure and is tested as plain functions.
 */
export const EDGE_MODULES: readonly string[] = [
  'index.ts',
  'main.ts',
  'inputs/inputs.ts',
  'inputs/template-file.ts',
  'inputs/workspace-file.ts',
  'report/runner-io.ts',
  'context/event-file.ts',
  'send-when/previous-run.ts',
  'send-when/step.ts',
  'delivery/clock.ts',
  'http/deadline.ts',
  'http/route.ts',
  'http/proxy.ts',
  'http/undici.ts',
  'http/hosts.ts',
  'hipchat/client.ts',
  'github/client.ts',
  'github/request.ts',
  'test-results/read-reports.ts',
  'test-results/find-reports.ts',
  'whole-run/gate.ts',
  'commits/gate.ts',
];

/**
 * The top folders of src/, earliest first: pure text helpers, the HTTP edges, then the steps of
 * the flow with each feature placed before the first step that reads it. A nested folder
 * (`context/events/`) belongs to its top folder.
 */
export const FOLDER_ORDER: readonly string[] = [
  'text', // escaping, mentions, secrets, durations: pure helpers every step uses
  'http', // what both API clients share
  'hipchat', // the HipChat API
  'github', // the GitHub API
  'inputs', // every input read and validated once
  'test-results', // `test-results`: reports read into counts
  'whole-run', // `summary` and `log-lines`: the run's jobs
  'commits', // `commits`: a push's or a release's commit list
  'context', // GITHUB_* variables, the event payload and the facts above → the view
  'send-when', // whether to send, from the previous run
  'message', // templates, built-in messages, the card, fitting
  'delivery', // the HipChat session, fan-out over rooms, retries
  'follow-up', // `lookup-id`: this run's notification found in the rooms' history
  'people', // mentions and private messages
  'report', // outputs, step summary, runner I/O
];

/** Modules src/'s root may hold: the entry and the story. */
export const MAX_ROOT_MODULES = 3;

/** Packages and Node modules whose import means I/O (a prefix, or the exact name). */
const IO_PACKAGES: readonly RegExp[] = [
  /^(node:)?(fs|net|tls|http|https|http2|dns|dgram|child_process|worker_threads|readline)(\/|$)/,
  /^undici(\/|$)/,
  /^@actions\//,
  /^@octokit\//,
];

/** One import of a module, as written. */
export interface ImportEdge {
  specifier: string;
  /** `import type`, or every named import marked `type`. */
  typeOnly: boolean;
  /** `export … from`. */
  reexport: boolean;
  line: number;
}

/** A rule broken, with where. */
export interface LayerProblem {
  file: string;
  line: number;
  message: string;
}

/** The imports and re-exports of one module. */
function importsOf(sf: ts.SourceFile): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const lineOf = (node: ts.Node): number =>
    sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      edges.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: isTypeOnlyImport(node),
        reexport: false,
        line: lineOf(node),
      });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      const specifier = (node.moduleSpecifier as ts.StringLiteral).text;
      edges.push({ specifier, typeOnly: node.isTypeOnly, reexport: true, line: lineOf(node) });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      edges.push({
        specifier: node.arguments[0].text,
        typeOnly: false,
        reexport: false,
        line: lineOf(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** Names a module exports that it imported (`import { a } …; export { a }`). */
function reexportedImports(sf: ts.SourceFile): Array<{ name: string; line: number }> {
  const imported = new Set<string>();
  for (const statement of sf.statements) {
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    if (!clause) continue;
    if (clause.name) imported.add(clause.name.text);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) imported.add(element.name.text);
    } else if (bindings) imported.add(bindings.name.text);
  }
  const found: Array<{ name: string; line: number }> = [];
  for (const statement of sf.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier) continue;
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) continue;
    for (const element of clause.elements) {
      const local = (element.propertyName ?? element.name).text;
      if (imported.has(local)) {
        const line = sf.getLineAndCharacterOfPosition(element.getStart(sf)).line + 1;
        found.push({ name: local, line });
      }
    }
  }
  return found;
}

/**
 * Checks every rule over `sources` (path relative to src/, with `/`, → source text).
 * Returns the problems, none when the layers hold.
 */
export function checkLayers(sources: ReadonlyMap<string, string>): LayerProblem[] {
  const problems: LayerProblem[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, source] of sources) {
    const targets: string[] = [];
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
    for (const edge of importsOf(sf)) {
      const target = resolveLocal(file, edge.specifier);
      if (edge.reexport) {
        problems.push({
          file,
          line: edge.line,
          message: `re-exports from '${edge.specifier}': import it from there instead`,
        });
      }
      if (target === undefined) {
        if (!edge.typeOnly && IO_PACKAGES.some((p) => p.test(edge.specifier)) && !isEdge(file)) {
          problems.push({
            file,
            line: edge.line,
            message: `pure module imports '${edge.specifier}', which does I/O: move the I/O to an edge module (EDGE_MODULES)`,
          });
        }
        continue;
      }
      if (!sources.has(target)) {
        problems.push({
          file,
          line: edge.line,
          message: `imports '${edge.specifier}', which is not a module of src/`,
        });
        continue;
      }
      targets.push(target);
      const backwards = folderProblem(file, target);
      if (backwards) problems.push({ file, line: edge.line, message: backwards });
      if (!edge.typeOnly && isEdge(target) && !isEdge(file)) {
        problems.push({
          file,
          line: edge.line,
          message: `pure module imports the I/O module ${target}: pass what it needs in, or import only its types`,
        });
      }
    }
    for (const { name, line } of reexportedImports(sf)) {
      problems.push({
        file,
        line,
        message: `re-exports the imported '${name}': import it from where it is defined instead`,
      });
    }
    graph.set(file, targets);
  }
  problems.push(...placementProblems([...sources.keys()]));
  for (const cycle of cycles(graph)) {
    problems.push({
      file: cycle[0]!,
      line: 1,
      message: `import cycle: ${[...cycle, cycle[0]].join(' → ')}`,
    });
  }
  return problems;
}

/** The top folder of a module; '' for src/'s root. */
function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '' : file.slice(0, slash);
}

/** The rank of a folder in the flow; the root comes after every folder. */
function rankOf(folder: string): number {
  return folder === '' ? FOLDER_ORDER.length : FOLDER_ORDER.indexOf(folder);
}

/** Why `file` may not import `target` (a later folder, or the root), if it may not. */
function folderProblem(file: string, target: string): string | undefined {
  const from = folderOf(file);
  const to = folderOf(target);
  if (from === to || rankOf(to) < 0 || rankOf(from) < 0 || rankOf(to) < rankOf(from)) {
    return undefined;
  }
  const where = to === '' ? "src/'s root" : `the later folder ${to}/`;
  return `${from}/ imports ${target} from ${where}: move the shared piece to ${from}/ or an earlier folder (FOLDER_ORDER)`;
}

/** Folders missing from `FOLDER_ORDER`, and a root holding more than the entry and the story. */
function placementProblems(files: readonly string[]): LayerProblem[] {
  const problems: LayerProblem[] = [];
  const unplaced = new Set(files.map(folderOf).filter((f) => f !== '' && rankOf(f) < 0));
  for (const folder of [...unplaced].sort()) {
    const file = files.find((f) => folderOf(f) === folder)!;
    problems.push({
      file,
      line: 1,
      message: `folder ${folder}/ is not in FOLDER_ORDER: place it in the flow`,
    });
  }
  const root = files.filter((f) => folderOf(f) === '').sort();
  if (root.length > MAX_ROOT_MODULES) {
    problems.push({
      file: root[MAX_ROOT_MODULES]!,
      line: 1,
      message: `src/'s root holds ${root.length} modules (${root.join(', ')}); at most ${MAX_ROOT_MODULES}: move the others into the folder of their step`,
    });
  }
  return problems;
}

function isEdge(file: string): boolean {
  return EDGE_MODULES.includes(file);
}

/** A relative specifier as a path under src/ (`./x.js` → `dir/x.ts`); undefined for packages. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return joined.replace(/\.js$/, '.ts');
}

/** Every cycle of the graph, one per strongly connected component (Tarjan's algorithm). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfLoop = graph.get(node)?.includes(node) ?? false;
    if (component.length > 1 || selfLoop) found.push(pathThrough(graph, component));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return found;
}

/** One cycle through a strongly connected component, as a path from its first member. */
function pathThrough(graph: ReadonlyMap<string, readonly string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  // Breadth-first from start back to start, inside the component: the shortest cycle.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const cycle = [node];
        for (let at = node; at !== start;) cycle.unshift((at = previous.get(at)!));
        return cycle;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}
