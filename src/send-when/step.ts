/**
 * The `send-when` step of a run: finds the previous run's status and whether this one changed
 * (for `buildView`), logs the decision, and says whether the notification is to be skipped.
 * previous-run.ts (and the GitHub client with it) loads only when the mode is not `always`, or
 * when `notify` lists `fixed` or `broken`.
 */
import type { TemplateView, ViewExtras } from '../context/view.js';
import { runClientOptions } from '../github/wait-share.js';
import type { SendWhen } from '../inputs/inputs.js';
import { needsPrevious } from '../inputs/notify.js';
import type { NotifyRule } from '../inputs/notify.js';

/** What the step reads of the inputs (main.ts passes them). */
export interface SendWhenSettings {
  sendWhen: SendWhen;
  /** The token the previous run is read with (`github-token`). */
  githubToken: string;
  /** One request's `timeout`, and the whole run's `max-wait` (ms). */
  timeoutMs: number;
  maxWaitMs: number;
  /** `notify`: its `fixed` and `broken` need the previous run too. */
  notify: NotifyRule;
}

/** Where the step says what it decided (a subset of @actions/core). */
export interface StepLog {
  info(message: string): void;
  warning(message: string): void;
}

/** The step's verdict: facts for the view, and the reason when the notification is skipped. */
export interface SendWhenVerdict {
  extras?: ViewExtras;
  reason?: string;
}

/**
 * Applies `send-when`. Never throws for the API: it warns and sends instead, since a lost alert
 * is worse than an extra one.
 */
export async function checkSendWhen(
  settings: SendWhenSettings,
  env: NodeJS.ProcessEnv,
  view: TemplateView,
  startMs: number,
  log: StepLog,
): Promise<SendWhenVerdict> {
  // `notify: fixed` / `broken` need the previous run too, whatever `send-when` says.
  const forNotify = settings.sendWhen === 'always';
  if (forNotify && !needsPrevious(settings.notify)) return {};
  // Loaded on demand: the GitHub client is costly to start and most runs never need it.
  const { decideSend, findPreviousRun } = await import('./previous-run.js');
  // A cancelled or skipped run is never sent whatever came before: decide without the API, so
  // an unreachable API cannot turn that skip into a "sent anyway".
  const early = decideSend(settings.sendWhen, view.status, undefined);
  if (!early.send) {
    const said = `send-when: ${settings.sendWhen}: ${early.reason}`;
    log.info(said);
    return { reason: said };
  }
  let previous: Awaited<ReturnType<typeof findPreviousRun>>;
  try {
    previous = await findPreviousRun({
      // Within max-wait, keeping a reserve for the posts: a slow GitHub must not cost the alert.
      ...runClientOptions(settings, env, startMs, log.info),
      repository: view.github.repository,
      runId: Number(view.github.run_id),
      branch: view.branch,
      event: view.github.event_name,
    });
  } catch (error) {
    // findPreviousRun's message already says what failed and what to do about it.
    log.warning(
      forNotify
        ? `${(error as Error).message} \`notify\` cannot tell fixed or broken without it: the notification is sent, alerting only on the outcomes listed.`
        : `${(error as Error).message} The notification is sent anyway (\`send-when: ${settings.sendWhen}\`): a lost alert is worse than an extra one.`,
    );
    return {};
  }
  const decision = decideSend(settings.sendWhen, view.status, previous);
  // Said either way: "why did (or didn't) the room hear about this run?" is the first question.
  const said = forNotify
    ? `notify: the previous run ${previous ? `(#${previous.runNumber}) ended in ${previous.status}` : 'with an outcome is unknown'}.`
    : `send-when: ${settings.sendWhen}: ${decision.reason}`;
  log.info(said);
  const extras: ViewExtras = { previousStatus: previous?.status ?? '', changed: decision.changed };
  return decision.send ? { extras } : { extras, reason: said };
}
