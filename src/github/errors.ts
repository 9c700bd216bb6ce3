/**
 * What can go wrong talking to the GitHub API, and what to tell the workflow's author about it.
 * Every text that came from a server passes through `serverText` before it reaches a message:
 * GitHub (or whatever answers at `GITHUB_API_URL`) must not be able to start a workflow command
 * (`::set-output`, `::add-mask::`) by putting a line break or `::` into its answer.
 */

/** How a GitHub request failed. */
export type GitHubErrorKind =
  | 'http' // an answer that is not a success (status set)
  | 'rate-limit' // rate limited for longer than the budget allows (status set)
  | 'timeout' // no (complete) answer within the time the request was given
  | 'budget' // `max-wait` left no time for GitHub before the posts' reserve
  | 'network' // no answer at all: DNS, refused, TLS, proxy
  | 'body'; // an answer that is not what the API sends: too large, not JSON

/** A failed GitHub request. `message` is a sentence for the log, without any token. */
export class GitHubError extends Error {
  readonly kind: GitHubErrorKind;
  /** `GET /repos/…`: the request, without host or query. */
  readonly request: string;
  readonly status?: number;
  /** GitHub's own `message` field, already made safe with `serverText`. */
  readonly githubMessage?: string;
  constructor(
    kind: GitHubErrorKind,
    request: string,
    message: string,
    details: { status?: number; githubMessage?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GitHubError';
    this.kind = kind;
    this.request = request;
    this.status = details.status;
    this.githubMessage = details.githubMessage;
  }
}

/**
 * A server's text made fit for a log line or a message: control characters (CR, LF, NUL, ESC,
 * the Unicode line separators) become spaces, the `::` that opens a workflow command is broken
 * up, and the result is cut to `max` characters.
 */
export function serverText(text: string, max = 200): string {
  const flat = text
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/::/g, ': :')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What the advice may name: where the API is and what was being read. */
export interface AdviceContext {
  apiUrl: string;
  repository: string;
  /** e.g. `run 1050` or `the jobs of run 1050`. */
  subject: string;
}

/** The permission the whole-run features need, as a workflow grants it. */
const PERMISSION_HINT =
  'grant `permissions: actions: read` to the job (or pass a `github-token` that has it)';

/** One sentence (or two) saying what happened and what to do. The token never appears. */
export function advice(error: GitHubError, context: AdviceContext): string {
  if (error.kind !== 'http') return error.message;
  const said = error.githubMessage ? `: ${error.githubMessage}` : '';
  const answer = `GitHub answered ${error.status}${said}.`;
  switch (error.status) {
    case 401:
      return `${answer} The token was rejected: check the \`github-token\` input (default \`\${{ github.token }}\`).`;
    case 403:
      return `${answer} The token may not read workflow runs: ${PERMISSION_HINT}.`;
    case 404:
      return `${answer} Check that the repository ${context.repository} and ${context.subject} exist; on a private repository GitHub also answers 404 when the token lacks \`actions: read\`, so ${PERMISSION_HINT}.`;
    default:
      return `${answer} GitHub may be having trouble; try again later.`;
  }
}
