/**
 * The action's story: inputs → context → message → deliveries → report.
 * One catch at the end turns any error into the step's single failure message.
 */
import * as core from '@actions/core';
import { maskSecrets, parseInputs } from './inputs.js';
import type { Inputs } from './inputs.js';
import { buildView, readEvent } from './context.js';
import type { TemplateView, ViewExtras } from './context.js';
import { buildMessage } from './message.js';
import { loadYamlParser } from './yaml-inputs.js';
import { HipChatClient } from './hipchat/client.js';
import { cloudRetiredHint, isHipChatCloud } from './hipchat/errors.js';
import { deliver, systemClock } from './delivery.js';
import type { Poster } from './delivery.js';
import { isLoopback } from './hipchat/hosts.js';
import { githubDeadline } from './github/budget.js';
import { apiUrlOf } from './github/endpoint.js';
import { failureMessage, publish, redact, redactResults, sentCount } from './report.js';
import type { ReportSink } from './report.js';

/**
 * Outputs through @actions/core; the step summary only where the runner provides one. A summary
 * that cannot be written is a warning: by then the notification has been delivered (or not),
 * the outputs say so, and a delivered alert must not turn the step red.
 */
function sinkFor(env: NodeJS.ProcessEnv): ReportSink {
  return {
    setOutput: (name, value) => core.setOutput(name, value),
    appendSummary: env.GITHUB_STEP_SUMMARY
      ? async (markdown) => {
          try {
            await core.summary.addRaw(markdown, true).write();
          } catch (error) {
            core.warning(
              `Could not write the step summary (${error instanceof Error ? error.message : String(error)}); the outputs and this log still tell what was sent.`,
            );
          }
        }
      : undefined,
  };
}

/** Runs the action once. Never throws: failures end as `core.setFailed` with advice. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const startMs = Date.now();
  const sink = sinkFor(env);
  let client: HipChatClient | undefined;
  // Every secret of the run, so reports can drop them even where a server's answer echoes one
  // (outputs and the step summary are not masked by the runner).
  const secrets: string[] = [];
  const mask = (secret: string): void => {
    secrets.push(secret);
    core.setSecret(secret);
  };
  try {
    const read = (name: string): string => core.getInput(name);
    maskSecrets(read, mask);
    const parseYaml = await loadYamlParser(read);
    const inputs = parseInputs(read, env.GITHUB_WORKSPACE || process.cwd(), parseYaml);
    warnAboutTransport(inputs);

    const event = readEvent(env.GITHUB_EVENT_PATH);
    const own: ViewExtras = { vars: inputs.vars };
    const facts = buildView(env, event, inputs.status, own);
    const skip = await checkSendWhen(inputs, env, facts, startMs);
    // The preview builds its view the same way, so both word "is fixed" alike.
    const view = skip.extras
      ? buildView(env, event, inputs.status, { ...own, ...skip.extras })
      : facts;

    const { body, warnings } = buildMessage(inputs, view);
    for (const warning of warnings) core.warning(warning);
    if (skip.reason) {
      await publish(sink, {
        message: body.message,
        color: body.color,
        format: body.message_format,
        results: [],
        dryRun: inputs.dryRun,
        skipped: skip.reason,
      });
      return;
    }

    // A dry run without auth-test makes no request: no client, no dispatcher, no proxy module.
    const needsNetwork = !inputs.dryRun || inputs.authTest;
    if (needsNetwork) {
      client = new HipChatClient({ server: inputs.server, timeoutMs: inputs.timeoutMs });
    }
    // Add-on credentials: delivery mints the token (masked at once), retried like a post; when
    // it cannot, every room fails with the reason, under `fail-on-error` like any failure.
    const token =
      inputs.auth.kind === 'token'
        ? inputs.auth.token
        : { id: inputs.auth.id, secret: inputs.auth.secret, mask };

    core.info(
      `${inputs.dryRun ? 'Dry run: checking' : 'Posting to'} ${inputs.rooms.length} room${inputs.rooms.length === 1 ? '' : 's'} on ${inputs.server}.`,
    );
    const delivered = await deliver(
      client ?? offline(inputs.server),
      {
        token,
        rooms: inputs.rooms,
        body,
        authTest: inputs.authTest,
        dryRun: inputs.dryRun,
        maxWaitMs: inputs.maxWaitMs,
        startMs,
      },
      systemClock,
      // Not `core` itself: a namespace passed as a value keeps all of @actions/core in the
      // bundle, OIDC client and undici's fetch included (CONTRIBUTING.md: Keeping start-up fast).
      { info: core.info, warning: core.warning, debug: core.debug },
    );
    const results = redactResults(delivered, secrets);

    await publish(sink, {
      message: body.message,
      color: body.color,
      format: body.message_format,
      results,
      dryRun: inputs.dryRun,
    });
    const failure = failureMessage(results);
    if (failure && inputs.failOnError) core.setFailed(failure);
    else if (failure)
      core.warning(`${failure}\n(\`fail-on-error\` is false: the step stays green.)`);
    else if (!inputs.dryRun) core.info(`Sent to ${sentCount(results)} of ${results.length}.`);
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error), secrets));
  } finally {
    await client?.close();
  }
}

function warnAboutTransport(inputs: Inputs): void {
  if (inputs.dryRun && !inputs.authTest && isHipChatCloud(inputs.server)) {
    // Nothing is sent, so no failure would reveal it: a green dry run must not hide this.
    core.warning(
      `Dry run without \`auth-test\`: nothing was sent, but a real run would fail.${cloudRetiredHint(inputs.server)}`,
    );
  }
  const loopback = isLoopback(new URL(inputs.server).hostname);
  if (inputs.server.startsWith('http://') && !loopback && !inputs.dryRun) {
    core.warning(
      `\`server\` is ${inputs.server}: the token will cross the network unencrypted. Use https:// unless the server is on this machine or a trusted link.`,
    );
  }
}

/** Stands in for the client in a dry run without auth-test, where delivery makes no request. */
function offline(server: string): Poster {
  return {
    server,
    notify: () => Promise.reject(new Error('A dry run without auth-test makes no request.')),
    addonToken: () => Promise.reject(new Error('A dry run without auth-test makes no request.')),
  };
}

