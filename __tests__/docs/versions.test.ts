/**
 * The versions the project states agree: package.json's version has the newest section of
 * CHANGELOG.md, the README names it as the latest release, the docs use its major tag, and
 * every input the docs use is named in CHANGELOG.md (so the README's table can say since when).
 * Whether a release holds every input the docs use is `npm run release -- --dry-run`'s check
 * (scripts/lib/release-plan.ts): entries wait under [Unreleased] until the release is prepared.
 */
import { describe, expect, it } from 'vitest';
import { inputSince, sections } from '../../scripts/lib/changelog.ts';
import { docsActionUse, readDoc } from '../../scripts/lib/markdown-docs.ts';
import { ACTION, majorTag, packageVersion } from './lib/examples.ts';

describe('versions that are true', () => {
  const changelog = readDoc('CHANGELOG.md');
  const version = packageVersion();

  it("package.json's version is CHANGELOG.md's newest release", () => {
    const releases = sections(changelog).filter((s) => s.name !== 'Unreleased');
    expect(releases[0]?.name).toBe(version);
    expect(releases[0]?.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('the README names it as the latest release', () => {
    expect(readDoc('README.md')).toContain(`The latest release is **${version}**.`);
  });

  it('the docs use its major tag and only inputs CHANGELOG.md names', () => {
    const use = docsActionUse(ACTION);
    expect(use.refs).toEqual([majorTag()]);
    const since = inputSince(changelog, use.inputs);
    expect(Object.keys(since).filter((input) => since[input] === undefined)).toEqual([]);
  });
});
