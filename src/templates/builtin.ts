/**
 * The built-in templates: what the room reads when the workflow gives no `template`.
 *
 * Mustache is logic-less, so the choices (which event, which outcome, fixed or still failing,
 * which facts exist) are made here in code, and the result is an ordinary Mustache template:
 * every fact still goes through `render`, with the same escaping and mention defusing as a
 * template a user wrote. Templates are assembled on demand (nothing is built at import).
 *
 * Shape: `<icon> <repository>: <what happened> — <commit or release> by <who>`, then the link to
 * act on (text: on its own line, where HipChat auto-links it; html: an `<a>` at the end).
 */
import type { TemplateView } from '../context.js';
import { outcomeOf } from '../status.js';
import { escapeHtml } from '../html.js';
import type { MessageFormat } from '../hipchat/types.js';

/** A piece of a built-in message, rendered per format by `emit`. */
type Piece =
  | string
  | { readonly variable: string }
  | { readonly tag: 'b' | 'code'; readonly body: readonly Piece[] }
  | { readonly href: string; readonly body: readonly Piece[] }
  | { readonly only: MessageFormat; readonly body: readonly Piece[] };

/** A built-in message before it is written out as a template. */
interface Spec {
  headline: Piece[];
  /** Name of the view variable holding the link to act on, and its html label. */
  link?: { url: string; label: Piece[] };
}

/**
 * The built-in Mustache template for this view's event and outcome, in `format`.
 * It is a template, not a message: render it with `render(defaultTemplate(v, f), v, f)`
 * (or `renderDefault`). Covers push, pull_request(_target) and their review events, release,
 * workflow_dispatch, schedule, workflow_run, and any other event through a generic wording.
 */
export function defaultTemplate(view: TemplateView, format: MessageFormat): string {
  const spec = describe(view);
  const icon = view.status_icon ? '{{status_icon}} ' : '';
  // `mention: author` on a failure: the person behind the change (a live @mention in text
  // only when the action resolved them; their name otherwise), after whoever ran it.
  const cc = view.mention && view.outcome === 'failure' ? ' · cc {{mention}}' : '';
  const headline = `${icon}${emit(spec.headline, format)}${cc}`;
  if (!spec.link) return headline;
  if (format === 'text') return `${headline}\n{{${spec.link.url}}}`;
  return `${headline} · <a href="{{${spec.link.url}}}">${emit(spec.link.label, format)}</a>`;
}

function describe(view: TemplateView): Spec {
  const event = view.github.event_name;
  if (event === 'release' && view.release) return releaseSpec(view);
  if (event.startsWith('pull_request') && view.pull_request) return runSpec(view, 'pull_request');
  if (event === 'push' || event === 'workflow_dispatch' || event === 'schedule') {
    return runSpec(view, event);
  }
  if (event === 'workflow_run' && view.workflow_run) return runSpec(view, 'workflow_run');
  return runSpec(view, 'other');
}

type RunKind =
  'push' | 'pull_request' | 'workflow_dispatch' | 'schedule' | 'workflow_run' | 'other';

/** Build alerts: `❌ acme/app: CI failed on main — “Fix parser” (abc1234) by alice`. */
function runSpec(view: TemplateView, kind: RunKind): Spec {
  const headline: Piece[] = [...repository(view), ': '];
  if (kind === 'workflow_dispatch') headline.push('manual run of ');
  if (kind === 'schedule') headline.push('scheduled run of ');
  headline.push(bold(workflowName(view, kind)), ` ${runVerb(view)}`);
  headline.push(...where(view, kind));
  headline.push(...commitFacts(view, kind));
  // A schedule has no one who triggered it (github.actor is whoever last edited the cron line).
  if (kind !== 'schedule' && view.actor) headline.push(' by ', v('actor'));
  return { headline, ...runLink(view, kind) };
}

