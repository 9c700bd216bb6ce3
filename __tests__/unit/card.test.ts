import { describe, expect, it } from 'vitest';
import { buildCard, CARD_LIMITS, cut } from '../../src/message/card.js';
import { formatDuration } from '../../src/text/duration.js';
import type { CardOptions } from '../../src/message/card.js';
import type { TemplateView } from '../../src/context/view.js';
import type { Outcome } from '../../src/inputs/status.js';
import type { Card } from '../../src/hipchat/types.js';
import { emptyWholeRunView } from '../../src/whole-run/view.js';
import { validateCard } from '../../sandbox/card-schema.js';
import { render } from '../../src/message/template.js';
import { PULL_REQUEST_WORDS } from '../words/pull-request.ts';
import { PUSH_WORDS } from '../words/push.ts';
import { RELEASE_WORDS } from '../words/release.ts';
import { SCHEDULE_WORDS } from '../words/schedule.ts';
import { rowOf } from '../words/table.ts';
import type { KindWords } from '../words/table.ts';
import { WORKFLOW_DISPATCH_WORDS } from '../words/workflow-dispatch.ts';
import { WORKFLOW_RUN_WORDS } from '../words/workflow-run.ts';

// ---- a hand-made TemplateView, as buildView would give it ---------------------------------

type EventName =
  'push' | 'pull_request' | 'release' | 'workflow_dispatch' | 'schedule' | 'workflow_run';

const OUTCOME: Record<string, Outcome> = {
  success: 'success',
  failure: 'failure',
  cancelled: 'cancelled',
};
const STATUS_TEXT: Record<string, string> = {
  success: 'succeeded',
  failure: 'failed',
  cancelled: 'was cancelled',
  skipped: 'was skipped',
};

const SERVER = 'https://github.com';
const RUN_URL = `${SERVER}/octo/app/actions/runs/4242`;
const SHA = '0123456789abcdef0123456789abcdef01234567';

function makeView(
  event: EventName,
  status: string,
  overrides: Partial<TemplateView> = {},
): TemplateView {
  const workflow: Record<EventName, string> = {
    push: 'CI',
    pull_request: 'CI',
    release: 'Release',
    workflow_dispatch: 'Deploy',
    schedule: 'Nightly',
    workflow_run: 'Notify',
  };
  const branch =
    event === 'pull_request' ? 'feature/dark' : event === 'release' ? 'v1.2.0' : 'main';
  const view: TemplateView = {
    github: {
      repository: 'octo/app',
      repository_owner: 'octo',
      actor: 'mona',
      triggering_actor: 'mona',
      sha: SHA,
      ref: event === 'release' ? `refs/tags/${branch}` : `refs/heads/${branch}`,
      ref_name: branch,
      head_ref: '',
      base_ref: '',
      workflow: workflow[event],
      job: 'build',
      run_id: '4242',
      run_number: '42',
      run_attempt: '1',
      event_name: event,
      server_url: SERVER,
      api_url: 'https://api.github.com',
      event: {},
    },
    status,
    status_text: STATUS_TEXT[status] ?? 'finished',
    outcome: OUTCOME[status] ?? 'none',
    status_icon: '',
    actor: 'mona',
    short_sha: SHA.slice(0, 7),
    commit_sha: SHA,
    run_url: RUN_URL,
    repository_url: `${SERVER}/octo/app`,
    commit_url: `${SERVER}/octo/app/commit/${SHA}`,
    commit_title: event === 'push' || event === 'workflow_run' ? 'Fix the flaky test' : '',
    branch,
    branch_url: `${SERVER}/octo/app/tree/${branch}`,
    compare_url: '',
    commits: [],
    commits_more: 0,
    duration: '',
    previous_status: '',
    changed: false,
    ...emptyWholeRunView(),
  };
  if (event === 'pull_request') {
    view.commit_title = 'Add dark mode';
    view.pull_request = {
      number: 17,
      title: 'Add dark mode',
      url: `${SERVER}/octo/app/pull/17`,
      author: 'mona',
      base: 'main',
      head: 'feature/dark',
    };
  }
  if (event === 'release') {
    view.release = {
      tag: 'v1.2.0',
      name: 'Spring release',
      url: `${SERVER}/octo/app/releases/tag/v1.2.0`,
      prerelease: false,
      author: 'mona',
    };
  }
  if (event === 'workflow_run') {
    view.workflow_run = {
      name: 'CI',
      conclusion: status,
      url: `${SERVER}/octo/app/actions/runs/999`,
      branch: 'main',
      event: 'push',
    };
  }
  return { ...view, ...overrides };
}

const HTML_MESSAGE: CardOptions = {
  message: '<b>Deploy</b> of octo/app failed &amp; was rolled back<br>see the log &#x1F4DC;',
  format: 'html',
};