/**
 * Applies `send-when`: finds the previous run's status and whether this one changed (for
 * `buildView`), logs the decision, and returns the reason when the notification is to be
 * skipped. Never throws for the API: it warns and sends instead.
 */
async function checkSendWhen(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  view: TemplateView,
  startMs: number,
): Promise<{ extras?: ViewExtras; reason?: string }> {
  if (inputs.sendWhen === 'always') return {};
  // Loaded on demand: the GitHub client is costly to start and most runs never need it.
  const { decideSend, findPreviousRun } = await import('./send-when.js');
  // A cancelled or skipped run is never sent whatever came before: decide without the API, so
  // an unreachable API cannot turn that skip into a "sent anyway".
  const early = decideSend(inputs.sendWhen, view.status, undefined);
  if (!early.send) {
    const said = `send-when: ${inputs.sendWhen}: ${early.reason}`;
    core.info(said);
    return { reason: said };
  }
  let previous: Awaited<ReturnType<typeof findPreviousRun>>;
  try {
    previous = await findPreviousRun({
      token: inputs.githubToken,
      apiUrl: apiUrlOf(env),
      repository: view.github.repository,
      runId: Number(view.github.run_id),
      branch: view.branch,
      event: view.github.event_name,
      timeoutMs: inputs.timeoutMs,
      // Within max-wait, keeping a reserve for the posts: a slow GitHub must not cost the alert.
      deadlineMs: githubDeadline(startMs, inputs.maxWaitMs, inputs.timeoutMs),
      info: core.info,
    });
  } catch (error) {
    // findPreviousRun's message already says what failed and what to do about it.
    core.warning(
      `${(error as Error).message} The notification is sent anyway (\`send-when: ${inputs.sendWhen}\`): a lost alert is worse than an extra one.`,
    );
    return {};
  }
  const decision = decideSend(inputs.sendWhen, view.status, previous);
  // Said either way: "why did (or didn't) the room hear about this run?" is the first question.
  const said = `send-when: ${inputs.sendWhen}: ${decision.reason}`;
  core.info(said);
  const extras: ViewExtras = { previousStatus: previous?.status ?? '', changed: decision.changed };
  return decision.send ? { extras } : { extras, reason: said };
}