/**
 * Release alerts: announce on success; on failure say the release workflow failed; when it
 * only started (a `started` note), say that, since the release is not published yet.
 */
function releaseSpec(view: TemplateView): Spec {
  const release = view.release ?? { tag: '', name: '', url: '', prerelease: false, author: '' };
  const headline: Piece[] = [...repository(view), ': '];
  const verb = releaseWorkflowVerb(view.outcome);
  // When the workflow is still the news, the trailing link is the run, so the tag itself links
  // the release.
  const tag = !release.tag
    ? []
    : verb && release.url
      ? [link('release.url', v('release.tag'))]
      : [v('release.tag')];
  if (verb) {
    // The release exists on GitHub, but its workflow (assets, publishing) did not finish:
    // the room must not read this as "published". "Fixed"/"still failing" wording does not
    // apply: each release is a different tag, not another attempt at the same thing.
    headline.push('release workflow ');
    if (view.github.workflow) headline.push(bold(v('github.workflow')), ' ');
    headline.push(verb, ...(tag.length > 0 ? [' for ', ...tag] : []));
  } else {
    headline.push(...releaseAnnouncement(view, release.prerelease, tag));
  }
  if (release.name && release.name !== release.tag) {
    headline.push(' — ', ...quoted(v('release.name')));
  }
  if (release.author) headline.push(' by ', v('release.author'));
  else if (view.actor) headline.push(' by ', v('actor'));
  if (verb) return { headline, ...runLink(view, 'other') };
  return release.url
    ? { headline, link: { url: 'release.url', label: ['release notes'] } }
    : { headline };
}

/** What the release's workflow did, when that (not the release) is the news; '' otherwise. */
function releaseWorkflowVerb(outcome: TemplateView['outcome']): string {
  if (outcome === 'failure') return 'failed';
  if (outcome === 'cancelled') return 'was cancelled';
  return outcome === 'started' ? 'started' : '';
}

function releaseAnnouncement(view: TemplateView, prerelease: boolean, tag: Piece[]): Piece[] {
  // The event's action says what happened to the release; `published` is the usual trigger.
  const action = typeof view.github.event['action'] === 'string' ? view.github.event['action'] : '';
  const verbs: Record<string, string> = {
    edited: ' updated',
    deleted: ' deleted',
    unpublished: ' unpublished',
    created: ' created',
  };
  const verb = Object.hasOwn(verbs, action) ? (verbs[action] ?? '') : '';
  const named = tag.length > 0 ? [' ', ...tag] : [];
  if (verb) return ['release', ...named, verb];
  if (prerelease) return ['pre-release', ...named, ' published'];
  return tag.length > 0 ? [...tag, ' released'] : ['release published'];
}

/**
 * The status in words (`failed`, `timed out`, `succeeded`…: status.ts), or — when `send-when`
 * found the previous run — `is fixed` (success after failure), `is broken again` (failure after
 * success) or `is still failing` (failure after failure). Shared with the card, so card and
 * fallback message say the same.
 */
export function runVerb(view: TemplateView): string {
  const previous = outcomeOf(view.previous_status);
  switch (view.outcome) {
    case 'success':
      return previous === 'failure' ? 'is fixed' : view.status_text || 'succeeded';
    case 'failure':
      if (previous === 'failure') return 'is still failing';
      return previous === 'success' ? 'is broken again' : view.status_text || 'failed';
    case 'cancelled':
      return 'was cancelled';
    default:
      return view.status_text || 'finished';
  }
}

function workflowName(view: TemplateView, kind: RunKind): Piece {
  if (kind === 'workflow_run' && view.workflow_run?.name) return v('workflow_run.name');
  return view.github.workflow ? v('github.workflow') : 'workflow';
}

