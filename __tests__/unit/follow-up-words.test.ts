import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import { parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';
import { ACME_WIDGETS_FACTS } from '../support/acme-widgets.ts';
import { validateCard } from '../../sandbox/card-schema.ts';

const ID = '6f2c1a3e-9b4d-4e8f-a1c2-3d4e5f607182';
const env = {
  ...ACME_WIDGETS_FACTS,
  GITHUB_EVENT_NAME: 'push',
  GITHUB_WORKFLOW: 'Deploy',
  GITHUB_RUN_ID: '555',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_SERVER_URL: 'https://github.com',
};
const push = JSON.parse(
  readFileSync(new URL('../fixtures/events/push.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function built(status: string, extra: Record<string, string> = {}, previous = '') {
  const values: Record<string, string> = {
    token: 'tok123',
    room: 'CI',
    server: 'https://hipchat.example.com',
    ...extra,
  };
  const inputs = parseInputs((name) => values[name] ?? '');
  const view = buildView(
    env,
    push,
    status,
    previous ? { previousStatus: previous, changed: true } : {},
  );
  return buildMessage(inputs, view).body;
}

describe('the built-in follow-up', () => {
  it('says what happened since, without the context its parent shows', () => {
    const parent = built('started');
    const child = built('success', { 'attach-to': ID });
    expect(parent.message).toMatch(/^🚀 .*acme\/widgets.*<b>Deploy<\/b> started on .*main/);
    expect(child.message).toBe(
      '✅ <b>Deploy</b> succeeded · <a href="https://github.com/acme/widgets/actions/runs/555">run #42</a>',
    );
    // Nothing the parent already says: repository, branch, commit, who.
    const shown = child.message.replace(/<[^>]*>/g, '');
    for (const context of ['acme/widgets', 'main', '9f8e7d6', 'alice']) {
      expect(shown).not.toContain(context);
      expect(parent.message).toContain(context);
    }
    expect(child.attach_to).toBe(ID);
  });

  it('reads "is fixed" under the failure it answers, and a failure in red', () => {
    const fixed = built('success', { 'attach-to': ID, format: 'text' }, 'failure');
    expect(fixed.message).toBe(
      '✅ Deploy is fixed\nhttps://github.com/acme/widgets/actions/runs/555',
    );
    const failed = built('failure', { 'attach-to': ID });
    expect(failed.message).toMatch(/^❌ <b>Deploy<\/b> failed · /);
    expect(failed.color).toBe('red');
  });

  it('has a card of the same shape: the outcome as title, no branch, commit or actor', () => {
    const { card } = built('success', { 'attach-to': ID, card: 'true' });
    expect(card?.title).toBe('Deploy succeeded');
    expect(card?.description).toBeUndefined();
    expect(card?.attributes?.map((a) => a.label)).toEqual(['Status']);
    expect(validateCard(card)).toEqual([]);
    // Not attached: the whole story, as before.
    const full = built('success', { card: 'true' }).card;
    expect(full?.title).toBe('acme/widgets — Deploy succeeded');
    expect(full?.attributes?.map((a) => a.label)).toContain('Commit');
  });

  it('leaves a template of your own as written', () => {
    const body = built('success', { 'attach-to': ID, template: '{{github.repository}} ok' });
    expect(body.message).toBe('acme/widgets ok');
  });
});
