/**
 * The runner's facts every test run of the fixture events shares: they come from acme/widgets'
 * main branch (`__tests__/fixtures/events/`), so links built from them agree with the payloads.
 */
export const ACME_WIDGETS_FACTS = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_REPOSITORY_OWNER: 'acme',
  GITHUB_ACTOR: 'alice',
  GITHUB_TRIGGERING_ACTOR: 'alice',
  GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
} as const;
