/**
 * Where the GitHub API is: `GITHUB_API_URL`, which the runner sets (on GitHub Enterprise Server
 * `https://ghes.example.com/api/v3`). Outside a runner, a `GITHUB_SERVER_URL` other than
 * github.com gives the GHES API path; github.com is the last resort, never the first.
 */
export function apiUrlOf(env: Record<string, string | undefined>): string {
  const api = env.GITHUB_API_URL?.trim();
  if (api) return api.replace(/\/+$/, '');
  const server = env.GITHUB_SERVER_URL?.trim().replace(/\/+$/, '');
  if (server && !/^https:\/\/github\.com$/i.test(server)) return `${server}/api/v3`;
  return 'https://api.github.com';
}
