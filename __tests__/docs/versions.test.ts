/**
 * The versions the project states agree: package.json's version has the newest section of
 * CHANGELOG.md, the README names it as the latest release, the docs use its major tag, and
 * every input the docs use is named in CHANGELOG.md (so the README's table can say since when),
 * and the action's own links to its docs point at the current major tag.
 * Whether a release holds every input the docs use is `npm run release -- --dry-run`'s check
 * (scripts/lib/release-plan.ts): entries wait under [Unreleased] until the release is prepared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
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

  it("links from the action's own messages to its docs are to the current major tag", () => {
    const links = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => {
        const text = readFileSync(path.join(ROOT, 'src', file), 'utf8');
        return [...text.matchAll(/hipchat-notify\/hipchat-notify\/(?:blob|tree)\/([^/'"`]+)/g)].map(
          (m) => `${file}: ${m[1]}`,
        );
      });
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !link.endsWith(`: ${majorTag()}`))).toEqual([]);
  });
});