/** The card, after checking what must hold for every card we build. */
function build(view: TemplateView, opts: CardOptions = HTML_MESSAGE): Card {
  const card = buildCard(view, opts);
  expect(validateCard(card)).toEqual([]);
  expect(card.style).toBe('application');
  expect(card.format).toBe('medium');
  expect(card.title.length).toBeLessThanOrEqual(CARD_LIMITS.title);
  expect(card.title.trim()).not.toBe('');
  if (card.description !== undefined) {
    expect(card.description).toMatchObject({ format: 'text' });
    const { value } = card.description as { value: string };
    expect(value.trim()).not.toBe('');
    expect(value.length).toBeLessThanOrEqual(CARD_LIMITS.description);
  }
  expect(card.attributes?.length ?? 0).toBeLessThanOrEqual(5);
  for (const attribute of card.attributes ?? []) {
    expect(attribute.label.length).toBeLessThanOrEqual(CARD_LIMITS.attributeLabel);
    expect(attribute.value.label.trim()).not.toBe('');
    expect(attribute.value.label.length).toBeLessThanOrEqual(CARD_LIMITS.attributeLabel);
    if ('url' in attribute.value) expect(attribute.value.url).not.toBe('');
  }
  return card;
}

const attribute = (card: Card, label: string) => card.attributes?.find((a) => a.label === label);
const descriptionOf = (card: Card) => (card.description as { value: string } | undefined)?.value;

// ---- every built-in event × every outcome ---------------------------------------------------

// [event, status, url]; the title is the event's words table's (__tests__/words/).
const TITLES: Array<[EventName, string, string]> = [
  ...(['push', 'pull_request', 'workflow_dispatch', 'schedule'] as const).flatMap((event) =>
    ['success', 'failure', 'cancelled', ''].map((s): [EventName, string, string] => [
      event,
      s,
      RUN_URL,
    ]),
  ),
  ...['success', 'failure', 'cancelled', ''].map((s): [EventName, string, string] => [
    'release',
    s,
    `${SERVER}/octo/app/releases/tag/v1.2.0`,
  ]),
  // workflow_run: the card is about the run that triggered this one.
  ...['success', 'failure', 'cancelled', ''].map((s): [EventName, string, string] => [
    'workflow_run',
    s,
    `${SERVER}/octo/app/actions/runs/999`,
  ]),
];

const WORDS: Record<EventName, KindWords> = {
  push: PUSH_WORDS,
  pull_request: PULL_REQUEST_WORDS,
  release: RELEASE_WORDS,
  workflow_dispatch: WORKFLOW_DISPATCH_WORDS,
  schedule: SCHEDULE_WORDS,
  workflow_run: WORKFLOW_RUN_WORDS,
};

/** The card title the event's words table gives this view. */
const tableTitle = (event: EventName, row: string, view: TemplateView): string =>
  render(rowOf(WORDS[event], row).card, view, 'html');

const LOZENGES: Record<string, string | undefined> = {
  success: 'lozenge-success',
  failure: 'lozenge-error',
  cancelled: 'lozenge-current',
  '': undefined, // no status: no Status attribute at all
};

const DESCRIPTIONS: Record<EventName, string> = {
  push: 'Fix the flaky test',
  pull_request: 'Add dark mode',
  release: 'Spring release',
  workflow_dispatch: 'Deploy of octo/app failed & was rolled back see the log 📜',
  schedule: 'Deploy of octo/app failed & was rolled back see the log 📜',
  workflow_run: 'Fix the flaky test',
};