/** ` on main` or ` on PR #12`, linked in html. */
function where(view: TemplateView, kind: RunKind): Piece[] {
  const pr = view.pull_request;
  if (namesPullRequest(view, kind) && pr) {
    const label: Piece[] = ['PR #', v('pull_request.number')];
    return pr.url ? [' on ', { href: 'pull_request.url', body: label }] : [' on ', ...label];
  }
  if (!view.branch) return [];
  return [' on ', view.branch_url ? link('branch_url', v('branch')) : v('branch')];
}

function namesPullRequest(view: TemplateView, kind: RunKind): boolean {
  return kind === 'pull_request' && (view.pull_request?.number ?? 0) > 0;
}

/** ` — "Fix parser" (feature/x, abc1234)`: what was built. */
function commitFacts(view: TemplateView, kind: RunKind): Piece[] {
  const pieces: Piece[] = [];
  if (view.commit_title) pieces.push(' — ', ...quoted(v('commit_title')));
  const inParens: Piece[][] = [];
  // On a PR the headline names the PR, so the branch goes beside the sha.
  if (namesPullRequest(view, kind) && view.branch) {
    inParens.push([view.branch_url ? link('branch_url', v('branch')) : v('branch')]);
  }
  // An event without wording of its own is named, so the room knows what started the run.
  if (kind === 'other' && view.github.event_name) inParens.push([v('github.event_name')]);
  if (view.short_sha) {
    const sha = code(v('short_sha'));
    inParens.push([view.commit_url ? link('commit_url', sha) : sha]);
  }
  if (inParens.length > 0) pieces.push(' (', ...inParens.flatMap(joinWith(', ')), ')');
  return pieces;
}

function runLink(view: TemplateView, kind: RunKind): Pick<Spec, 'link'> {
  // For workflow_run the run worth opening is the upstream one that triggered this workflow.
  if (kind === 'workflow_run' && view.workflow_run?.url) {
    return { link: { url: 'workflow_run.url', label: ['view run'] } };
  }
  if (!view.run_url) return {};
  const label: Piece[] = view.github.run_number ? ['run #', v('github.run_number')] : ['view run'];
  if (Number(view.github.run_attempt) > 1) label.push(' (attempt ', v('github.run_attempt'), ')');
  return { link: { url: 'run_url', label } };
}

function repository(view: TemplateView): Piece[] {
  if (!view.github.repository) return ['GitHub'];
  return [
    view.repository_url ? link('repository_url', v('github.repository')) : v('github.repository'),
  ];
}

function v(variable: string): Piece {
  return { variable };
}

function bold(...body: Piece[]): Piece {
  return { tag: 'b', body };
}

function code(...body: Piece[]): Piece {
  return { tag: 'code', body };
}

/** A link in html; just its text in `text`, where the link line carries the URL. */
function link(href: string, ...body: Piece[]): Piece {
  return { href, body };
}

/**
 * Quotes in text, where they set a commit title apart (typographic ones, so a title with its own
 * "quotes" still reads right); html sets it apart without them.
 */
function quoted(body: Piece): Piece[] {
  return [{ only: 'text', body: ['“'] }, body, { only: 'text', body: ['”'] }];
}

function joinWith(separator: Piece): (group: Piece[], index: number) => Piece[] {
  return (group, index) => (index === 0 ? group : [separator, ...group]);
}

/** Write pieces out as template source. Literals are ours, so they never contain `{{`. */
function emit(pieces: readonly Piece[], format: MessageFormat): string {
  return pieces.map((piece) => emitPiece(piece, format)).join('');
}

function emitPiece(piece: Piece, format: MessageFormat): string {
  if (typeof piece === 'string') return format === 'html' ? escapeHtml(piece) : piece;
  if ('variable' in piece) return `{{${piece.variable}}}`;
  if ('only' in piece) return piece.only === format ? emit(piece.body, format) : '';
  const body = emit(piece.body, format);
  if (format === 'text') return body;
  if ('href' in piece) return `<a href="{{${piece.href}}}">${body}</a>`;
  return `<${piece.tag}>${body}</${piece.tag}>`;
}
