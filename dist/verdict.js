const require_index = require("./index.js");
// src/whole-run/verdict.ts
/**
* The outcome `summary: run` reports, from the two sources GitHub offers: `needs` (GitHub's own
* result of every needed job, no permission required) and the jobs listing (names, steps,
* links; `actions: read`). Pure.
*
* - `needs` given: its result is the outcome. Where the listing disagrees (a failure `needs`
*   reports that the listing does not show, say), `needs` wins and the message says the
*   listing was incomplete.
* - No `needs`: the listing decides, but only when it was read whole. A failure seen is a
*   failure even in part of the jobs; otherwise a listing that could not be read, or was cut
*   off, gives `unknown`, never success — with one warning naming what was missing and both
*   fixes. Never "all N jobs succeeded" unless all N were read.
*/
/** Both ways to let the action see the whole run, as the message and the warning say them. */
const FIXES = "give the step `needs: ${{ toJSON(needs) }}` (no permission needed), or grant the job `permissions: actions: read`";
/** `1,002 jobs`. */
function jobCount(n) {
	return `${n.toLocaleString("en-US")} job${n === 1 ? "" : "s"}`;
}
/** `1,000 of 1,002 jobs read`. */
function readPhrase(read, missing) {
	return `${read.toLocaleString("en-US")} of ${jobCount(read + missing)} read`;
}
/** The outcome for `needs` (absent when not given) and what the listing gave. */
function runVerdict(needs, read) {
	if (needs) return fromNeeds(require_index.needsStatus(needs), read);
	if ("error" in read) return unknown(`the run's jobs could not be read (${read.error}) and \`needs\` was not given`, `${read.detail} \`needs\` was not given.`);
	const t = require_index.tally(read.jobs.map((job) => job.conclusion));
	if (read.missing > 0) {
		const part = `${readPhrase(read.jobs.length, read.missing)}: ${read.stop ?? "the listing stopped"}`;
		if (t.failed > 0) return {
			status: "failure",
			note: `${part}.`,
			info: `summary: run: ${part}; one failed.`
		};
		return unknown(`only ${part}, none of them failed`);
	}
	const status = require_index.computeStatus(t);
	if (status) return {
		status,
		note: "",
		info: `summary: run: ${jobCount(t.total)}; ${status}.`
	};
	if (t.running + t.other > 0) return unknown(`${jobCount(t.running + t.other)} of the run had not finished or ended otherwise`);
	return {
		note: "",
		info: "summary: run: no other jobs in the run; the status input stands."
	};
}
/** `unknown`, the message's note and the one warning, both naming the fixes. */
function unknown(why, detail = why) {
	return {
		status: "unknown",
		note: `Outcome unknown: ${why}. To fix it, ${FIXES}.`,
		warning: `summary: run: the outcome is unknown: ${detail.replace(/\.$/, "")}. To fix it, ${FIXES}.`,
		info: `summary: run: outcome unknown: ${why}.`
	};
}
/** `needs` decides; the listing, when read, adds details, and disagrees only by missing jobs. */
function fromNeeds(status, read) {
	const said = `the outcome is GitHub's \`needs\` result (${status})`;
	if ("error" in read) return {
		status,
		note: "",
		notice: `summary: run: ${said}; the jobs could not be read, so their names, failed steps and links are left out: ${read.detail}`,
		info: `summary: run: ${said}.`
	};
	const t = require_index.tally(read.jobs.map((job) => job.conclusion));
	const seen = t.failed > 0 ? "failure" : read.missing > 0 ? void 0 : require_index.computeStatus(t);
	const disagrees = seen !== void 0 && seen !== status || status === "failure" && !seen;
	const part = readPhrase(read.jobs.length, read.missing);
	if (disagrees) {
		const note = `The jobs listing was incomplete (${part}${seen ? `, which says ${seen}` : ""}): ${said}.`;
		return {
			status,
			note,
			info: `summary: run: ${note}`
		};
	}
	const note = read.missing > 0 ? `${part}: ${read.stop ?? "the listing stopped"}.` : "";
	return {
		status,
		note,
		info: `summary: run: ${said}${note ? `; ${note}` : "."}`
	};
}
exports.runVerdict = runVerdict;