describe('buildCard for each event and outcome', () => {
  it.each(TITLES)('%s / %j → %s', (event, status, url) => {
    const view = makeView(event, status);
    const card = build(view);
    expect(card.title).toBe(tableTitle(event, status || 'no status', view));
    expect(card.title).toContain('octo/app');
    expect(card.url).toBe(url);
    expect(descriptionOf(card)).toBe(DESCRIPTIONS[event]);
    const lozenge = LOZENGES[status];
    if (lozenge === undefined) {
      expect(attribute(card, 'Status')).toBeUndefined();
    } else {
      expect(attribute(card, 'Status')?.value).toEqual({ label: status, style: lozenge });
    }
    // A release runs on its tag: the card names it so.
    const ref = event === 'release' ? 'Tag' : 'Branch';
    // A schedule has no actor: github.actor is whoever last edited the cron line.
    const actor = event === 'schedule' ? [] : ['Actor'];
    expect(card.attributes?.map((a) => a.label)).toEqual(
      status ? ['Status', ref, 'Commit', ...actor] : [ref, 'Commit', ...actor],
    );
  });

  it('labels a pushed tag "Tag", and a pull request\'s head branch "Branch" whatever the ref', () => {
    const tagPush = makeView('push', 'success', { branch: 'v3.0.0' });
    tagPush.github = { ...tagPush.github, ref: 'refs/tags/v3.0.0', ref_name: 'v3.0.0' };
    expect(attribute(build(tagPush), 'Tag')?.value.label).toBe('v3.0.0');
    expect(attribute(build(tagPush), 'Branch')).toBeUndefined();
    const pr = makeView('pull_request', 'success');
    pr.github = { ...pr.github, ref: 'refs/tags/odd' };
    expect(attribute(build(pr), 'Branch')?.value.label).toBe('feature/dark');
  });

  it('says pre-released for a prerelease', () => {
    const view = makeView('release', 'success');
    view.release = { ...view.release!, tag: 'v2.0.0-rc.1', prerelease: true };
    expect(build(view).title).toBe(
      tableTitle('release', 'success, a pre-release named by its tag', view),
    );
  });

  it('gives a skipped status the neutral lozenge', () => {
    expect(attribute(build(makeView('push', 'skipped')), 'Status')?.value).toEqual({
      label: 'skipped',
      style: 'lozenge-current',
    });
  });

  it('links Branch and Commit, and names who started the run', () => {
    const card = build(makeView('push', 'failure', { actor: 'hubot' }));
    expect(attribute(card, 'Branch')?.value).toEqual({
      label: 'main',
      url: `${SERVER}/octo/app/tree/main`,
    });
    expect(attribute(card, 'Commit')?.value).toEqual({
      label: '0123456',
      url: `${SERVER}/octo/app/commit/${SHA}`,
    });
    expect(attribute(card, 'Actor')?.value).toEqual({ label: 'hubot' });
  });

  it('uses a text message as it is', () => {
    const view = makeView('schedule', 'failure');
    const card = build(view, { message: 'Nightly <b>failed</b>\n\nsee log', format: 'text' });
    expect(descriptionOf(card)).toBe('Nightly <b>failed</b> see log');
  });
});

describe('buildCard never sends markup or empty values', () => {
  it('keeps an untrusted commit title as plain text', () => {
    const title = '<a href="https://evil.example">click</a> <img src=x onerror=alert(1)>';
    const card = build(makeView('push', 'failure', { commit_title: title }));
    expect(card.description).toEqual({ value: title, format: 'text' });
  });

  it('escapes markup in the title and the attribute labels, which HipChat renders as HTML', () => {
    // A fork's branch name and a release's tag are anyone's text.
    const branch = 'x<b>bold</b><a href="https://evil.example">click</a>&';
    const view = makeView('pull_request', 'failure', { branch, actor: "o'<i>neil</i>" });
    view.github = { ...view.github, workflow: 'CI <a href="https://evil.example">now</a>' };
    const card = build(view);
    expect(card.title).toContain(
      ' CI &lt;a href=&quot;https://evil.example&quot;&gt;now&lt;/a&gt; ',
    );
    expect(attribute(card, 'Branch')?.value.label).toBe(
      'x&lt;b&gt;bold&lt;/b&gt;&lt;a href=&quot;https://…',
    );
    expect(attribute(card, 'Actor')?.value.label).toBe('o&#39;&lt;i&gt;neil&lt;/i&gt;');
    for (const text of [
      card.title,
      ...(card.attributes ?? []).flatMap((a) => [a.label, a.value.label]),
    ]) {
      expect(text).not.toMatch(/<|>/);
    }
  });

  it('escapes a release tag in the title', () => {
    const view = makeView('release', 'success');
    view.release = { ...view.release!, tag: 'v1<script>' };
    expect(build(view).title).toContain(' v1&lt;script&gt; ');
  });

  it('cuts escaped text to the limit, never inside an entity', () => {
    const card = build(makeView('push', 'failure', { branch: '&'.repeat(60) }));
    const label = attribute(card, 'Branch')?.value.label ?? '';
    expect(label).toBe(`${'&amp;'.repeat(9)}…`);
    expect(label.length).toBeLessThanOrEqual(CARD_LIMITS.attributeLabel);
  });

  it('defuses @mentions in commit titles, branch names and titles', () => {
    const view = makeView('pull_request', 'failure', {
      commit_title: '@all please look, cc @bob',
      branch: '@here',
    });
    view.github = { ...view.github, workflow: 'CI @all' };
    const card = build(view);
    const texts = [card.title, descriptionOf(card), attribute(card, 'Branch')?.value.label];
    for (const text of texts) expect(text).not.toMatch(/@(all|here|bob)/);
    expect(descriptionOf(card)?.replace(/\u2060/g, '')).toBe('@all please look, cc @bob');
  });

  it('leaves out attributes whose value is empty or blank', () => {
    const card = build(
      makeView('push', 'failure', { branch: '', branch_url: '', short_sha: '  ', actor: '' }),
    );
    expect(card.attributes?.map((a) => a.label)).toEqual(['Status']);
  });

  it('drops a link that is empty but keeps the label', () => {
    const card = build(makeView('push', 'failure', { branch_url: '', commit_url: '' }));
    expect(attribute(card, 'Branch')?.value).toEqual({ label: 'main' });
    expect(attribute(card, 'Commit')?.value).toEqual({ label: '0123456' });
  });

  it('has no attributes, description or url when nothing is known', () => {
    const view = makeView('workflow_dispatch', '', {
      branch: '',
      short_sha: '',
      actor: '',
      commit_title: '',
      run_url: '',
    });
    view.github = { ...view.github, repository: '', workflow: '' };
    const card = build(view, { message: ' <br> ', format: 'html' });
    expect(card).not.toHaveProperty('attributes');
    expect(card).not.toHaveProperty('description');
    expect(card).not.toHaveProperty('url');
    expect(card.title).toBe('GitHub Actions — workflow finished');
  });
});

