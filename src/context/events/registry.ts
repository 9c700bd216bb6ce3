/**
 * The event kinds, in the order they are tried: the first that matches a run describes it, and
 * `fallback` matches every run. Adding an event: one module beside this one, its fixture in
 * __tests__/fixtures/events/ and its test, and one line in `EVENT_KINDS`.
 */
import { deployment } from './deployment.js';
import { fallback } from './fallback.js';
import type { CardRow, CardWords, EventKind, GithubView, Json, RunFacts, RunView } from './kind.js';
import { pullRequest } from './pull-request.js';
import { push } from './push.js';
import { release } from './release.js';
import { schedule } from './schedule.js';
import { workflowDispatch } from './workflow-dispatch.js';
import { workflowRun } from './workflow-run.js';

const EVENT_KINDS = [
  push,
  pullRequest,
  release,
  workflowRun,
  schedule,
  workflowDispatch,
  deployment,
  fallback,
] as const;

type Part = NonNullable<(typeof EVENT_KINDS)[number]['part']>;

/** The kinds' parts of the view, each optional: a run has at most the parts its payload has. */
export type EventParts = { [P in Part as P['key']]?: P['shape'] };

/** Any kind, with the view as its functions see it. */
type AnyKind = EventKind;

const KINDS: readonly AnyKind[] = EVENT_KINDS;

/** Whether the view has the kind's part (kinds without a part need none). */
function hasPart(kind: AnyKind, view: RunView): boolean {
  return !kind.part || (view as unknown as Record<string, unknown>)[kind.part.key] !== undefined;
}

/** The kind that describes this run: its event matches, and the run has the kind's part. */
export function kindOf(view: RunView): AnyKind {
  const name = view.github.event_name;
  return KINDS.find((kind) => kind.matches(name) && hasPart(kind, view))!;
}

/** The facts the payload knows better than the GITHUB_* variables, by the event's kind. */
export function runFacts(event: Json, github: GithubView): RunFacts {
  const kind = KINDS.find((k) => k.facts && k.matches(github.event_name));
  return kind?.facts?.(event, github) ?? {};
}

/** Every part this payload has, keyed as the view names them. */
export function viewParts(event: Json, eventName: string): EventParts {
  const parts: Record<string, object> = {};
  for (const kind of KINDS) {
    const value = kind.part?.read(event, eventName);
    if (kind.part && value !== undefined) parts[kind.part.key] = value;
  }
  return parts as EventParts;
}

/** Every part's definition, for a view that lacks it: what template variables there are. */
export function partShapes(): Required<EventParts> {
  const shapes: Record<string, object> = {};
  for (const kind of KINDS) if (kind.part) shapes[kind.part.key] = kind.part.shape;
  return shapes as Required<EventParts>;
}

/**
 * The card's word `key` for this view: the first a kind with a part here has to say, '' when
 * none has.
 */
export function cardWord(
  view: RunView,
  key: Exclude<keyof CardWords<unknown>, 'title' | 'attributes'>,
): string {
  for (const kind of KINDS) {
    if (!kind.part || !hasPart(kind, view)) continue;
    const word = kind.card?.[key]?.(view as never);
    if (word) return word;
  }
  return '';
}

/** A card title of a kind's own for this view, '' when none has one. */
export function cardTitle(view: RunView, repo: string): string {
  for (const kind of KINDS) {
    if (!kind.part || !hasPart(kind, view)) continue;
    const title = kind.card?.title?.(view as never, repo);
    if (title) return title;
  }
  return '';
}

/** The card attributes of the kind with a part here that has some; none when no kind has. */
export function cardAttributes(view: RunView): CardRow[] {
  for (const kind of KINDS) {
    if (!kind.part || !hasPart(kind, view)) continue;
    const rows = kind.card?.attributes?.(view as never);
    if (rows && rows.length > 0) return rows;
  }
  return [];
}
