import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import { readEvent } from '../../src/context/event-file.js';
import { outcomeOf } from '../../src/inputs/status.js';
import type { TemplateView } from '../../src/context/view.js';
import { ACME_WIDGETS_FACTS } from '../support/acme-widgets.ts';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/events/${name}.json`, import.meta.url));
const load = (name: string): Record<string, unknown> => readEvent(fixture(name));

/** The runner's variables for a run of acme/widgets; `overrides` wins. */
function runnerEnv(
  eventName: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    ...ACME_WIDGETS_FACTS,
    GITHUB_HEAD_REF: '',
    GITHUB_BASE_REF: '',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    // Never read: the view must not carry secrets that live in the environment.
    INPUT_TOKEN: 'secret-token',
    HOME: '/home/runner',
    ...overrides,
  };
}

/** Every string reachable in the view (payload excluded: it is GitHub's, not ours). */
function ownStrings(view: TemplateView): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (value: unknown, path: string): void => {
    if (path === 'github.event') return;
    if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else {
      out.push([path, value]);
    }
  };
  walk(view, '');
  return out;
}

function expectComplete(view: TemplateView): void {
  for (const [path, value] of ownStrings(view)) {
    expect(value, path).not.toBeUndefined();
    expect(value, path).not.toBeNull();
    expect(String(value), path).not.toContain('undefined');
    expect(String(value), path).not.toContain('NaN');
  }
}

describe('readEvent', () => {
  it('gives {} when there is no payload path', () => {
    expect(readEvent(undefined)).toEqual({});
    expect(readEvent('')).toEqual({});
  });

  it('parses the payload file', () => {
    const event = load('push');
    expect(event['ref']).toBe('refs/heads/main');
  });

  it('names the path when the file cannot be read', () => {
    const path = join(tmpdir(), 'no-such-dir-hipchat-notify', 'event.json');
    expect(() => readEvent(path)).toThrow(path);
    expect(() => readEvent(path)).toThrow(/Cannot read the event payload/);
  });

  it('names the path when the file is not JSON, or not a JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hipchat-notify-event-'));
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, '{ "ref": ');
    expect(() => readEvent(invalid)).toThrow(`The event payload file ${invalid} is not valid JSON`);
    const list = join(dir, 'list.json');
    writeFileSync(list, '[1, 2]');
    expect(() => readEvent(list)).toThrow(`${list} does not hold a JSON object`);
    const nullFile = join(dir, 'null.json');
    writeFileSync(nullFile, 'null');
    expect(() => readEvent(nullFile)).toThrow(nullFile);
  });

  it('accepts a byte-order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hipchat-notify-event-'));
    const path = join(dir, 'bom.json');
    writeFileSync(path, '\uFEFF{"action":"created"}');
    expect(readEvent(path)).toEqual({ action: 'created' });
  });
});

describe('outcome and status words', () => {
  it.each([
    ['success', 'success', 'succeeded', '✅'],
    ['SUCCESS', 'success', 'succeeded', '✅'],
    [' Failure ', 'failure', 'failed', '❌'],
    ['timed_out', 'failure', 'timed out', '❌'],
    ['startup_failure', 'failure', 'failed to start', '❌'],
    ['cancelled', 'cancelled', 'was cancelled', '⚪'],
    ['Cancelled', 'cancelled', 'was cancelled', '⚪'],
    ['skipped', 'none', 'was skipped', '🔵'],
    ['', 'none', 'finished', '🔵'],
    // GitHub's other conclusions, in the families send-when uses too (status.ts).
    ['neutral', 'success', 'finished', '✅'],
    ['action_required', 'none', 'is waiting for approval', '🔵'],
    ['STALE', 'none', 'went stale', '🔵'],
  ])('status %j → %s, "%s"', (status, outcome, text, icon) => {
    const view = buildView(runnerEnv('push'), {}, status);
    expect(view.outcome).toBe(outcome);
    expect(view.status_text).toBe(text);
    expect(view.status_icon).toBe(icon);
    expect(view.status).toBe(status.trim().toLowerCase());
  });

  it('outcomeOf ignores inherited names', () => {
    expect(outcomeOf('constructor')).toBe('none');
    expect(outcomeOf('toString')).toBe('none');
    expect(outcomeOf(undefined)).toBe('none');
  });
});

describe('buildView: push', () => {
  const view = buildView(runnerEnv('push'), load('push'), 'failure');

  it('mirrors the github context', () => {
    expect(view.github).toMatchObject({
      repository: 'acme/widgets',
      repository_owner: 'acme',
      actor: 'alice',
      ref_name: 'main',
      workflow: 'CI',
      run_id: '4242',
      run_number: '42',
      event_name: 'push',
      server_url: 'https://github.com',
    });
    expect(view.github.event['compare']).toBe(load('push')['compare']);
  });

  it('reports the pushed commit', () => {
    expect(view.commit_sha).toBe('9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
    expect(view.short_sha).toBe('9f8e7d6');
    expect(view.commit_title).toBe('Fix the <parser> & "quotes"');
    expect(view.branch).toBe('main');
    expect(view.actor).toBe('alice');
  });

  it('builds the links', () => {
    expect(view.repository_url).toBe('https://github.com/acme/widgets');
    expect(view.run_url).toBe('https://github.com/acme/widgets/actions/runs/4242');
    expect(view.commit_url).toBe(
      'https://github.com/acme/widgets/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
    );
    expect(view.branch_url).toBe('https://github.com/acme/widgets/tree/main');
    expect(view.compare_url).toBe(
      'https://github.com/acme/widgets/compare/1111111111...9f8e7d6c5b',
    );
  });

  it('has no pull request, release or upstream run', () => {
    expect(view).not.toHaveProperty('pull_request');
    expect(view).not.toHaveProperty('release');
    expect(view).not.toHaveProperty('workflow_run');
    expectComplete(view);
  });

  it('does not expose the environment', () => {
    expect(JSON.stringify(view)).not.toContain('secret-token');
    expect(JSON.stringify(view)).not.toContain('/home/runner');
  });
});

describe('buildView: links', () => {
  it('links the attempt being reported on a re-run', () => {
    const view = buildView(runnerEnv('push', { GITHUB_RUN_ATTEMPT: '3' }), {}, 'failure');
    expect(view.run_url).toBe('https://github.com/acme/widgets/actions/runs/4242/attempts/3');
  });

  it('uses the GitHub Enterprise server, without a doubled slash', () => {
    const env = runnerEnv('push', { GITHUB_SERVER_URL: 'https://ghe.example.com/' });
    const view = buildView(env, {}, 'success');
    expect(view.repository_url).toBe('https://ghe.example.com/acme/widgets');
    expect(view.run_url).toBe('https://ghe.example.com/acme/widgets/actions/runs/4242');
    expect(view.github.server_url).toBe('https://ghe.example.com');
  });

  it('defaults the server to github.com', () => {
    const view = buildView(runnerEnv('push', { GITHUB_SERVER_URL: undefined }), {}, 'success');
    expect(view.repository_url).toBe('https://github.com/acme/widgets');
  });

  it('keeps slashes but encodes the rest of a branch name', () => {
    const env = runnerEnv('push', { GITHUB_REF_NAME: 'feature/a b#1' });
    expect(buildView(env, {}, '').branch_url).toBe(
      'https://github.com/acme/widgets/tree/feature/a%20b%231',
    );
  });

  it('derives ref_name from ref when the runner did not set it', () => {
    const env = runnerEnv('push', { GITHUB_REF_NAME: undefined, GITHUB_REF: 'refs/tags/v2.0.0' });
    expect(buildView(env, {}, '').branch).toBe('v2.0.0');
  });

  it('accepts only web links from the payload', () => {
    const view = buildView(runnerEnv('push'), { compare: 'javascript:alert(1)' }, 'success');
    expect(view.compare_url).toBe('');
  });

  it('prefers the triggering actor (a re-run by someone else)', () => {
    const env = runnerEnv('push', { GITHUB_TRIGGERING_ACTOR: 'bob' });
    const view = buildView(env, {}, 'success');
    expect(view.actor).toBe('bob');
    expect(view.github.actor).toBe('alice');
  });
});

describe('buildView: pull requests', () => {
  const mergeSha = 'feedfacefeedfacefeedfacefeedfacefeedface';
  const env = runnerEnv('pull_request', {
    GITHUB_SHA: mergeSha,
    GITHUB_REF: 'refs/pull/12/merge',
    GITHUB_REF_NAME: '12/merge',
    GITHUB_HEAD_REF: 'feature/new-widget',
    GITHUB_BASE_REF: 'main',
    GITHUB_ACTOR: 'bob',
    GITHUB_TRIGGERING_ACTOR: 'bob',
  });

  it.each(['pull_request', 'pull_request_target'])(
    '%s reports the PR head, not the merge',
    (name) => {
      const view = buildView({ ...env, GITHUB_EVENT_NAME: name }, load('pull_request'), 'failure');
      expect(view.commit_sha).toBe('abcdef0123456789abcdef0123456789abcdef01');
      expect(view.short_sha).toBe('abcdef0');
      expect(view.commit_sha).not.toBe(mergeSha);
      expect(view.branch).toBe('feature/new-widget');
      expect(view.commit_title).toBe('Add the widget @all should see');
      expect(view.pull_request).toEqual({
        number: 12,
        title: 'Add the widget @all should see',
        url: 'https://github.com/acme/widgets/pull/12',
        author: 'bob',
        base: 'main',
        head: 'feature/new-widget',
      });
      // The head branch lives in the fork.
      expect(view.branch_url).toBe('https://github.com/bob/widgets/tree/feature/new-widget');
      expect(view.commit_url).toBe(
        'https://github.com/acme/widgets/commit/abcdef0123456789abcdef0123456789abcdef01',
      );
      expectComplete(view);
    },
  );

  it('falls back to GITHUB_HEAD_REF and GITHUB_SHA for a sparse payload', () => {
    const view = buildView(env, { pull_request: {} }, 'failure');
    expect(view.branch).toBe('feature/new-widget');
    expect(view.commit_sha).toBe(mergeSha);
    expect(view.commit_title).toBe('');
    expectComplete(view);
  });
});

describe('buildView: release', () => {
  const env = runnerEnv('release', { GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_REF_NAME: 'v1.2.0' });

  it('describes the release', () => {
    const view = buildView(env, load('release'), 'success');
    expect(view.release).toEqual({
      tag: 'v1.2.0',
      name: 'Widgets 1.2 "Sprocket"',
      url: 'https://github.com/acme/widgets/releases/tag/v1.2.0',
      prerelease: false,
      author: 'carol',
    });
    expect(view.branch).toBe('v1.2.0');
    expect(view.commit_title).toBe('');
    expectComplete(view);
  });

  it('names the release by its tag when it has no name', () => {
    const event = { release: { tag_name: 'v2.0.0-rc.1', name: null, prerelease: true } };
    const view = buildView(env, event, 'success');
    expect(view.release).toMatchObject({
      tag: 'v2.0.0-rc.1',
      name: 'v2.0.0-rc.1',
      prerelease: true,
    });
    expect(view.release?.url).toBe('');
    expect(view.release?.author).toBe('');
  });

  it('still gives a release object for an empty payload', () => {
    const view = buildView(env, {}, 'success');
    expect(view.release).toEqual({ tag: '', name: '', url: '', prerelease: false, author: '' });
    expectComplete(view);
  });
});

describe('buildView: workflow_run', () => {
  it('reports the upstream run, its commit and branch', () => {
    const view = buildView(runnerEnv('workflow_run'), load('workflow_run'), 'failure');
    expect(view.workflow_run).toEqual({
      name: 'Build',
      conclusion: 'failure',
      url: 'https://github.com/acme/widgets/actions/runs/9876543210',
      branch: 'release/2.x',
      event: 'push',
    });
    expect(view.branch).toBe('release/2.x');
    expect(view.commit_sha).toBe('1234567890abcdef1234567890abcdef12345678');
    expect(view.commit_title).toBe('Speed up the build');
    expect(view.branch_url).toBe('https://github.com/acme/widgets/tree/release/2.x');
    expectComplete(view);
  });
});

describe('buildView: events without a payload', () => {
  it.each(['workflow_dispatch', 'schedule', 'repository_dispatch', 'push', 'release'])(
    '%s with no payload and a bare environment still gives a complete view',
    (name) => {
      const view = buildView({ GITHUB_EVENT_NAME: name }, {}, '');
      expectComplete(view);
      expect(view.github.event).toEqual({});
      expect(view.run_url).toBe('');
      expect(view.commit_url).toBe('');
      expect(view.short_sha).toBe('');
      expect(view.outcome).toBe('none');
    },
  );

  it('a schedule run has its commit and run link from the environment', () => {
    const view = buildView(runnerEnv('schedule'), load('schedule'), 'failure');
    expect(view.short_sha).toBe('9f8e7d6');
    expect(view.branch).toBe('main');
    expect(view.commit_title).toBe('');
    expect(view.run_url).toBe('https://github.com/acme/widgets/actions/runs/4242');
    expectComplete(view);
  });

  it('ignores payload fields of the wrong type', () => {
    const event = { head_commit: { message: { text: 'x' } }, compare: ['x'], pull_request: 'nope' };
    const view = buildView(runnerEnv('pull_request'), event, 'failure');
    expect(view.commit_title).toBe('');
    expect(view.compare_url).toBe('');
    expect(view).not.toHaveProperty('pull_request');
    expectComplete(view);
  });
});

describe('buildView: previous status (send-when)', () => {
  it('is empty and unchanged by default', () => {
    const view = buildView(runnerEnv('push'), {}, 'success');
    expect(view.previous_status).toBe('');
    expect(view.changed).toBe(false);
  });

  it('records the previous status, lower-cased', () => {
    const view = buildView(runnerEnv('push'), {}, 'success', {
      previousStatus: 'FAILURE',
      changed: true,
    });
    expect(view.previous_status).toBe('failure');
    expect(view.changed).toBe(true);
  });

  it('works out `changed` from the outcomes when not told', () => {
    const env = runnerEnv('push');
    expect(buildView(env, {}, 'success', { previousStatus: 'failure' }).changed).toBe(true);
    expect(buildView(env, {}, 'failure', { previousStatus: 'timed_out' }).changed).toBe(false);
  });

  it('judges `changed` as send-when does: a run without an outcome changes nothing', () => {
    const env = runnerEnv('push');
    expect(buildView(env, {}, 'cancelled', { previousStatus: 'success' }).changed).toBe(false);
    expect(buildView(env, {}, '', { previousStatus: 'failure' }).changed).toBe(false);
    expect(buildView(env, {}, 'success', { previousStatus: 'skipped' }).changed).toBe(false);
    expect(buildView(env, {}, 'neutral', { previousStatus: 'failure' }).changed).toBe(true);
  });
});
