// Generated from action.yml by `npm run inputs` (scripts/generate-inputs.ts): do not edit.
// `npm run lint` fails when it differs from what action.yml makes.

/** Every input action.yml declares, in its order. */
export const INPUT_NAMES = [
  'token',
  'oauth-id',
  'oauth-secret',
  'room',
  'status',
  'color',
  'format',
  'template',
  'template-file',
  'test-results',
  'vars',
  'commits',
  'notify',
  'from',
  'server',
  'auth-test',
  'dry-run',
  'max-wait',
  'timeout',
  'fail-on-error',
  'send-when',
  'github-token',
  'card',
  'summary',
  'log-lines',
  'needs',
  'mention',
  'users',
  'private-message',
  'attach-to',
  'lookup-id',
] as const;

/** An input of the action. */
export type InputName = (typeof INPUT_NAMES)[number];

/**
 * action.yml's defaults, for inputs the runner leaves empty (runs outside a runner, e.g.
 * tests and the preview). Expressions (`${{ … }}`) are the runner's to evaluate: not here.
 */
export const INPUT_DEFAULTS = {
  token: '',
  'oauth-id': '',
  'oauth-secret': '',
  color: 'auto',
  format: 'html',
  template: '',
  'template-file': '',
  'test-results': '',
  vars: '',
  commits: '0',
  notify: 'false',
  from: '',
  'auth-test': 'false',
  'dry-run': 'false',
  'max-wait': '300',
  timeout: '30',
  'fail-on-error': 'true',
  'send-when': 'always',
  card: 'false',
  summary: 'job',
  'log-lines': '0',
  needs: '',
  mention: 'none',
  users: '',
  'private-message': 'false',
  'attach-to': '',
  'lookup-id': 'false',
} as const satisfies Partial<Record<InputName, string>>;
