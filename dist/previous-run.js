const require_index = require("./index.js");
// src/send-when/previous-run.ts
/**
* Whether to send, given this run's status and the previous run's outcome.
*
* - `always`: send.
* - A start note (`started`, `in_progress`) is never a change: `changed` and
*   `failure-or-changed` skip it (it is not a result), and the log says to use `always` for it.
* - An unknown outcome (`unknown`: the jobs could not be seen) is never a change either.
* - A run with no outcome (`cancelled`, `skipped`, `action_required`, `stale`) is never sent by
*   `changed` / `failure-or-changed`: it says nothing about the branch's health (usually a newer
*   push superseded it), and `findPreviousRun` skips such runs too, so the next real result is
*   compared with the last real one. Whoever wants to hear about cancellations uses `always`.
* - A status we cannot compare (empty, or a word the vocabulary does not know): send.
* - Previous outcome unknown (first run on the branch, lookup failed): send. A lost alert is
*   worse than an extra one.
* - `changed`: send when the outcome family differs from the previous one (`timed_out` after a
*   `failure` is no change).
* - `failure-or-changed`: send every failure, and the first success after a failure.
*
* @param previous What `findPreviousRun` returned, or just a status; `undefined` = unknown.
*/
function decideSend(mode, status, previous) {
	const word = require_index.normalizeStatus(status);
	const current = require_index.outcomeOf(word);
	const previousStatus = typeof previous === "string" ? previous : previous?.status;
	const before = require_index.outcomeOf(previousStatus);
	const known = require_index.isComparable(before);
	const changed = require_index.outcomeChanged(previousStatus, word);
	const where = typeof previous === "object" ? `run #${previous.runNumber}` : "the previous run";
	const sent = (reason) => ({
		send: true,
		changed,
		reason: `sent: ${reason}`
	});
	const skipped = (reason) => ({
		send: false,
		changed,
		reason: `skipped: ${reason}`
	});
	if (mode !== "changed" && mode !== "failure-or-changed") return sent("send-when is always");
	if (current === "started") return skipped(`a start note (${word}) is never a change (send-when: ${mode}); send start notes with send-when: always`);
	if (current === "unknown") return skipped(`an unknown outcome is never a change (send-when: ${mode}); give \`needs\` or grant \`actions: read\` so the outcome can be established`);
	if (!require_index.isComparable(current) && require_index.isKnownStatus(word)) return skipped(`a ${word} run says nothing about the branch's health (send-when: ${mode})`);
	if (!require_index.isComparable(current)) return sent(`status "${word || "(empty)"}" cannot be compared with earlier runs`);
	if (!known) return sent("no earlier result to compare with (first run on this branch, or it could not be read)");
	if (mode === "changed") return changed ? sent(`status changed from ${before} in ${where} to ${current}`) : skipped(`status ${current} is unchanged since ${where}`);
	if (current === "failure") return changed ? sent(`failure after a success in ${where}`) : sent(`still failing (also in ${where}); failure-or-changed reports every failure`);
	return changed ? sent(`first success after the failure in ${where}`) : skipped(`status success is unchanged since ${where}`);
}
/**
* The most recent completed run of this run's workflow, on its branch, that came before it and
* had a real outcome (`success` or `failure`); `undefined` when there is none.
*
* Exactly two requests: `GET /repos/{owner}/{repo}/actions/runs/{run_id}` (workflow id, branch,
* run number, head repository) and `GET …/actions/workflows/{workflow_id}/runs?branch=…&
* status=completed`. Among the listed runs (newest first) it ignores this run, runs numbered
* after it (a newer push that finished first is not "previous"), runs from another head
* repository (a fork's `main` is not ours), and `cancelled` / `skipped` / `stale` /
* `action_required` runs: they have no outcome, and comparing with them would report a change
* that is not one (failure → cancelled → failure is still failing).
*
* The GitHub client (github/client.ts) is loaded here, on demand.
*
* @throws Error whose message says what to do (e.g. grant `permissions: actions: read`); the
*   caller should warn and send anyway.
*/
async function findPreviousRun(opts) {
	const [owner, repo, ...rest] = opts.repository.split("/");
	if (!owner || !repo || rest.length > 0) throw new Error(`send-when: repository "${opts.repository}" is not of the form owner/name.`);
	if (!Number.isSafeInteger(opts.runId) || opts.runId <= 0) throw new Error(`send-when: run id "${opts.runId}" is not a positive integer (GITHUB_RUN_ID).`);
	const timeoutMs = opts.timeoutMs ?? 1e4;
	const [{ GitHubClient }, { GitHubError, advice }] = await Promise.all([Promise.resolve().then(() => require("./client.js")), Promise.resolve().then(() => require("./errors.js"))]);
	const client = new GitHubClient({
		apiUrl: opts.apiUrl,
		token: opts.token,
		timeoutMs,
		deadlineMs: opts.deadlineMs ?? Date.now() + 2 * timeoutMs,
		info: opts.info
	});
	const base = `/repos/${owner}/${repo}/actions`;
	try {
		const current = await client.getJson(`${base}/runs/${opts.runId}`);
		const branch = current.head_branch || opts.branch;
		if (!branch) return void 0;
		const data = await client.getJson(`${base}/workflows/${current.workflow_id}/runs`, {
			branch,
			status: "completed",
			...opts.event ? { event: opts.event } : {},
			exclude_pull_requests: "true",
			per_page: 30
		});
		return previousOf(current, Array.isArray(data.workflow_runs) ? data.workflow_runs : []);
	} catch (error) {
		if (!(error instanceof GitHubError)) throw error;
		const context = {
			apiUrl: client.apiUrl,
			repository: opts.repository,
			subject: `run ${opts.runId}`
		};
		throw new Error(`send-when: could not read the previous run (${error.request}): ${advice(error, context)}`, { cause: error });
	} finally {
		await client.close();
	}
}
/** The newest earlier run of `runs` (newest first) with a real outcome; see findPreviousRun. */
function previousOf(current, runs) {
	const headRepo = current.head_repository?.full_name;
	for (const run of runs) {
		if (run.id === current.id || run.run_number >= current.run_number) continue;
		const theirs = run.head_repository?.full_name;
		if (headRepo && theirs && theirs !== headRepo) continue;
		const status = require_index.outcomeOf(run.conclusion);
		if (require_index.isComparable(status)) return {
			status,
			runNumber: run.run_number,
			url: run.html_url
		};
	}
}
exports.decideSend = decideSend;
exports.findPreviousRun = findPreviousRun;
