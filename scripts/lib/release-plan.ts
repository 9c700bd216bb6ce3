/**
 * What `npm run release` would do, as a plain function of the version asked for, the tags that
 * exist and CHANGELOG.md: the exact tag `vX.Y.Z`, the moving major tag `vX`, and the commands
 * that publish them. No git here; scripts/release.ts gathers the facts and runs the commands.
 */

/** A parsed `X.Y.Z` version. */
export type Version = readonly [major: number, minor: number, patch: number];

/** Parses `1.2.3` or `v1.2.3`; undefined for anything else (pre-release suffixes included). */
export function parseVersion(text: string): Version | undefined {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The newest `vX.Y.Z` among `tags`, or undefined when there is none. */
export function latestRelease(tags: readonly string[]): Version | undefined {
  return tags
    .map((tag) => (tag.startsWith('v') ? parseVersion(tag) : undefined))
    .filter((version): version is Version => version !== undefined)
    .sort(compareVersions)
    .at(-1);
}

/** `1.2.3` → `1.2.4`: the suggestion when the asked-for version is already tagged. */
export function nextPatch(version: Version): string {
  return `${version[0]}.${version[1]}.${version[2] + 1}`;
}

/** Whether CHANGELOG.md has a section for this version (`## [1.2.3]`, Keep a Changelog). */
export function changelogHas(changelog: string, version: string): boolean {
  const escaped = version.replace(/\./g, '\\.');
  return new RegExp(`^## \\[${escaped}\\]`, 'm').test(changelog);
}

/** The plan: what to tag and how to publish it, or the reasons it cannot be done. */
export interface ReleasePlan {
  tag: string;
  major: string;
  /** True when `major` exists and is moved; false when it is created. */
  movesMajor: boolean;
  /** The git commands that make the tags locally. */
  tagCommands: string[][];
  /** What the maintainer runs to publish them. */
  pushCommands: string[];
  problems: string[];
}

/** Plans the release of `versionText` given the existing tags and CHANGELOG.md's text. */
export function planRelease(options: {
  versionText: string;
  tags: readonly string[];
  changelog: string;
  remote?: string;
}): ReleasePlan {
  const remote = options.remote ?? 'origin';
  const version = parseVersion(options.versionText);
  const problems: string[] = [];
  if (!version) {
    problems.push(`'${options.versionText}' is not a version: expected X.Y.Z, e.g. 1.2.3.`);
    return { tag: '', major: '', movesMajor: false, tagCommands: [], pushCommands: [], problems };
  }
  const plain = version.join('.');
  const tag = `v${plain}`;
  const major = `v${version[0]}`;
  const latest = latestRelease(options.tags);
  if (options.tags.includes(tag)) {
    problems.push(`${tag} is already tagged.`);
  } else if (latest && compareVersions(version, latest) <= 0) {
    problems.push(`${tag} is not newer than the latest release, v${latest.join('.')}.`);
  }
  if (!changelogHas(options.changelog, plain)) {
    problems.push(
      `CHANGELOG.md has no "## [${plain}]" section: move the Unreleased entries under it and commit.`,
    );
  }
  const movesMajor = options.tags.includes(major);
  return {
    tag,
    major,
    movesMajor,
    tagCommands: [
      ['git', 'tag', '--annotate', tag, '--message', tag],
      ['git', 'tag', '--force', '--annotate', major, '--message', `${major} (${tag})`],
    ],
    pushCommands: [
      `git push ${remote} ${tag}`,
      movesMajor ? `git push --force ${remote} ${major}` : `git push ${remote} ${major}`,
    ],
    problems,
  };
}
