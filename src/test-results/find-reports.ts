/**
 * The workspace search behind `test-results`: its own walk instead of `fs.glob`, because every
 * directory in the workspace is untrusted (a pull request checks in what it likes):
 *
 * - confined by real path: a directory reached through a symbolic link is entered only when
 *   its real path is inside the workspace's, and each real directory once (no link loops), so
 *   `build -> /` with `build/**` walks nothing outside;
 * - bounded: at most `entries` directory entries looked at and nothing after `deadlineMs`
 *   (the share of `max-wait` before the posts' reserve), whichever comes first;
 * - pruned: the literal start of a pattern is walked to directly, a pattern without `**`
 *   descends no deeper than its segments, and `node_modules` and `.git` are never entered.
 *
 * What it gives are workspace-relative paths with `/`; nothing outside the workspace is named.
 */
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Bounds of one search. */
export interface SearchLimits {
  /** Most matches kept. */
  files: number;
  /** Most directory entries looked at, over all patterns. */
  entries: number;
  /** Epoch ms after which no directory is read. */
  deadlineMs: number;
  /** The clock (injected by tests). */
  now?: () => number;
}

/** What a search found, and why it stopped early, if it did. */
export interface SearchResult {
  /** Workspace-relative paths with `/`, sorted, without duplicates, at most `files`. */
  matches: string[];
  /** Set when the search stopped before it was complete: the reason, for a warning. */
  stopped?: string;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const MAGIC = /[*?[\]{}]/;

/** Searches `root` (a real path) for files matching any of `patterns`. Never throws. */
export async function findReports(
  patterns: readonly string[],
  root: string,
  limits: SearchLimits,
): Promise<SearchResult> {
  const walk = new Walk(root, limits);
  for (const pattern of patterns) {
    await walk.pattern(pattern);
    if (walk.stopped !== undefined) break;
  }
  const matches = [...walk.found].sort().slice(0, limits.files);
  return walk.stopped === undefined ? { matches } : { matches, stopped: walk.stopped };
}

/** One search's state: what was found, what was seen, what is left of its bounds. */
class Walk {
  readonly found = new Set<string>();
  stopped: string | undefined;
  readonly #root: string;
  readonly #limits: SearchLimits;
  readonly #now: () => number;
  #entries = 0;
  /** Real paths of the directories read, per pattern: a link loop reads each once. */
  #seen = new Set<string>();

  constructor(root: string, limits: SearchLimits) {
    this.#root = root;
    this.#limits = limits;
    this.#now = limits.now ?? Date.now;
  }

  /** Walks one pattern from its literal start. */
  async pattern(pattern: string): Promise<void> {
    this.#seen = new Set();
    const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
    let fixed = 0;
    while (fixed < segments.length - 1 && !MAGIC.test(segments[fixed]!)) fixed++;
    const start = segments.slice(0, fixed).join('/');
    // A brace may hold a `/`: then segments do not line up, and only `**`-like pruning is safe.
    const deep = segments.some((s) => s.includes('**')) || /\{[^}]*\/[^}]*\}/.test(pattern);
    const depth = deep ? Infinity : segments.length - fixed;
    const dir = await this.#enter(start);
    if (dir !== undefined) await this.#walk(dir, start, pattern, segments, depth);
  }

  /** The real path of workspace-relative `relative` when it is a directory inside, else undefined. */
  async #enter(relative: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(path.join(this.#root, relative));
      if (!(await stat(real)).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    const inside = path.relative(this.#root, real);
    if (inside.startsWith('..') || path.isAbsolute(inside) || this.#seen.has(real)) {
      return undefined;
    }
    this.#seen.add(real);
    return real;
  }

  async #walk(
    real: string,
    relative: string,
    pattern: string,
    segments: readonly string[],
    depth: number,
  ): Promise<void> {
    if (depth <= 0 || this.#spent()) return;
    const subdirectories: string[] = [];
    try {
      const dir = await opendir(real);
      for await (const entry of dir) {
        if (++this.#entries > this.#limits.entries) {
          this.stopped = `the search looked at ${this.#limits.entries.toLocaleString('en')} entries of the workspace and stopped`;
          break;
        }
        const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory() || entry.isSymbolicLink()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && this.#couldHold(child, segments, depth)) {
            subdirectories.push(child);
          }
        }
        if (!entry.isDirectory() && path.matchesGlob(child, pattern)) {
          this.found.add(child);
          if (this.found.size > this.#limits.files) {
            this.stopped = `more than ${this.#limits.files} files matched; the first ${this.#limits.files} (in path order) are read`;
            break;
          }
        }
      }
    } catch {
      return; // unreadable: nothing in it is found
    }
    for (const child of subdirectories) {
      if (this.stopped !== undefined || this.#spent()) return;
      const next = await this.#enter(child);
      if (next !== undefined) await this.#walk(next, child, pattern, segments, depth - 1);
    }
  }

  /** Whether a directory at `child` can lead to a match: only pruned without `**`. */
  #couldHold(child: string, segments: readonly string[], depth: number): boolean {
    if (depth === Infinity) return true;
    if (depth <= 1) return false;
    const level = child.split('/').length;
    return path.matchesGlob(child, segments.slice(0, level).join('/'));
  }

  /** Whether the time is up; sets the reason once. */
  #spent(): boolean {
    if (this.stopped !== undefined) return true;
    if (this.#now() < this.#limits.deadlineMs) return false;
    this.stopped = 'the search ran out of its share of `max-wait` and stopped';
    return true;
  }
}
