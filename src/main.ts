/**
 * The action's story: inputs → context → message → deliveries → report.
 * One catch at the end turns any error into the step's single failure message.
 */
import { InputError, maskSecrets, parseInputs } from './inputs/inputs.js';
import type { Inputs } from './inputs/inputs.js';
import { withoutUnevaluatedExpressions } from './inputs/expressions.js';
import { buildView, withAnswers } from './context/view.js';
import { normalizeStatus, outcomeOf } from './inputs/status.js';
import { readEvent } from './context/event-file.js';
import { buildMessage } from './message/compose.js';
import type { BuiltMessage } from './message/compose.js';
import { loadYamlParser } from './inputs/yaml-loader.js';
import { testCounts } from './test-results/summary.js';
import type { TestsView } from './test-results/summary.js';
import { HipChatClient } from './hipchat/client.js';
import { deliver } from './delivery/index.js';
import { Session } from './delivery/session.js';
import { systemClock } from './delivery/clock.js';
import type { AddonCredentials, DeliveryResult, RoomResult } from './delivery/types.js';
import { People, peopleScopes } from './people/index.js';
import { personValue } from './message/template.js';
import { isLoopback } from './http/hosts.js';
import {
  failureMessage,
  publish,
  publishNotSent,
  roomResults,
  sentCount,
} from './report/report.js';
import type { ReportInput, ReportSink } from './report/report.js';
import { checkSendWhen } from './send-when/step.js';
import { runnerIo } from './report/runner-io.js';
import type { RunnerIo } from './report/runner-io.js';
import { Secrets, redactDeep } from './text/secrets.js';
import { readWholeRun } from './whole-run/gate.js';
import { githubDeadline } from './github/wait-share.js';
import type { CommitList } from './commits/view.js';

/**
 * Outputs and the step summary. A summary that cannot be written is a warning: by then the
 * notification has been delivered (or not), the outputs say so, and a delivered alert must not
 * turn the step red.
 */
function sinkFor(io: RunnerIo): ReportSink {
  const append = io.appendSummary;
  return {
    setOutput: (name, value) => io.setOutput(name, value),
    appendSummary: append
      ? async (markdown) => {
          try {
            await append(markdown);
          } catch (error) {
            io.warning(
              `Could not write the step summary (${error instanceof Error ? error.message : String(error)}); the outputs and this log still tell what was sent.`,
            );
          }
        }
      : undefined,
  };
}

/** An input as the runner passes it (`INPUT_<NAME>`), trimmed as @actions/core's getInput does. */
function inputReader(env: NodeJS.ProcessEnv): (name: string) => string {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * Runs the action once. Never throws: failures end as one `setFailed` with advice. `env` holds
 * the inputs and the runner's variables; `io` (default: the runner's, through @actions/core)
 * is where every text goes, redacted of the run's `secrets` first (outputs and the step
 * summary are not masked by the runner).
 */
export async function run(
  env: NodeJS.ProcessEnv = process.env,
  secrets: Secrets = new Secrets(),
  runner: RunnerIo = runnerIo(env, secrets),
): Promise<void> {
  const startMs = Date.now();
  // Every warning of the run, for the step summary as well as the log.
  const warnings: string[] = [];
  const io: RunnerIo = { ...runner, warning: (m) => (warnings.push(m), runner.warning(m)) };
  const sink = sinkFor(io);
  let client: HipChatClient | undefined;
  let reported = false;
  try {
    // Outside the runner (@github/local-action), a default may arrive as its `${{ … }}` text.
    const read = withoutUnevaluatedExpressions(inputReader(env), io.info);
    maskSecrets(read, io.setSecret);
    const parseYaml = await loadYamlParser(read);
    const inputs = parseInputs(read, env.GITHUB_WORKSPACE || process.cwd(), parseYaml);
    warnAboutTransport(inputs, io);

    // A dry run without auth-test makes no request: no client, no dispatcher, no proxy module.
    const network = !inputs.dryRun || inputs.authTest;
    const connect = (): HipChatClient => {
      const { server, timeoutMs } = inputs;
      return (client ??= new HipChatClient({ server, timeoutMs, env, secrets }));
    };
    // The run's one HipChat session: its token (minted at most once) and its pacing.
    const session = new Session<HipChatClient>({
      server: inputs.server,
      connect: network ? connect : undefined,
      auth: authOf(inputs, io.setSecret),
      startMs,
      maxWaitMs: inputs.maxWaitMs,
      clock: systemClock,
      log: io,
    });
    const people = new People(inputs, session, io);

    const composed = await composeMessage(inputs, env, startMs, io, people, secrets);
    // Event text may hold a secret (a commit message quoting a token): the room never sees it.
    const body = redactDeep(composed.body, secrets);
    const { message, color, message_format: format } = body;
    const report = { message, color, format, warnings, status: composed.status };
    reported = true;
    if (composed.skipped) {
      await publish(sink, {
        ...report,
        results: [],
        dryRun: inputs.dryRun,
        skipped: composed.skipped,
      });
      return;
    }

    const rooms = await deliverAll(session, inputs, body, io);
    // After the rooms, so that no private message (or its failure) holds a room back.
    const personal = redactDeep(composed.personal ?? body.message, secrets);
    const privately = await people.message(personal);
    const results: DeliveryResult[] = privately ? [...rooms, privately] : rooms;
    if (await published(sink, { ...report, results, dryRun: inputs.dryRun }, io)) {
      conclude(inputs, results, io);
    }
  } catch (error) {
    io.setFailed(error instanceof Error ? error.message : String(error));
    // Stopped before sending (invalid inputs, say): the summary still says what to fix.
    if (!reported) await publishNotSent(sink, problemsOf(error));
  } finally {
    await client?.close();
  }
}

