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
  it('leaves out the context its parent shows, and is attached to it', () => {
    const parent = built('started');
    const child = built('success', { 'attach-to': ID });
    // Nothing the parent already says: repository, branch, commit, who (its sentences: the
    // follow-up words table, __tests__/words/follow-up.ts).
    const shown = child.message.replace(/<[^>]*>/g, '');
    for (const context of ['acme/widgets', 'main', '9f8e7d6', 'alice']) {
      expect(shown).not.toContain(context);
      expect(parent.message).toContain(context);
    }
    expect(child.attach_to).toBe(ID);
    expect(child.color).toBe('green');
    expect(built('failure', { 'attach-to': ID }).color).toBe('red');
  });

  it('has a card of the same shape: the outcome as title, no branch, commit or actor', () => {
    const { card } = built('success', { 'attach-to': ID, card: 'true' });
    expect(card?.title).not.toContain('acme/widgets');
    expect(card?.description).toBeUndefined();
    expect(card?.attributes?.map((a) => a.label)).toEqual(['Status']);
    expect(validateCard(card)).toEqual([]);
    // Not attached: the whole story, as before.
    const full = built('success', { card: 'true' }).card;
    expect(full?.title).toContain('acme/widgets');
    expect(full?.attributes?.map((a) => a.label)).toContain('Commit');
  });

  it('leaves a template of your own as written', () => {
    const body = built('success', { 'attach-to': ID, template: '{{github.repository}} ok' });
    expect(body.message).toBe('acme/widgets ok');
  });
});
