/**
 * `workflow_run`: a workflow reporting on the run that triggered it. The alert names the
 * upstream run, its commit and branch, and links it.
 */
import type { EventKind, ViewPart } from './kind.js';
import { clean, record, text, webUrl } from './payload.js';
import { variable } from './pieces.js';
import { runSpec } from './run-message.js';

/** `{{workflow_run.*}}`: the run that triggered this one. */
export interface WorkflowRunView {
  name: string;
  conclusion: string;
  url: string;
  branch: string;
  event: string;
}

const part: ViewPart<'workflow_run', WorkflowRunView> = {
  key: 'workflow_run',
  shape: { name: '', conclusion: '', url: '', branch: '', event: '' },
  read(event, eventName) {
    if (eventName !== 'workflow_run') return undefined;
    const run = record(event, 'workflow_run');
    return {
      name: text(run, 'name'),
      conclusion: text(run, 'conclusion'),
      url: webUrl(text(run, 'html_url')),
      branch: text(run, 'head_branch'),
      event: text(run, 'event'),
    };
  },
};

export const workflowRun: EventKind<typeof part> = {
  name: 'workflow_run',
  matches: (eventName) => eventName === 'workflow_run',
  part,
  facts(event) {
    const run = record(event, 'workflow_run');
    return {
      sha: text(run, 'head_sha'),
      // GITHUB_REF is the default branch here, not the branch the upstream run built.
      branch: text(run, 'head_branch'),
      forkUrl: text(record(run, 'head_repository'), 'html_url'),
      laterTitle: text(record(run, 'head_commit'), 'message') || text(run, 'display_title'),
    };
  },
  message: (view) =>
    runSpec(view, {
      workflowName: view.workflow_run.name ? variable('workflow_run.name') : undefined,
      // The run worth opening is the upstream one that triggered this workflow.
      link: view.workflow_run.url ? { url: 'workflow_run.url', label: ['view run'] } : undefined,
    }),
  card: {
    workflow: (view) => clean(view.workflow_run.name),
    url: (view) => view.workflow_run.url,
  },
};
