/**
 * What `npm run release` would do, as a plain function of the version asked for, the tags that
 * exist, CHANGELOG.md, package.json's version and what the docs use: the exact tag `vX.Y.Z`,
 * the moving major tag `vX`, and the commands that publish them — or why the versions do not
 * agree yet. No git here; scripts/release.ts gathers the facts and runs the commands.
 */
import { inputSince, waitingEntries } from './changelog.ts';

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
  /** The inputs the docs use, each with the release it came in (when the docs were given). */
  docsInputs: Array<{ input: string; since: string | undefined }>;
}

/** What the docs ask of the action: the refs of `uses: …@ref` and the inputs set in `with:`. */
export interface DocsUse {
  refs: readonly string[];
  inputs: readonly string[];
}

/** Plans the release of `versionText` given the existing tags and CHANGELOG.md's text. */
export function planRelease(options: {
  versionText: string;
  tags: readonly string[];
  changelog: string;
  /** package.json's version. */
  packageVersion?: string;
  docs?: DocsUse;
  remote?: string;
}): ReleasePlan {
  const remote = options.remote ?? 'origin';
  const version = parseVersion(options.versionText);
  const problems: string[] = [];
  if (!version) {
    problems.push(`'${options.versionText}' is not a version: expected X.Y.Z, e.g. 1.2.3.`);
    return {
      tag: '',
      major: '',
      movesMajor: false,
      tagCommands: [],
      pushCommands: [],
      problems,
      docsInputs: [],
    };
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
      `CHANGELOG.md has no "## [${plain}]" section: run npm run release -- --prepare ${plain} and commit.`,
    );
  }
  problems.push(...agreementProblems(options.changelog, plain, major, options));
  const docsInputs = (options.docs?.inputs ?? []).map((input) => ({
    input,
    since: inputSince(options.changelog, [input])[input],
  }));
  problems.push(...docsInputProblems(docsInputs, version));
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
    docsInputs,
  };
}

/** Where package.json, `[Unreleased]` and the docs' `@vN` disagree with the release. */
function agreementProblems(
  changelog: string,
  plain: string,
  major: string,
  options: { packageVersion?: string; docs?: DocsUse },
): string[] {
  const problems: string[] = [];
  if (options.packageVersion !== undefined && options.packageVersion !== plain) {
    problems.push(
      `package.json's version is ${options.packageVersion}, not ${plain}: run npm run release -- --prepare ${plain} and commit.`,
    );
  }
  const waiting = waitingEntries(changelog, plain);
  if (waiting.length > 0) {
    const first = waiting[0]!.split('\n')[0]!.slice(0, 80);
    problems.push(
      `CHANGELOG.md's [Unreleased] holds ${waiting.length} ${waiting.length === 1 ? 'entry' : 'entries'} that [${plain}] does not (first: "${first}"): run npm run release -- --prepare ${plain}, which moves them, and commit.`,
    );
  }
  const otherRefs = (options.docs?.refs ?? []).filter((ref) => ref !== major);
  if (otherRefs.length > 0) {
    problems.push(
      `the docs use hipchat-notify/hipchat-notify@${otherRefs.join(', @')}, not @${major}: run npm run release -- --prepare ${plain} and commit.`,
    );
  }
  return problems;
}

/** Inputs the docs use that this release does not have. */
function docsInputProblems(
  docsInputs: ReadonlyArray<{ input: string; since: string | undefined }>,
  version: Version,
): string[] {
  const missing = docsInputs.filter(({ since }) => {
    const came = since === undefined ? undefined : parseVersion(since);
    return !came || compareVersions(came, version) > 0;
  });
  if (missing.length === 0) return [];
  const list = missing.map(({ input, since }) => `\`${input}\` (${since ?? 'in no section'})`);
  return [
    `the docs use inputs that ${version.join('.')} does not have: ${list.join(', ')}; name them in the release's CHANGELOG section.`,
  ];
}
