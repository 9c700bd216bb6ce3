/**
 * `release`: announced when its workflow succeeded; when the workflow failed, was cancelled or
 * only started, the workflow is the news, since the release is not published (yet).
 */
import type { Outcome } from '../../inputs/status.js';
import type { EventKind, ViewPart, ViewWith } from './kind.js';
import { clean, record, text, webUrl } from './payload.js';
import { bold, link, quoted, variable } from './pieces.js';
import type { Piece, Spec } from './pieces.js';
import { failedStepPhrase, jobCountsPhrase, repository, runLink } from './run-message.js';

/** `{{release.*}}`. `name` falls back to the tag. */
export interface ReleaseView {
  tag: string;
  name: string;
  url: string;
  prerelease: boolean;
  author: string;
}

const part: ViewPart<'release', ReleaseView> = {
  key: 'release',
  shape: { tag: '', name: '', url: '', prerelease: false, author: '' },
  read(event, eventName) {
    if (eventName !== 'release') return undefined;
    const release = record(event, 'release');
    const tag = text(release, 'tag_name');
    return {
      tag,
      name: text(release, 'name').trim() || tag,
      // A deleted release's page is gone: nothing links it.
      url: text(event, 'action') === 'deleted' ? '' : webUrl(text(release, 'html_url')),
      prerelease: release['prerelease'] === true,
      author: text(record(release, 'author'), 'login'),
    };
  },
};

type View = ViewWith<typeof part>;

export const release: EventKind<typeof part> = {
  name: 'release',
  matches: (eventName) => eventName === 'release',
  part,
  message: releaseSpec,
  card: {
    // A release whose workflow only started is not released yet: it reads `… — CI started`.
    // The message's verb for the event's action (`v1.2.0 updated`), `released` when published.
    title: (view, repo) =>
      view.outcome === 'success' || view.outcome === 'none'
        ? `${repo} ${tagOf(view)} ${actionVerb(view) || (view.release.prerelease ? 'pre-released' : 'released')}`
        : '',
    subject: tagOf,
    // Each release is a different tag, not another attempt at the same thing: no "is fixed".
    verb: (view) => clean(view.status_text) || 'finished',
    url: (view) => view.release.url,
    description: (view) => clean(view.release.name),
  },
};

function tagOf(view: View): string {
  return clean(view.release.tag) || clean(view.release.name);
}

function releaseSpec(view: View): Spec {
  const { release } = view;
  const headline: Piece[] = [...repository(view), ': '];
  const verb = workflowVerb(view.outcome);
  // When the workflow is still the news, the trailing link is the run, so the tag itself links
  // the release.
  const tag = !release.tag
    ? []
    : verb && release.url
      ? [link('release.url', variable('release.tag'))]
      : [variable('release.tag')];
  if (verb) {
    // The release exists on GitHub, but its workflow (assets, publishing) did not finish:
    // the room must not read this as "published". "Fixed"/"still failing" wording does not
    // apply: each release is a different tag, not another attempt at the same thing.
    headline.push('release workflow ');
    if (view.github.workflow) headline.push(bold(variable('github.workflow')), ' ');
    headline.push(verb, ...failedStepPhrase(view), ...(tag.length > 0 ? [' for ', ...tag] : []));
  } else {
    headline.push(...announcement(view, release.prerelease, tag));
  }
  headline.push(...jobCountsPhrase(view));
  if (release.name && release.name !== release.tag) {
    headline.push(' — ', ...quoted(variable('release.name')));
  }
  if (release.author) headline.push(' by ', variable('release.author'));
  else if (view.actor) headline.push(' by ', variable('actor'));
  if (verb) return { headline, ...runLink(view) };
  return release.url
    ? { headline, link: { url: 'release.url', label: ['release notes'] } }
    : { headline };
}

/** What the release's workflow did, when that (not the release) is the news; '' otherwise. */
function workflowVerb(outcome: Outcome): string {
  if (outcome === 'failure') return 'failed';
  if (outcome === 'cancelled') return 'was cancelled';
  if (outcome === 'unknown') return 'outcome unknown';
  return outcome === 'started' ? 'started' : '';
}

/** The event's action says what happened to the release; `published` is the usual trigger. */
const ACTION_VERBS: Readonly<Record<string, string>> = {
  edited: 'updated',
  deleted: 'deleted',
  unpublished: 'unpublished',
  created: 'created',
};

/** What the event's action did to the release, as message and card say it; '' for others. */
function actionVerb(view: View): string {
  const action = text(view.github.event, 'action');
  return Object.hasOwn(ACTION_VERBS, action) ? (ACTION_VERBS[action] ?? '') : '';
}

function announcement(view: View, prerelease: boolean, tag: Piece[]): Piece[] {
  const verb = actionVerb(view);
  const named = tag.length > 0 ? [' ', ...tag] : [];
  if (verb) return ['release', ...named, ` ${verb}`];
  if (prerelease) return ['pre-release', ...named, ' published'];
  return tag.length > 0 ? [...tag, ' released'] : ['release published'];
}
