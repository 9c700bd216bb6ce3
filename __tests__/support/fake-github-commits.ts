/**
 * The fake GitHub's history: a line of commits, some tagged as releases, served as the
 * releases listing (newest first) and the compare API (`{base}...{head}`: the commits after
 * `base` up to `head`, oldest first, `total_commits`, a `per_page` page of them).
 */

/** One commit of the line, oldest first; `release` tags it as a published release. */
export interface FakeCommit {
  message: string;
  author: string;
  release?: { tag: string; prerelease?: boolean; draft?: boolean };
}

/** The repository's history. */
export interface FakeHistory {
  commits: FakeCommit[];
}

/** A commit's sha: its index, in hex, padded (stable and valid). */
export function fakeSha(index: number): string {
  return `c0ffee${index.toString(16).padStart(34, '0')}`;
}

/** The answer of a history route (`/releases`, `/compare/…`), or undefined for another path. */
export function serveHistory(
  history: FakeHistory | undefined,
  rest: string,
  query: URLSearchParams,
  web: string,
  repository: string,
): unknown {
  if (!history) return undefined;
  const tagged = history.commits
    .map((commit, index) => ({ commit, index }))
    .filter(({ commit }) => commit.release);
  if (rest === '/releases') {
    return tagged.reverse().map(({ commit, index }) => ({
      tag_name: commit.release!.tag,
      draft: commit.release!.draft === true,
      prerelease: commit.release!.prerelease === true,
      target_commitish: fakeSha(index),
      html_url: `${web}/${repository}/releases/tag/${commit.release!.tag}`,
    }));
  }
  const range = /^\/compare\/([^/]+)\.\.\.([^/]+)$/.exec(rest);
  if (!range) return undefined;
  const at = (tag: string) =>
    tagged.find(({ commit }) => commit.release!.tag === decodeURIComponent(tag))?.index;
  const from = at(range[1]!);
  const to = at(range[2]!);
  if (from === undefined || to === undefined) return undefined;
  const between = history.commits.slice(from + 1, to + 1).map((commit, i) => ({
    sha: fakeSha(from + 1 + i),
    html_url: `${web}/${repository}/commit/${fakeSha(from + 1 + i)}`,
    commit: { message: commit.message, author: { name: commit.author, email: 'x@example.com' } },
    author: { login: commit.author },
  }));
  const perPage = Math.min(Number(query.get('per_page') ?? 250) || 250, 250);
  return {
    html_url: `${web}/${repository}/compare/${range[1]}...${range[2]}`,
    total_commits: between.length,
    commits: between.slice(0, perPage),
    files: [],
  };
}
