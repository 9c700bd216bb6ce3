/**
 * Real payloads: every built-in message over every example payload of every event GitHub sends
 * (the community's collection, `@octokit/webhooks-examples`), in html and text, for a success
 * and a failure, with a card. What the room reads must hold whatever the payload:
 * - nothing throws, and no `undefined`, `null`, `[object Object]` or `NaN` appears that the
 *   payload's own text does not hold;
 * - the html is well formed (known tags, balanced, entities whole), the text has no tag;
 * - every link is an absolute https URL the payload names, or one of the repository's pages;
 * - the outcome the message, the colour and the card tell is the status given.
 */
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import { describe, expect, it } from 'vitest';
import { buildView } from '../../src/context/view.js';
import type { MessageFormat } from '../../src/hipchat/types.js';
import { buildMessage } from '../../src/message/compose.js';
import type { MessageSettings } from '../../src/message/compose.js';

type Json = Record<string, unknown>;

// The package's main is a JSON file: required, as ESM cannot import it without an assertion.
const examples = createRequire(import.meta.url)(
  '@octokit/webhooks-examples',
) as WebhookDefinition[];

/** Every example of every event, named `push #3`. */
const CASES = examples.flatMap((event) =>
  event.examples.map((payload, i) => ({
    name: `${event.name} #${i + 1}`,
    event: event.name,
    payload: payload as unknown as Json,
  })),
);

/** Every string in the payload, however deep. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) strings(item, out);
  }
  return out;
}

const record = (value: unknown): Json =>
  typeof value === 'object' && value !== null ? (value as Json) : {};

/** The runner's variables for a run of `event` on the payload's repository. */
function runnerEnv(event: string, payload: Json): Record<string, string> {
  const repository = String(record(payload.repository).full_name ?? 'octo-org/octo-repo');
  const ref = typeof payload.ref === 'string' ? payload.ref : 'refs/heads/main';
  return {
    GITHUB_REPOSITORY: repository,
    GITHUB_EVENT_NAME: event,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'build',
    GITHUB_RUN_ID: '7012345678',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: String(record(payload.sender).login ?? 'octocat'),
    GITHUB_SHA:
      typeof payload.after === 'string'
        ? payload.after
        : '8f2e1c0d9b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e',
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
  };
}

const SETTINGS: Omit<MessageSettings, 'format'> = {
  template: '',
  templateSource: 'template',
  color: 'auto',
  notify: false,
  from: '',
  attachTo: '',
  card: true,
  summary: 'job',
};

/** Tags the built-in html messages use. */
const TAGS = new Set(['a', 'b', 'code', 'br', 'pre', 'i']);

/** Why `html` is not well formed, or ''. */
function htmlProblem(html: string): string {
  const open: string[] = [];
  const token = /<(\/?)([a-z]+)((?:\s+[a-z]+="[^"<>]*")*)\s*>|&(#\d+|#x[0-9a-f]+|[a-z]+);|[<>&]/gi;
  for (const match of html.matchAll(token)) {
    const [whole, closing, tag] = match;
    if (tag === undefined && match[4] === undefined) return `a bare ${whole} at ${match.index}`;
    if (tag === undefined) continue;
    if (!TAGS.has(tag)) return `<${tag}> is not a tag the built-ins write`;
    if (tag === 'br') continue;
    if (!closing) open.push(tag);
    else if (open.pop() !== tag) return `</${tag}> closes nothing open`;
  }
  return open.length > 0 ? `<${open.join('>, <')}> left open` : '';
}

/** Links in a message: html hrefs (entities decoded), or the URLs of a text message. */
function links(message: string, format: MessageFormat): string[] {
  if (format === 'html') {
    return [...message.matchAll(/href="([^"]*)"/g)].map((m) =>
      m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'"),
    );
  }
  return [...message.matchAll(/\bhttps?:\/\/\S+/g)].map((m) => m[0]);
}

const FORBIDDEN = ['undefined', 'null', '[object Object]', 'NaN'];

describe('every built-in message over every @octokit/webhooks-examples payload', () => {
  it('covers every event of the collection', () => {
    expect(new Set(CASES.map((c) => c.event)).size).toBe(examples.length);
    expect(CASES.length).toBeGreaterThan(300);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, { event, payload }) => {
    const env = runnerEnv(event, payload);
    const texts = strings(payload);
    const said = (word: string): boolean => texts.some((s) => s.includes(word));
    // The repositories the payload names (the run's, a fork's), whose pages the message links.
    const repositories = [
      `https://github.com/${env.GITHUB_REPOSITORY}`,
      ...texts.filter((s) => /^https:\/\/github\.com\/[^/]+\/[^/]+$/.test(s)),
    ];
    // What the run names besides the payload: the runner's commit and ref (GITHUB_SHA, _REF).
    const facts = [...texts, env.GITHUB_SHA!, env.GITHUB_REF!];
    const named = (url: string): boolean => {
      if (texts.includes(url)) return true;
      const base = repositories.find((r) => url === r || url.startsWith(`${r}/`));
      if (base === undefined) return false;
      // A commit or branch page: of a commit and a branch the payload names (never 000…0).
      const [, page, rest] = /^\/(commit|tree)\/(.+)$/.exec(url.slice(base.length)) ?? [];
      if (page === 'commit') return !/^0+$/.test(rest!) && facts.includes(rest!);
      if (page === 'tree') {
        const branch = decodeURIComponent(rest!);
        return facts.some((s) =>
          [branch, `refs/heads/${branch}`, `refs/tags/${branch}`].includes(s),
        );
      }
      return true;
    };

    for (const status of ['success', 'failure'] as const) {
      const view = buildView(env, payload, status);
      for (const format of ['html', 'text'] as const) {
        const { body } = buildMessage({ ...SETTINGS, format }, view);
        const where = `${status}, ${format}`;
        const card = JSON.stringify(body.card);
        for (const word of FORBIDDEN) {
          if (said(word)) continue;
          expect(body.message, `${where}: ${word}`).not.toContain(word);
          expect(card, `${where}, card: ${word}`).not.toContain(word);
        }
        if (format === 'html') expect(htmlProblem(body.message), where).toBe('');
        else if (!said('<')) expect(body.message, where).not.toMatch(/<\/?[a-z]+[\s>]/i);
        for (const url of [...links(body.message, format), body.card?.url ?? '']) {
          if (!url) continue;
          expect(url, where).toMatch(/^https:\/\/[^\s/]+\//);
          expect(named(url), `${where}: ${url} is not the payload's`).toBe(true);
        }
        // The outcome: icon, colour, wording and the card's lozenge all say the status — a
        // deployment_status's own state where the job did not fail (it is the news there).
        const lozenge = body.card?.attributes?.find((a) => a.label === 'Status')?.value;
        if (view.outcome === 'started') {
          expect(event, where).toBe('deployment_status');
          expect(body.message.startsWith('🚀'), where).toBe(true);
          expect(body.message, where).toMatch(/Deploying .* to /);
          expect(lozenge?.label).toBe(view.status);
          continue;
        }
        const [icon, color, word] =
          status === 'success'
            ? [
                '✅',
                'green',
                /succeeded|released|published|updated|created|deleted|unpublished|Deployed/,
              ]
            : ['❌', 'red', /failed/];
        expect(body.message.startsWith(icon), where).toBe(true);
        expect(body.color).toBe(color);
        expect(body.message, where).toMatch(word);
        if (status === 'success' && !said('failed')) expect(body.message).not.toContain('failed');
        expect(lozenge?.label).toBe(status);
      }
    }
  });
});
