/**
 * A release's commits since the previous release, from the GitHub API: the releases (newest
 * first) give the previous one's tag, the compare API the commits between the two tags.
 * Loaded on demand with the GitHub client, only for a release run with `commits` above 0.
 */
import type { GitHubClient } from '../github/client.js';
import { commitView } from './view.js';
import type { CommitList, CommitView } from './view.js';
import { pageUrl } from '../whole-run/jobs.js';

/** A release as the API lists it (the fields read). */
interface ApiRelease {
  tag_name?: unknown;
  draft?: unknown;
  prerelease?: unknown;
}

/** What to compare: this release's tag, and whether it is a pre-release. */
export interface ReleaseRef {
  /** `owner/name`. */
  repository: string;
  tag: string;
  prerelease: boolean;
  /** The repository's page, for the commits' links. */
  repositoryUrl: string;
  /** How many commits to list. */
  limit: number;
}

/**
 * The tag of the release before `tag` in `releases` (newest first): the next one listed that
 * is published — and, for a full release, not a pre-release, so `v2.0.0` lists everything since
 * `v1.9.0`, not since `v2.0.0-rc.1`. '' when there is none.
 */
export function previousTag(
  releases: readonly ApiRelease[],
  tag: string,
  prerelease: boolean,
): string {
  const at = releases.findIndex((r) => r?.tag_name === tag);
  for (const release of releases.slice(at + 1)) {
    if (typeof release?.tag_name !== 'string' || release.tag_name === tag) continue;
    if (release.draft === true || (!prerelease && release.prerelease === true)) continue;
    return release.tag_name;
  }
  return '';
}

/**
 * The commits since the previous release, or undefined when there is no previous release.
 * Rejects with a `GitHubError` when the API refuses (e.g. without `contents: read`).
 */
export async function releaseCommits(
  client: GitHubClient,
  ref: ReleaseRef,
): Promise<CommitList | undefined> {
  const base = `/repos/${ref.repository}`;
  const releases = await client.getJson<unknown>(`${base}/releases`, { per_page: 100 });
  const previous = previousTag(
    Array.isArray(releases) ? (releases as ApiRelease[]) : [],
    ref.tag,
    ref.prerelease,
  );
  if (!previous) return undefined;
  const range = `${encodeURIComponent(previous)}...${encodeURIComponent(ref.tag)}`;
  // One short page: `total_commits` counts them all, and the page's files stay few.
  const compare = await client.getJson<Record<string, unknown>>(`${base}/compare/${range}`, {
    per_page: Math.max(1, ref.limit),
  });
  const listed = Array.isArray(compare.commits) ? (compare.commits as unknown[]) : [];
  const commits = listed
    .map((c) => commitView(c, ref.repositoryUrl))
    .filter((c): c is CommitView => c !== undefined)
    .slice(0, ref.limit);
  const total = typeof compare.total_commits === 'number' ? compare.total_commits : listed.length;
  return {
    commits,
    more: Math.max(0, total - commits.length),
    compareUrl: pageUrl(compare.html_url),
  };
}
