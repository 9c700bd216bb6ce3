/**
 * What `npm run release` would tag, as a plain function of the version, the existing tags and
 * CHANGELOG.md (no git here).
 */
import { describe, expect, it } from 'vitest';
import {
  changelogHas,
  latestRelease,
  nextPatch,
  parseVersion,
  planRelease,
} from '../../scripts/lib/release-plan.ts';

const CHANGELOG =
  '# Changelog\n\n## [Unreleased]\n\n## [1.3.0] - 2026-12-01\n\n## [1.2.0] - 2026-11-01\n';

describe('versions', () => {
  it('reads X.Y.Z with or without the v, and nothing else', () => {
    expect(parseVersion('1.2.3')).toEqual([1, 2, 3]);
    expect(parseVersion('v10.0.1')).toEqual([10, 0, 1]);
    for (const bad of ['1.2', '1.2.3-rc.1', '01.2.3', 'v1', 'latest', '']) {
      expect(parseVersion(bad)).toBeUndefined();
    }
  });

  it('finds the newest release tag by number, not by text', () => {
    expect(latestRelease(['v1', 'v1.9.0', 'v1.10.0', 'v1.2.0', 'nightly'])).toEqual([1, 10, 0]);
    expect(latestRelease(['v1'])).toBeUndefined();
    expect(nextPatch([1, 10, 0])).toBe('1.10.1');
  });

  it('finds a version section in a Keep a Changelog file', () => {
    expect(changelogHas(CHANGELOG, '1.3.0')).toBe(true);
    expect(changelogHas(CHANGELOG, '1.3')).toBe(false);
    expect(changelogHas('## [1x3x0]', '1.3.0')).toBe(false);
  });
});

describe('planRelease', () => {
  it('tags vX.Y.Z, moves an existing vX, and prints the pushes', () => {
    const plan = planRelease({
      versionText: '1.3.0',
      tags: ['v1', 'v1.2.0'],
      changelog: CHANGELOG,
    });
    expect(plan.problems).toEqual([]);
    expect(plan).toMatchObject({ tag: 'v1.3.0', major: 'v1', movesMajor: true });
    expect(plan.tagCommands).toEqual([
      ['git', 'tag', '--annotate', 'v1.3.0', '--message', 'v1.3.0'],
      ['git', 'tag', '--force', '--annotate', 'v1', '--message', 'v1 (v1.3.0)'],
    ]);
    expect(plan.pushCommands).toEqual(['git push origin v1.3.0', 'git push --force origin v1']);
  });

  it('creates the major tag of a first release without forcing the push', () => {
    const plan = planRelease({ versionText: 'v1.2.0', tags: [], changelog: CHANGELOG });
    expect(plan.problems).toEqual([]);
    expect(plan.movesMajor).toBe(false);
    expect(plan.pushCommands).toEqual(['git push origin v1.2.0', 'git push origin v1']);
  });

  it('refuses a version that is tagged, older, malformed or missing from CHANGELOG.md', () => {
    const tags = ['v1', 'v1.2.0', 'v1.3.0'];
    expect(planRelease({ versionText: '1.3.0', tags, changelog: CHANGELOG }).problems).toEqual([
      'v1.3.0 is already tagged.',
    ]);
    expect(planRelease({ versionText: '1.1.0', tags, changelog: '## [1.1.0]' }).problems).toEqual([
      'v1.1.0 is not newer than the latest release, v1.3.0.',
    ]);
    expect(planRelease({ versionText: '1.4', tags, changelog: CHANGELOG }).problems).toEqual([
      "'1.4' is not a version: expected X.Y.Z, e.g. 1.2.3.",
    ]);
    expect(planRelease({ versionText: '1.4.0', tags, changelog: CHANGELOG }).problems).toEqual([
      'CHANGELOG.md has no "## [1.4.0]" section: run npm run release -- --prepare 1.4.0 and commit.',
    ]);
  });

  const WAITING = [
    '## [Unreleased]',
    '',
    '### Added',
    '',
    '- `needs`: the jobs a final job reports.',
    '',
    '## [2.0.0] - 2026-12-07',
    '',
    '- `summary: run`, `room`.',
    '',
  ].join('\n');

  it('refuses a release while [Unreleased] holds entries its section does not', () => {
    const plan = planRelease({ versionText: '2.0.0', tags: [], changelog: WAITING });
    expect(plan.problems).toEqual([
      'CHANGELOG.md\'s [Unreleased] holds 1 entry that [2.0.0] does not (first: "- `needs`: the jobs a final job reports."): run npm run release -- --prepare 2.0.0, which moves them, and commit.',
    ]);
  });

  it("refuses when package.json, the docs' major tag or the docs' inputs disagree with the release", () => {
    const changelog = '## [Unreleased]\n\n## [2.0.0] - 2026-12-07\n\n- `summary: run`, `room`.\n';
    const plan = planRelease({
      versionText: '2.0.0',
      tags: [],
      changelog,
      packageVersion: '1.0.0',
      docs: { refs: ['v1', 'v2'], inputs: ['room', 'summary', 'needs'] },
    });
    expect(plan.problems).toEqual([
      "package.json's version is 1.0.0, not 2.0.0: run npm run release -- --prepare 2.0.0 and commit.",
      'the docs use hipchat-notify/hipchat-notify@v1, not @v2: run npm run release -- --prepare 2.0.0 and commit.',
      "the docs use inputs that 2.0.0 does not have: `needs` (in no section); name them in the release's CHANGELOG section.",
    ]);
    const agreed = planRelease({
      versionText: '2.0.0',
      tags: [],
      changelog,
      packageVersion: '2.0.0',
      docs: { refs: ['v2'], inputs: ['room', 'summary'] },
    });
    expect(agreed.problems).toEqual([]);
    expect(agreed.docsInputs).toEqual([
      { input: 'room', since: '2.0.0' },
      { input: 'summary', since: '2.0.0' },
    ]);
  });

  it('an input named only under [Unreleased] is not in the release', () => {
    const plan = planRelease({
      versionText: '2.0.0',
      tags: [],
      changelog: WAITING,
      packageVersion: '2.0.0',
      docs: { refs: ['v2'], inputs: ['needs'] },
    });
    expect(plan.problems).toContain(
      "the docs use inputs that 2.0.0 does not have: `needs` (unreleased); name them in the release's CHANGELOG section.",
    );
  });
});
