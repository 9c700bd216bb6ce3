/**
 * `status: started` (and GitHub's `in_progress`): a note that a deploy or release began. Its
 * own family (🚀, yellow, a neutral lozenge), "… started" wording for every event, and never a
 * change for `send-when` or the `changed` variable.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../src/message/card.js';
import { buildView } from '../../src/context/view.js';
import { readEvent } from '../../src/context/event-file.js';
import { parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';
import { decideSend } from '../../src/send-when/previous-run.js';
import { renderDefault } from '../../src/message/template.js';
import { PULL_REQUEST_WORDS } from '../words/pull-request.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { RELEASE_WORDS } from '../words/release.ts';
import { SCHEDULE_WORDS } from '../words/schedule.ts';
import { rowOf, wordsPattern } from '../words/table.ts';
import { WORKFLOW_DISPATCH_WORDS } from '../words/workflow-dispatch.ts';

/** The words the kind's table gives a started run, in `format`. */
const started = (words: Parameters<typeof rowOf>[0], format: 'text' | 'html' = 'text') =>
  wordsPattern(rowOf(words, 'started')[format]);

/** The inputs every run needs besides the ones under test. */
const REQUIRED = { token: 't', room: 'CI', server: 'https://hipchat.example.com' };

const load = (name: string): Record<string, unknown> =>
  readEvent(fileURLToPath(new URL(`../fixtures/events/${name}.json`, import.meta.url)));

const ENV: Record<string, string> = {
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_ACTOR: 'erin',
  GITHUB_SHA: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_WORKFLOW: 'Deploy',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_SERVER_URL: 'https://github.com',
};

const view = (event: string, status = 'started', extra: Record<string, string> = {}) =>
  buildView({ ...ENV, GITHUB_EVENT_NAME: event, ...extra }, load(event), status);

describe('status: started', () => {
  it.each(['started', 'in_progress', 'STARTED'])(
    '%s is accepted and reads 🚀 … started',
    (word) => {
      const inputs = parseInputs((name) => ({ ...REQUIRED, status: word })[name] ?? '');
      const v = view('workflow_dispatch', inputs.status);
      expect(v.outcome).toBe('started');
      expect(v.status_icon).toBe('🚀');
      const { body } = buildMessage({ ...inputs, format: 'text' }, v);
      expect(body.color).toBe('yellow');
      expect(body.message).toMatch(started(WORKFLOW_DISPATCH_WORDS));
      expect(body.message).toContain(' Deploy ');
    },
  );

  it('says "started" for a push, a pull request and any other event', () => {
    expect(renderDefault(view('push'), 'text')).toMatch(started(PUSH_WORDS));
    expect(renderDefault(view('pull_request'), 'text')).toMatch(started(PULL_REQUEST_WORDS));
    expect(renderDefault(view('schedule'), 'text')).toMatch(started(SCHEDULE_WORDS));
  });

  it('does not announce a release as published: its workflow started', () => {
    const release = view('release', 'started', { GITHUB_WORKFLOW: 'Release' });
    const html = renderDefault(release, 'html');
    expect(html).toMatch(started(RELEASE_WORDS, 'html'));
    expect(html).toContain('<b>Release</b>');
    expect(html).not.toContain('released');
    // The link to act on is the run that is publishing it, not the release notes.
    expect(html).toMatch(
      /<a href="https:\/\/github\.com\/acme\/widgets\/actions\/runs\/4242">run #42<\/a>$/,
    );
    const card = buildCard(release, { message: html, format: 'html', id: 'x' });
    expect(card.title).toMatch(wordsPattern(rowOf(RELEASE_WORDS, 'started').card));
    expect(card.title).toContain(' Release ');
    expect(card.title).not.toContain('released');
    expect(card.attributes?.[0]?.value).toMatchObject({
      label: 'started',
      style: 'lozenge-current',
    });
  });

  it('is never a change: send-when skips it and says to use always', () => {
    for (const previous of ['success', 'failure', undefined]) {
      for (const mode of ['changed', 'failure-or-changed'] as const) {
        const decision = decideSend(mode, 'started', previous);
        expect(decision).toMatchObject({ send: false, changed: false });
        expect(decision.reason).toContain('never a change');
        expect(decision.reason).toContain('send-when: always');
      }
      expect(decideSend('always', 'in_progress', previous).send).toBe(true);
      const v = buildView(ENV, {}, 'started', { previousStatus: previous });
      expect(v.changed).toBe(false);
      // Neither "fixed" nor "broken again" nor "still failing": the previous run changes nothing.
      expect(renderDefault(v, 'text')).toBe(renderDefault(buildView(ENV, {}, 'started'), 'text'));
    }
  });
});
