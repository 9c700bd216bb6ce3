/**
 * `pull_request`, `pull_request_target` and the review events: the alert names the PR, and the
 * commit, branch and title are the PR head's (not the merge commit's).
 */
import type { EventKind, ViewPart } from './kind.js';
import { clean, firstLine, record, text, webUrl } from './payload.js';
import { branch, runSpec } from './run-message.js';
import { variable } from './pieces.js';
import type { Piece } from './pieces.js';
import type { SubjectView } from './subject.js';

/** `{{pull_request.*}}`. */
export interface PullRequestView {
  number: number;
  title: string;
  url: string;
  author: string;
  base: string;
  head: string;
}

/** Read whenever the payload carries a pull request, whatever the event. */
const part: ViewPart<'pull_request', PullRequestView> = {
  key: 'pull_request',
  shape: { number: 0, title: '', url: '', author: '', base: '', head: '' },
  read(event) {
    const pr = record(event, 'pull_request');
    if (Object.keys(pr).length === 0) return undefined;
    const number = pr['number'];
    return {
      number: typeof number === 'number' ? number : Number(text(event, 'number')) || 0,
      title: firstLine(text(pr, 'title')),
      url: webUrl(text(pr, 'html_url')),
      author: text(record(pr, 'user'), 'login'),
      base: text(record(pr, 'base'), 'ref'),
      head: text(record(pr, 'head'), 'ref'),
    };
  },
};

export const pullRequest: EventKind<typeof part> = {
  name: 'pull_request',
  matches: (eventName) => eventName.startsWith('pull_request'),
  part,
  facts(event, github) {
    const pr = record(event, 'pull_request');
    const head = record(pr, 'head');
    return {
      sha: text(head, 'sha'),
      // On a PR, ref_name is `12/merge`: the head branch is what people recognise.
      branch: text(head, 'ref') || github.head_ref,
      forkUrl: text(record(head, 'repo'), 'html_url'),
      title: text(pr, 'title'),
    };
  },
  message(view) {
    const pr = view.pull_request;
    if (pr.number <= 0) return runSpec(view);
    const label: Piece[] = ['PR #', { variable: 'pull_request.number' }];
    const where = pr.url ? [' on ', { href: 'pull_request.url', body: label }] : [' on ', ...label];
    // A review's state is what happened; the headline names the PR, so the branch goes beside
    // the sha.
    const review = (view as { subject?: SubjectView }).subject;
    const parens: Piece[][] =
      review?.what === 'review' && review.state ? [['review ', variable('subject.state')]] : [];
    if (view.branch) parens.push([branch(view)]);
    return runSpec(view, { where, parens });
  },
  card: {
    subject: (view) => `#${view.pull_request.number}`,
    laterDescription: (view) => clean(view.pull_request.title),
  },
};
