/**
 * What a template author is told about the template itself: names the view does not have, and
 * room mentions written where HipChat does not make them mentions (an html message).
 */
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import { parseInputs } from '../../src/inputs/inputs.js';
import { buildMessage } from '../../src/message/compose.js';

/** The inputs every run needs. */
const REQUIRED = { token: 't', room: 'CI', server: 'https://hipchat.example.com' };

const view = buildView({ GITHUB_REPOSITORY: 'acme/widgets' }, {}, 'failure');

function warningsFor(template: string, format = 'html'): string[] {
  const given: Record<string, string> = { ...REQUIRED, template, format };
  return buildMessage(
    parseInputs((name) => given[name] ?? ''),
    view,
  ).warnings;
}

describe('room mentions in an html template', () => {
  it('warn that @here and @all do not ping in html, and say how they would', () => {
    expect(warningsFor('@here {{github.repository}} is red')).toEqual([
      '`template` writes @here, but with `format: html` HipChat shows it as plain text and notifies nobody. Use `format: text` for mentions to ping the room.',
    ]);
    expect(warningsFor('<b>broken</b> — cc @ALL')).toEqual([
      expect.stringContaining('writes @ALL, but with `format: html`'),
    ]);
  });

  it('are fine in text, where HipChat makes them mentions', () => {
    expect(warningsFor('@here {{github.repository}} is red', 'text')).toEqual([]);
  });

  it('are not read into addresses or other words', () => {
    expect(warningsFor('mail ops@all.example or @hereford, @allison')).toEqual([]);
  });

  it('come from the template only, never from event text a value brings in', () => {
    const withTitle = buildView(
      { GITHUB_REPOSITORY: 'acme/widgets' },
      { head_commit: { message: '@all look' } },
      'failure',
    );
    const given: Record<string, string> = { ...REQUIRED, template: '{{commit_title}}' };
    expect(
      buildMessage(
        parseInputs((name) => given[name] ?? ''),
        withTitle,
      ).warnings,
    ).toEqual([]);
  });
});
