const require_index = require("./index.js");
// src/send-when.ts
/**
* Whether to send, given this run's status and the previous run's outcome.
*
* - `always`: send.
* - A start note (`started`, `in_progress`) is never a change: `changed` and
*   `failure-or-changed` skip it (it is not a result), and the log says to use `always` for it.
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
* @throws Error whose message says what to do (e.g. grant `permissions: actions: read`); the
*   caller should warn and send anyway.
*/
async function findPreviousRun(opts) {
	const [owner, repo, ...rest] = opts.repository.split("/");
	if (!owner || !repo || rest.length > 0) throw new Error(`send-when: repository "${opts.repository}" is not of the form owner/name.`);
	if (!Number.isSafeInteger(opts.runId) || opts.runId <= 0) throw new Error(`send-when: run id "${opts.runId}" is not a positive integer (GITHUB_RUN_ID).`);
	const timeoutMs = opts.timeoutMs ?? 1e4;
	const signal = AbortSignal.timeout(timeoutMs);
	const { getOctokit } = await Promise.resolve().then(() => require("./github.js"));
	const octokit = getOctokit(opts.token, { baseUrl: opts.apiUrl.replace(/\/+$/, "") });
	let step = `GET /repos/${owner}/${repo}/actions/runs/${opts.runId}`;
	try {
		const { data: current } = await octokit.rest.actions.getWorkflowRun({
			owner,
			repo,
			run_id: opts.runId,
			request: { signal }
		});
		const branch = current.head_branch || opts.branch;
		if (!branch) return void 0;
		step = `GET /repos/${owner}/${repo}/actions/workflows/${current.workflow_id}/runs`;
		const { data } = await octokit.rest.actions.listWorkflowRuns({
			owner,
			repo,
			workflow_id: current.workflow_id,
			branch,
			status: "completed",
			...opts.event ? { event: opts.event } : {},
			exclude_pull_requests: true,
			per_page: 30,
			request: { signal }
		});
		const headRepo = current.head_repository?.full_name;
		for (const run of data.workflow_runs) {
			if (run.id === current.id || run.run_number >= current.run_number) continue;
			if (headRepo && run.head_repository?.full_name && run.head_repository.full_name !== headRepo) continue;
			const status = require_index.outcomeOf(run.conclusion);
			if (require_index.isComparable(status)) return {
				status,
				runNumber: run.run_number,
				url: run.html_url
			};
		}
		return;
	} catch (error) {
		throw explain(error, step, opts, signal.aborted ? timeoutMs : void 0);
	}
}
/** An octokit failure turned into a message that says what to do. The token never appears. */
function explain(error, step, opts, timedOutAfterMs) {
	const prefix = `send-when: could not read the previous run (${step})`;
	const { status, response } = error ?? {};
	let advice;
	if (timedOutAfterMs !== void 0) advice = `the GitHub API at ${opts.apiUrl} did not answer within ${timedOutAfterMs / 1e3} s.`;
	else if (!response || status === void 0) {
		const cause = error instanceof Error ? error.message : String(error);
		advice = `could not reach the GitHub API at ${opts.apiUrl} (${cause}). Check GITHUB_API_URL and the runner's network and proxy settings.`;
	} else {
		const data = response.data;
		const answer = `GitHub answered ${status}${typeof data?.message === "string" ? `: ${data.message}` : ""}.`;
		if (status === 401) advice = `${answer} The token was rejected: check the \`github-token\` input (default \`\${{ github.token }}\`).`;
		else if (status === 403 && response.headers?.["x-ratelimit-remaining"] === "0") advice = `${answer} The token's API rate limit is used up; it resets at ${response.headers["x-ratelimit-reset"] ?? "a later time"} (Unix seconds).`;
		else if (status === 403) advice = `${answer} The token may not read workflow runs: grant \`permissions: actions: read\` to the job (or pass a \`github-token\` that has it).`;
		else if (status === 404) advice = `${answer} Check that the repository ${opts.repository} and run ${opts.runId} exist; on a private repository GitHub also answers 404 when the token lacks \`actions: read\`, so grant \`permissions: actions: read\` to the job.`;
		else advice = `${answer} GitHub may be having trouble; try again later.`;
	}
	return new Error(`${prefix}: ${advice}`, { cause: error });
}
exports.decideSend = decideSend;
exports.findPreviousRun = findPreviousRun;