/** What stopped the run before anything was attempted: one item per problem to fix. */
function problemsOf(error: unknown): string[] {
  if (error instanceof InputError) return error.problems;
  return [error instanceof Error ? error.message : String(error)];
}

/**
 * Publishes the report; when the outputs cannot be written (GITHUB_OUTPUT unwritable), fails
 * the step saying what was delivered, so nobody re-runs a delivered alert. False then.
 */
async function published(sink: ReportSink, report: ReportInput, io: RunnerIo): Promise<boolean> {
  try {
    await publish(sink, report);
    return true;
  } catch (error) {
    const roomsOnly = roomResults(report.results);
    const rooms = roomsOnly.length;
    const delivered = roomsOnly.filter((r) => r.ok && !r.dry_run).map((r) => `'${r.room}'`);
    const what = report.dryRun
      ? `The dry run checked ${rooms} room${rooms === 1 ? '' : 's'}`
      : `The notification was delivered to ${delivered.length} of ${rooms} room${rooms === 1 ? '' : 's'}${delivered.length ? ` (${delivered.join(', ')})` : ''}`;
    io.setFailed(
      `${what}, but the step's outputs could not be written (${error instanceof Error ? error.message : String(error)}). Do not re-run only to deliver it again.`,
    );
    return false;
  }
}

/** What composeMessage gives: the body, the status reported, and why `send-when` skips it. */
interface Composed {
  body: BuiltMessage['body'];
  status: string;
  skipped?: string;
  /** The private message's text, when the person behind a failure gets one. */
  personal?: string;
}

/**
 * The context and the message. The facts first: the event, the reports, and what `summary`
 * learns of the run's jobs (with `summary: run`, the status they add up to). Then the view,
 * once: the send-when and people steps read it, and their answers (the previous run, who is
 * named) complete it. Then the message, once; and the private message, when one is due.
 */
async function composeMessage(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  startMs: number,
  io: RunnerIo,
  people: People,
  secrets: Secrets,
): Promise<Composed> {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  // The workspace search shares GitHub's part of `max-wait`: the posts keep their reserve.
  const deadlineMs = githubDeadline(startMs, inputs.maxWaitMs, inputs.timeoutMs);
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const tests = await readTests(inputs.testResults, workspace, deadlineMs, secrets, io);
  const reported = outcomeOf(normalizeStatus(inputs.status));
  const whole = await readWholeRun(inputs, env, event, reported, startMs, secrets, io);
  const commits =
    inputs.commits > 0 ? await listCommits(inputs, env, event, startMs, io) : undefined;
  const status = whole.status ?? inputs.status;
  // `{{duration}}`: counted from the start the jobs listing gave, when it was read.
  const started = whole.facts?.startedAtMs;
  const durationSeconds =
    started === undefined ? undefined : Math.max(0, (Date.now() - started) / 1000);
  const facts = buildView(env, event, status, {
    vars: inputs.vars,
    tests,
    run: whole.facts,
    commits,
    durationSeconds,
  });
  const skip = await checkSendWhen(inputs, env, facts, startMs, io);
  // Nobody is looked up for a notification that is not sent.
  const run = { eventName: facts.github.event_name, event, outcome: facts.outcome };
  const plan = skip.reason ? undefined : await people.plan(run);
  // The preview completes its view the same way, so both word "is fixed" alike.
  const view = withAnswers(facts, { ...skip.extras, mention: plan?.person });
  const { body, warnings } = buildMessage(inputs, view, secrets);
  for (const warning of warnings) io.warning(warning);
  const composed = { body, status: view.status };
  if (skip.reason) return { ...composed, skipped: skip.reason };
  if (plan?.messageTo === '' || plan?.person === undefined) return composed;
  // The private message names the person without a mention: it reaches them anyway.
  const personal = { ...view, mention: personValue(plan.person.name) };
  return { ...composed, personal: buildMessage(inputs, personal, secrets).body.message };
}

