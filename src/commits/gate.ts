/**
 * `commits`: the commit list of a push (from its payload) or of a release (since the previous
 * release, from the GitHub API: `contents: read`). Without access a release goes out without
 * its list, saying so in one notice. Small and in every run's chunk: the GitHub client and the
 * compare reader load only for a release run that asks.
 */
import { runClientOptions } from '../github/wait-share.js';
import { pushCommits } from './view.js';
import type { CommitList } from './view.js';
import type { GitHubError } from '../github/errors.js';

/** What the lookup needs of the inputs. */
export interface CommitsSettings {
  /** How many commits to list (0: none). */
  commits: number;
  githubToken: string;
  timeoutMs: number;
  maxWaitMs: number;
}

/** Where the step speaks (a subset of @actions/core). */
export interface CommitsLog {
  info(message: string): void;
  notice(message: string): void;
}

/** Why the API gave no commits, and what to do: a refusal is a missing `contents: read`. */
function refusal(error: GitHubError): string {
  if (error.status !== 403 && error.status !== 404) {
    return `could not read them (${error.request}): ${error.message}`;
  }
  const said = error.githubMessage ? ` (${error.githubMessage})` : '';
  return `GitHub answered ${error.status} to ${error.request}${said}: grant \`permissions: contents: read\` to the job (or pass a \`github-token\` that has it).`;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The commits this run's message lists, or undefined (none asked for, another event, no
 * previous release, or no access). Never throws for the API.
 */
export async function readCommits(
  settings: CommitsSettings,
  env: NodeJS.ProcessEnv,
  event: Record<string, unknown>,
  startMs: number,
  log: CommitsLog,
): Promise<CommitList | undefined> {
  if (settings.commits <= 0) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repositoryUrl = env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}` : '';
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (eventName === 'push') return pushCommits(event, repositoryUrl, settings.commits);
  if (eventName !== 'release') return undefined;
  const release = record(event.release);
  const tag = typeof release.tag_name === 'string' ? release.tag_name : '';
  const repository = env.GITHUB_REPOSITORY ?? '';
  const leftOut = (why: string): undefined => {
    log.notice(`commits: the release's commits are left out: ${why}`);
    return undefined;
  };
  if (!tag || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    return leftOut('the release has no tag, or GITHUB_REPOSITORY is not set.');
  }
  if (!settings.githubToken)
    return leftOut('`github-token` is empty (default `${{ github.token }}`).');
  const [{ GitHubClient }, { releaseCommits }, errors] = await Promise.all([
    import('../github/client.js'),
    import('./release.js'),
    import('../github/errors.js'),
  ]);
  const client = new GitHubClient(runClientOptions(settings, env, startMs, log.info));
  try {
    const list = await releaseCommits(client, {
      repository,
      tag,
      prerelease: release.prerelease === true,
      repositoryUrl,
      limit: settings.commits,
    });
    if (!list)
      log.info(
        `commits: ${tag} is the first release: there is no earlier one to list the commits since.`,
      );
    return list;
  } catch (error) {
    return leftOut(
      error instanceof errors.GitHubError ? refusal(error) : errors.serverText(String(error), 300),
    );
  } finally {
    await client.close();
  }
}