describe('buildCard obeys every length limit', () => {
  const huge = (unit: string, n: number) => unit.repeat(n);
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it.each(['push', 'pull_request', 'release', 'workflow_run'] as const)(
    'cuts huge %s inputs with …',
    (event) => {
      const view = makeView(event, 'failure', {
        commit_title: huge('😀', 3000),
        branch: huge('b', 300),
        actor: huge('a', 100),
        short_sha: huge('c', 60),
      });
      view.github = {
        ...view.github,
        workflow: huge('W', 2000),
        repository: `octo/${huge('r', 600)}`,
      };
      if (view.release)
        view.release = { ...view.release, name: huge('😀', 3000), tag: huge('t', 800) };
      if (view.workflow_run) view.workflow_run = { ...view.workflow_run, name: huge('n', 900) };
      if (view.pull_request) view.pull_request = { ...view.pull_request, title: huge('p', 5000) };

      const card = build(view, {
        message: huge('m', 20_000),
        format: 'text',
        durationSeconds: 1e9,
      });
      expect(card.title).toHaveLength(CARD_LIMITS.title);
      expect(card.title.endsWith('…')).toBe(true);
      const description = descriptionOf(card) ?? '';
      expect(description.endsWith('…')).toBe(true);
      expect(description.length).toBeGreaterThan(CARD_LIMITS.description - 3);
      expect(description).not.toMatch(loneSurrogate);
      for (const label of [event === 'release' ? 'Tag' : 'Branch', 'Actor', 'Commit']) {
        const value = attribute(card, label)?.value.label ?? '';
        expect(value).toHaveLength(CARD_LIMITS.attributeLabel);
        expect(value.endsWith('…')).toBe(true);
      }
    },
  );

  it('cuts the message fallback too', () => {
    const card = build(makeView('schedule', 'failure'), {
      message: huge('x', 10_000),
      format: 'text',
    });
    expect(descriptionOf(card)).toBe(`${huge('x', CARD_LIMITS.description - 1)}…`);
  });
});

describe('card id', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const idOf = (view: TemplateView) => buildCard(view, HTML_MESSAGE).id;

  it('is a fresh random UUID for every card, even of the same run, job and status', () => {
    // Every leg of a matrix has the same GITHUB_JOB, and two notify steps in one job share
    // everything: HipChat must not take the second card for the first one re-sent.
    const ids = new Set(Array.from({ length: 50 }, () => idOf(makeView('push', 'failure'))));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(uuid);
  });

  it('is the one given, when one is', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(buildCard(makeView('push', 'failure'), { ...HTML_MESSAGE, id }).id).toBe(id);
  });
});

describe('Duration', () => {
  it.each([
    [42, '42s'],
    [252, '4m 12s'],
    [3725, '1h 02m'],
    [0, '0s'],
    [59.6, '1m 00s'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    const card = build(makeView('push', 'success'), { ...HTML_MESSAGE, durationSeconds: seconds });
    expect(attribute(card, 'Duration')?.value).toEqual({ label: text });
    expect(card.attributes).toHaveLength(5);
  });

  it.each([undefined, Number.NaN, -1, Number.POSITIVE_INFINITY])(
    'is left out when %s',
    (seconds) => {
      expect(formatDuration(seconds)).toBe('');
      const card = build(makeView('push', 'success'), {
        ...HTML_MESSAGE,
        durationSeconds: seconds,
      });
      expect(attribute(card, 'Duration')).toBeUndefined();
    },
  );
});

describe('cut', () => {
  it('leaves text that fits alone', () => {
    expect(cut('abc', 3)).toBe('abc');
  });
  it('cuts to the limit with …', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
  });
  it('never halves a surrogate pair', () => {
    expect(cut('a😀bc', 3)).toBe('a…');
  });
  it('does not leave a space before …', () => {
    expect(cut('ab   cdef', 5)).toBe('ab…');
  });
});
