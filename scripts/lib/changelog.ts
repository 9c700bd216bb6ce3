/**
 * CHANGELOG.md (Keep a Changelog) as data: its version sections, the entries waiting under
 * `[Unreleased]`, the release each input first appears in, and the one step that moves the
 * waiting entries into a release's section. Pure functions of the file's text.
 */

/** The heading of a section: `## [1.2.3] - 2026-12-01` or `## [Unreleased]`. */
const SECTION = /^## \[([^\]]+)\](?:\s*-\s*(\S+))?\s*$/gm;

/** Keep a Changelog's subsections, in its order. */
const KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'] as const;

/** One `## [...]` section. */
export interface Section {
  /** `Unreleased` or the version, e.g. `2.0.0`. */
  name: string;
  date?: string;
  /** The text after the heading line, up to the next section or the link definitions. */
  body: string;
  /** Offsets of the whole section (heading included) in the file. */
  start: number;
  end: number;
}

/** Where the link definitions at the end begin (`[1.0.0]: https://…`), or the end of the text. */
function linksStart(text: string): number {
  const match = /^\[[^\]]+\]:\s*\S+/m.exec(text);
  return match ? match.index : text.length;
}

/** The sections, newest first as the file lists them. */
export function sections(text: string): Section[] {
  const heads = [...text.matchAll(SECTION)];
  const limit = linksStart(text);
  return heads.map((head, i) => {
    const start = head.index;
    const end = i + 1 < heads.length ? heads[i + 1]!.index : limit;
    const body = text.slice(start + head[0].length, end);
    return { name: head[1]!, ...(head[2] ? { date: head[2] } : {}), body, start, end };
  });
}

/** A section's entries by subsection: each entry a bullet with its continuation lines. */
export function entries(body: string): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  let kind = '';
  let open = false;
  for (const line of body.split('\n')) {
    const heading = /^### (.+?)\s*$/.exec(line);
    if (heading) {
      kind = heading[1]!;
      open = false;
    } else if (/^[-*] /.test(line)) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), line]);
      open = true;
    } else if (open && /^\s+\S/.test(line)) {
      const list = byKind.get(kind)!;
      list[list.length - 1] += `\n${line}`;
    } else if (line.trim()) {
      open = false;
    }
  }
  return byKind;
}

/** The entries under `[Unreleased]` that `version`'s section does not already hold. */
export function waitingEntries(text: string, version: string): string[] {
  const all = sections(text);
  const unreleased = all.find((s) => s.name === 'Unreleased');
  if (!unreleased) return [];
  const release = all.find((s) => s.name === version);
  const released = new Set(release ? [...entries(release.body).values()].flat().map(normal) : []);
  return [...entries(unreleased.body).values()]
    .flat()
    .filter((entry) => !released.has(normal(entry)));
}

const normal = (entry: string): string => entry.replace(/\s+/g, ' ').trim();

/** Whether an entry names `input`: `` `input` `` or `` `input: value` `` in backticks. */
function names(text: string, input: string): boolean {
  const escaped = input.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`\`${escaped}(?::[^\`]*)?\``).test(text);
}

/**
 * The release each input first appears in, oldest section first: a version, `unreleased` when
 * only `[Unreleased]` names it, or undefined when no section does.
 */
export function inputSince(
  text: string,
  inputs: readonly string[],
): Record<string, string | undefined> {
  const oldestFirst = sections(text).reverse();
  const since: Record<string, string | undefined> = {};
  for (const input of inputs) {
    const section = oldestFirst.find((s) => names(s.body, input));
    since[input] = section
      ? section.name === 'Unreleased'
        ? 'unreleased'
        : section.name
      : undefined;
  }
  return since;
}

/** The body of a section holding these entries, subsections in Keep a Changelog's order. */
function sectionBody(byKind: Map<string, string[]>, preface: string): string {
  const kinds = [
    ...KINDS,
    ...[...byKind.keys()].filter((k) => !(KINDS as readonly string[]).includes(k)),
  ];
  const parts = preface ? [preface] : [];
  for (const kind of kinds) {
    const list = byKind.get(kind);
    if (list?.length) parts.push(`${kind ? `### ${kind}\n\n` : ''}${list.join('\n')}`);
  }
  return `\n\n${parts.join('\n\n')}\n\n`;
}

/** The text of a section before its first subsection or entry (a release's summary line). */
function preface(body: string): string {
  const cut = body.search(/^(### |[-*] )/m);
  return (cut < 0 ? body : body.slice(0, cut)).trim();
}

/**
 * CHANGELOG.md with every `[Unreleased]` entry moved into `version`'s section (made, dated
 * `date`, when there is none; merged by subsection when there is), `[Unreleased]` left empty,
 * and the compare links at the end updated. The one step before a release.
 */
export function moveUnreleased(
  text: string,
  version: string,
  date: string,
  repoUrl: string,
): string {
  const all = sections(text);
  const unreleased = all.find((s) => s.name === 'Unreleased');
  if (!unreleased) throw new Error('CHANGELOG.md has no "## [Unreleased]" section.');
  const release = all.find((s) => s.name === version);
  const merged = new Map(release ? entries(release.body) : []);
  for (const [kind, list] of entries(unreleased.body)) {
    const have = merged.get(kind) ?? [];
    merged.set(kind, [...have, ...list.filter((e) => !have.map(normal).includes(normal(e)))]);
  }
  const heading = `## [${version}] - ${release?.date ?? date}`;
  const releaseText = heading + sectionBody(merged, release ? preface(release.body) : '');
  let out =
    text.slice(0, unreleased.start) +
    '## [Unreleased]\n\n' +
    (release
      ? text.slice(unreleased.end, release.start) + releaseText + text.slice(release.end)
      : releaseText + text.slice(unreleased.end));
  out = updateLinks(out, version, repoUrl);
  return out.replace(/\n{3,}/g, '\n\n');
}

/** `[Unreleased]: …compare/vX...HEAD` and a `[X.Y.Z]` link for the release. */
function updateLinks(text: string, version: string, repoUrl: string): string {
  const names = sections(text)
    .map((s) => s.name)
    .filter((n) => n !== 'Unreleased');
  const previous = names[names.indexOf(version) + 1];
  const link = previous
    ? `${repoUrl}/compare/v${previous}...v${version}`
    : `${repoUrl}/releases/tag/v${version}`;
  let out = text.replace(
    /^\[Unreleased\]:.*$/m,
    `[Unreleased]: ${repoUrl}/compare/v${version}...HEAD`,
  );
  const own = new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]:.*$`, 'm');
  if (own.test(out)) return out;
  out = out.replace(/^(\[Unreleased\]:.*)$/m, `$1\n[${version}]: ${link}`);
  return out;
}
