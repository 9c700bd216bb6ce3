/**
 * `commits` (src/commits/): a push's first commits from its payload, a release's previous tag,
 * and the list under the built-in message — commit text as outside text: one line, bounded,
 * escaped in html, mentions defused in text.
 */
import { describe, expect, it } from 'vitest';
import { previousTag } from '../../src/commits/release.js';
import { pushCommits } from '../../src/commits/view.js';
import { buildView } from '../../src/context/view.js';
import { renderDefault } from '../../src/message/template.js';

const REPO_URL = 'https://github.com/acme/widgets';
const sha = (n: number) => n.toString(16).padStart(40, 'a');

/** A push payload of `n` commits, oldest first. */
function push(n: number, patch: (i: number) => Record<string, unknown> = () => ({})) {
  return {
    ref: 'refs/heads/main',
    compare: 'https://github.com/acme/widgets/compare/aaaa...bbbb',
    commits: Array.from({ length: n }, (_, i) => ({
      id: sha(i),
      message: `Change ${i}\n\nbody`,
      author: { name: `Author ${i}`, username: `user${i}` },
      distinct: true,
      ...patch(i),
    })),
  };
}

const ENV = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF_NAME: 'main',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_NUMBER: '42',
};

describe('pushCommits', () => {
  it('the first N, oldest first, and how many more, with the compare page', () => {
    const list = pushCommits(push(7), REPO_URL, 5);
    expect(list.commits).toHaveLength(5);
    expect(list.commits[0]).toEqual({
      sha: sha(0),
      short_sha: sha(0).slice(0, 7),
      url: `${REPO_URL}/commit/${sha(0)}`,
      title: 'Change 0',
      author: 'user0',
    });
    expect(list.more).toBe(2);
    expect(list.compareUrl).toBe('https://github.com/acme/widgets/compare/aaaa...bbbb');
  });

  it('leaves out commits already on another branch and commits without a sha', () => {
    const list = pushCommits(
      push(4, (i) => (i === 1 ? { distinct: false } : i === 2 ? { id: 'nope' } : {})),
      REPO_URL,
      20,
    );
    expect(list.commits.map((c) => c.title)).toEqual(['Change 0', 'Change 3']);
    expect(list.more).toBe(0);
  });

  it('0 lists none; a payload without commits lists none', () => {
    expect(pushCommits(push(3), REPO_URL, 0)).toMatchObject({ commits: [], more: 3 });
    expect(pushCommits({}, REPO_URL, 5)).toEqual({ commits: [], more: 0, compareUrl: '' });
  });

  it('keeps one bounded line of hostile text, and no link from the payload', () => {
    const list = pushCommits(
      push(1, () => ({
        url: 'javascript:alert(1)',
        message: `\u2028@all <b>${'x'.repeat(500)}</b>\nsecond line`,
        author: { name: 'Eve\r\n::error::boom' },
      })),
      REPO_URL,
      1,
    );
    const [commit] = list.commits;
    expect(commit!.title).toBe('');
    expect(commit!.author).toBe('Eve');
    expect(commit!.url).toBe(`${REPO_URL}/commit/${sha(0)}`);
    const long = pushCommits(
      push(1, () => ({ message: `@all <b>${'x'.repeat(500)}` })),
      REPO_URL,
      1,
    );
    expect(long.commits[0]!.title.length).toBeLessThanOrEqual(120);
  });
});

describe('the list under the built-in message', () => {
  const view = (n: number, limit: number, patch?: (i: number) => Record<string, unknown>) => {
    const event = push(n, patch);
    return buildView(ENV, event, 'success', { commits: pushCommits(event, REPO_URL, limit) });
  };

  it('text: short sha, first line, author, then "… and K more" with the compare page', () => {
    const lines = renderDefault(view(5, 3), 'text').split('\n');
    expect(lines.slice(2)).toEqual([
      `• ${sha(0).slice(0, 7)} Change 0 — user0`,
      `• ${sha(1).slice(0, 7)} Change 1 — user1`,
      `• ${sha(2).slice(0, 7)} Change 2 — user2`,
      '… and 2 more: https://github.com/acme/widgets/compare/aaaa...bbbb',
    ]);
  });

  it('html: the short sha linked to the commit, "K more" to the comparison', () => {
    const html = renderDefault(view(2, 1), 'html');
    expect(html).toContain(
      `<br>• <a href="${REPO_URL}/commit/${sha(0)}"><code>${sha(0).slice(0, 7)}</code></a> Change 0 — user0<br>… and <a href="https://github.com/acme/widgets/compare/aaaa...bbbb">1 more</a>`,
    );
  });

  it('commit text is escaped in html and cannot ping in text', () => {
    const hostile = view(1, 1, () => ({
      message: '<script>x</script> @all @here',
      author: { name: '@bob' },
    }));
    expect(renderDefault(hostile, 'html')).toContain(
      '&lt;script&gt;x&lt;/script&gt; @all @here — @bob',
    );
    const text = renderDefault(hostile, 'text');
    expect(text).not.toMatch(/(?<![\p{L}\p{N}_])@(all|here|bob)(?!\u2060)/u);
  });

  it('no list without the input: nothing changes', () => {
    const event = push(3);
    const plain = buildView(ENV, event, 'success');
    expect(plain.commits).toEqual([]);
    expect(plain.commits_more).toBe(0);
    expect(renderDefault(plain, 'text').split('\n')).toHaveLength(2);
  });
});

describe('previousTag', () => {
  const releases = [
    { tag_name: 'v2.0.0' },
    { tag_name: 'v2.0.0-rc.1', prerelease: true },
    { tag_name: 'v1.9.1', draft: true },
    { tag_name: 'v1.9.0' },
    { tag_name: 'v1.8.0' },
  ];

  it('the next published release listed after this one (newest first)', () => {
    expect(previousTag(releases, 'v2.0.0', false)).toBe('v1.9.0');
    expect(previousTag(releases, 'v1.9.0', false)).toBe('v1.8.0');
  });

  it('a pre-release counts for a pre-release only', () => {
    expect(
      previousTag(
        [{ tag_name: 'v2.0.0-rc.2', prerelease: true }, ...releases.slice(1)],
        'v2.0.0-rc.2',
        true,
      ),
    ).toBe('v2.0.0-rc.1');
  });

  it('none for the first release; a release not listed yet compares with the newest', () => {
    expect(previousTag(releases, 'v1.8.0', false)).toBe('');
    expect(previousTag(releases.slice(3), 'v2.1.0', false)).toBe('v1.9.0');
    expect(previousTag([null as never, { tag_name: 7 } as never], 'v1', false)).toBe('');
  });
});