/** `commits`: the gate loads only when asked for, so a plain delivery never compiles it. */
async function listCommits(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  event: Record<string, unknown>,
  startMs: number,
  io: RunnerIo,
): Promise<CommitList | undefined> {
  const { readCommits } = await import('./commits/gate.js');
  return readCommits(inputs, env, event, startMs, io);
}

/**
 * Reads the `test-results` reports, loading the glob and the XML parser only then. Every
 * problem is a warning: reports are the workspace's, and a broken one must not cost the alert.
 */
async function readTests(
  patterns: readonly string[],
  workspace: string,
  deadlineMs: number,
  secrets: Secrets,
  io: RunnerIo,
): Promise<TestsView | undefined> {
  if (patterns.length === 0) return undefined;
  try {
    const { readTestResults } = await import('./test-results/read-reports.js');
    const { view, warnings } = await readTestResults(
      patterns,
      workspace,
      undefined,
      deadlineMs,
      secrets,
    );
    for (const warning of warnings) io.warning(warning);
    io.info(
      `test-results: ${view.reports} report${view.reports === 1 ? '' : 's'} read: ${testCounts(view)}.`,
    );
    return view;
  } catch (error) {
    io.warning(
      `\`test-results\`: the reports could not be read (${error instanceof Error ? error.message : String(error)}); the notification goes out without them.`,
    );
    return undefined;
  }
}

/**
 * The run's token as the session takes it: the given one, or add-on credentials with every
 * scope the run needs (the session mints with them, masked at once, at most once).
 */
function authOf(inputs: Inputs, mask: (secret: string) => void): string | AddonCredentials {
  const { auth } = inputs;
  if (auth.kind === 'token') return auth.token;
  // `lookup-id` reads the rooms' history with the same token.
  const history = inputs.lookupId ? ['view_messages'] : [];
  const scopes = ['send_notification', ...peopleScopes(inputs), ...history];
  return { id: auth.id, secret: auth.secret, mask, scopes };
}

/**
 * Delivers to every room through the run's session (the token is minted there if need be);
 * with `lookup-id`, then reads each room's notification id back.
 */
async function deliverAll(
  session: Session<HipChatClient>,
  inputs: Inputs,
  body: BuiltMessage['body'],
  io: RunnerIo,
): Promise<RoomResult[]> {
  const rooms = inputs.rooms.length;
  io.info(
    `${inputs.dryRun ? 'Dry run: checking' : 'Posting to'} ${rooms} room${rooms === 1 ? '' : 's'} on ${inputs.server}.`,
  );
  const { authTest, dryRun } = inputs;
  const results = await deliver(session, { rooms: inputs.rooms, body, authTest, dryRun }, io);
  if (inputs.lookupId) await lookUpIds(inputs, session, body, results, io);
  return results;
}

/**
 * `lookup-id` (its code loads only then): each delivered room's notification id, read back from
 * the room's history with the session's token and pacing; in a dry run with `auth-test`, only
 * whether the token may read it. Never fails the step.
 */
async function lookUpIds(
  inputs: Inputs,
  session: Session<HipChatClient>,
  body: BuiltMessage['body'],
  rooms: RoomResult[],
  io: RunnerIo,
): Promise<void> {
  // No client: a dry run without auth-test, which makes no request.
  const client = session.client();
  if (client === undefined) return;
  const token = await session.token();
  // No token: minting failed, and every room failed with the reason.
  if (typeof token !== 'string') return;
  const { lookUpIds: lookUp, authTestHistory } = await import('./follow-up/lookup.js');
  const { limiter, budget, clock } = session;
  const ctx = { client, token, limiter, budget, clock, log: io, startMs: session.window.startMs };
  if (!inputs.dryRun) {
    const ours = { message: body.message, from: body.from ?? '', cardId: body.card?.id };
    await lookUp(ctx, rooms, ours);
  } else if (inputs.authTest) {
    await authTestHistory(ctx, inputs.rooms);
  }
}

/** The step's verdict: failed (or warned, with `fail-on-error: false`), or how many got it. */
function conclude(inputs: Inputs, results: DeliveryResult[], io: RunnerIo): void {
  const failure = failureMessage(results);
  if (failure && inputs.failOnError) io.setFailed(failure);
  else if (failure) io.warning(`${failure}\n(\`fail-on-error\` is false: the step stays green.)`);
  else if (!inputs.dryRun) {
    io.info(`Sent to ${sentCount(results)} of ${roomResults(results).length}.`);
  }
}

function warnAboutTransport(inputs: Inputs, io: RunnerIo): void {
  const loopback = isLoopback(new URL(inputs.server).hostname);
  if (inputs.server.startsWith('http://') && !loopback && !inputs.dryRun) {
    io.warning(
      `\`server\` is ${inputs.server}: the token will cross the network unencrypted. Use https:// unless the server is on this machine or a trusted link.`,
    );
  }
}
