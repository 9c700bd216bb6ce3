/**
 * The action's story: inputs → context → message → deliveries → report.
 * One catch at the end turns any error into the step's single failure message.
 */
import * as core from '@actions/core';
import { maskSecrets, parseInputs } from './inputs.js';
import type { Inputs } from './inputs.js';
import { buildView } from './context.js';
import type { ViewExtras } from './context.js';
import { readEvent } from './event-file.js';
import { buildMessage } from './message.js';
import type { BuiltMessage } from './message.js';
import { loadYamlParser } from './yaml-inputs.js';
import { HipChatClient } from './hipchat/client.js';
import { cloudRetiredHint, isHipChatCloud } from './hipchat/cloud.js';
import { deliver } from './delivery/index.js';
import { systemClock } from './delivery/clock.js';
import type { AddonCredentials, Poster, RoomResult } from './delivery/types.js';
import { isLoopback } from './hipchat/hosts.js';
import { failureMessage, publish, redact, redactResults, sentCount } from './report.js';
import type { ReportSink } from './report.js';
import { checkSendWhen } from './send-when-step.js';

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

    const { body, skipped } = await composeMessage(inputs, env, startMs);
    const report = { message: body.message, color: body.color, format: body.message_format };
    if (skipped) {
      await publish(sink, { ...report, results: [], dryRun: inputs.dryRun, skipped });
      return;
    }

    // A dry run without auth-test makes no request: no client, no dispatcher, no proxy module.
    if (!inputs.dryRun || inputs.authTest) {
      client = new HipChatClient({ server: inputs.server, timeoutMs: inputs.timeoutMs });
    }
    const delivered = await deliverAll(
      client ?? offline(inputs.server),
      inputs,
      body,
      startMs,
      mask,
    );
    const results = redactResults(delivered, secrets);
    await publish(sink, { ...report, results, dryRun: inputs.dryRun });
    conclude(inputs, results);
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error), secrets));
  } finally {
    await client?.close();
  }
}

/**
 * The context and the message: the view of this run (with what `send-when` learnt of the
 * previous one), the notification body, and the reason when `send-when` skips it.
 */
async function composeMessage(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  startMs: number,
): Promise<{ body: BuiltMessage['body']; skipped?: string }> {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const own: ViewExtras = { vars: inputs.vars };
  const facts = buildView(env, event, inputs.status, own);
  const skip = await checkSendWhen(inputs, env, facts, startMs, {
    info: core.info,
    warning: core.warning,
  });
  // The preview builds its view the same way, so both word "is fixed" alike.
  const view = skip.extras
    ? buildView(env, event, inputs.status, { ...own, ...skip.extras })
    : facts;
  const { body, warnings } = buildMessage(inputs, view);
  for (const warning of warnings) core.warning(warning);
  return { body, skipped: skip.reason };
}

/** Delivers to every room, minting the add-on token first when credentials are given. */
async function deliverAll(
  poster: Poster,
  inputs: Inputs,
  body: BuiltMessage['body'],
  startMs: number,
  mask: (secret: string) => void,
): Promise<RoomResult[]> {
  // Add-on credentials: delivery mints the token (masked at once), retried like a post; when
  // it cannot, every room fails with the reason, under `fail-on-error` like any failure.
  const token: string | AddonCredentials =
    inputs.auth.kind === 'token'
      ? inputs.auth.token
      : { id: inputs.auth.id, secret: inputs.auth.secret, mask };
  const rooms = inputs.rooms.length;
  core.info(
    `${inputs.dryRun ? 'Dry run: checking' : 'Posting to'} ${rooms} room${rooms === 1 ? '' : 's'} on ${inputs.server}.`,
  );
  const { authTest, dryRun, maxWaitMs } = inputs;
  return deliver(
    poster,
    { token, rooms: inputs.rooms, body, authTest, dryRun, maxWaitMs, startMs },
    systemClock,
    // Not `core` itself: a namespace passed as a value keeps all of @actions/core in the
    // bundle, OIDC client and undici's fetch included (CONTRIBUTING.md: Keeping start-up fast).
    { info: core.info, warning: core.warning, debug: core.debug },
  );
}

/** The step's verdict: failed (or warned, with `fail-on-error: false`), or how many got it. */
function conclude(inputs: Inputs, results: RoomResult[]): void {
  const failure = failureMessage(results);
  if (failure && inputs.failOnError) core.setFailed(failure);
  else if (failure) core.warning(`${failure}\n(\`fail-on-error\` is false: the step stays green.)`);
  else if (!inputs.dryRun) core.info(`Sent to ${sentCount(results)} of ${results.length}.`);
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
