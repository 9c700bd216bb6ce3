const require_errors = require("./errors.js");
const require_index = require("./index.js");
const TIMESTAMP = /^\uFEFF?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]/g;
const INVISIBLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\u2028\u2029]/gu;
/**
* One log line as a reader wants it: no timestamp, no escape sequences, no control or format
* characters (a fork's log must not reorder what the room reads).
*/
function cleanLogLine(line) {
	return line.replace(TIMESTAMP, "").replace(ANSI, "").replace(INVISIBLE, "").trimEnd();
}
/**
* Collects the tail of a failed step from log chunks (see the module comment). Lines are
* redacted and fitted only when the tail is asked for: a log of a million lines costs the
* redaction of the few kept, not of every line.
*/
var LogTail = class {
	max;
	ring = [];
	start = 0;
	partial = "";
	/** The partial line passed `MAX_LINE_CHARS`: drop until its end. */
	overlong = false;
	atError;
	/** Whether a step began before the kept error: then nothing earlier could belong to it. */
	stepBeforeError = false;
	stepSeen = false;
	/** Fed from mid-log: the line being read is a fragment, until its end. */
	fragment;
	secrets;
	/**
	* @param secrets each kept line is redacted of them before it is cut to `MAX_LINE_CHARS`
	*   (text/fit.ts), so no cut leaves a fragment.
	* @param midLog the pieces start somewhere inside the log, not at a line's start.
	*/
	constructor(maxLines, secrets = require_index.NO_SECRETS, midLog = false) {
		this.max = Math.max(0, Math.floor(maxLines));
		this.secrets = secrets;
		this.fragment = midLog;
	}
	/**
	* Whether `lines()` is what the whole log would give, for a tail fed from mid-log: an error
	* was seen, and before it either a step's start or as many lines as are kept. (A log fed from
	* its start is always exact.) Call after `lines()`.
	*/
	exact() {
		return this.atError !== void 0 && (this.stepBeforeError || this.atError.length >= this.max);
	}
	/** Feeds the next piece of the log (any size; lines may span pieces). */
	push(chunk) {
		let from = 0;
		for (let nl = chunk.indexOf("\n", from); nl >= 0; nl = chunk.indexOf("\n", from)) {
			this.take(chunk.slice(from, nl));
			if (this.fragment) this.fragment = false;
			else this.line(this.partial, this.overlong);
			this.partial = "";
			this.overlong = false;
			from = nl + 1;
		}
		this.take(chunk.slice(from));
	}
	/** The tail: the lines up to the last error of the failing step, else the log's last lines. */
	lines() {
		if (this.partial && !this.fragment) {
			this.line(this.partial, this.overlong);
			this.partial = "";
		}
		return (this.atError ?? this.current()).map((line) => require_index.fit(line.text, 300, this.secrets, require_index.ellipsis, line.cut));
	}
	/** Adds to the line being read, up to the length kept (with room for the timestamp). */
	take(piece) {
		if (this.overlong || !piece) return;
		const room = 340 - this.partial.length;
		if (piece.length > room) {
			this.partial += piece.slice(0, room);
			this.overlong = true;
		} else this.partial += piece;
	}
	line(raw, overlong) {
		if (this.max === 0) return;
		const line = cleanLogLine(raw.replace(/\r$/, ""));
		if (line.startsWith("##[group]Run ")) {
			this.ring = [];
			this.start = 0;
			this.stepSeen = true;
		}
		if (line.startsWith("##[endgroup]") || line === "") return;
		const shown = line.startsWith("##[group]") ? line.slice(9) : line.replace(/^##\[error\]/, "Error: ");
		this.add({
			text: shown,
			cut: overlong
		});
		if (line.startsWith("##[error]")) {
			this.atError = this.current();
			this.stepBeforeError = this.stepSeen;
		}
	}
	add(line) {
		if (this.ring.length < this.max) {
			this.ring.push(line);
			return;
		}
		this.ring[this.start] = line;
		this.start = (this.start + 1) % this.max;
	}
	current() {
		return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
	}
};
// src/whole-run/collect.ts
/** Logs read at most: those of the first failed jobs listed. */
const MAX_LOGS = 20;
/**
* Facts for the view; rejects with a `GitHubError` when the jobs cannot be listed at all (a
* listing cut short says so in `missing` and `stop`).
*/
async function collect(opts) {
	const base = `/repos/${opts.repository}/actions/runs/${opts.runId}`;
	if (opts.scope === "job") {
		const { items } = await opts.client.listAll(`${base}/attempts/${opts.attempt}/jobs`, "jobs");
		const own = require_index.findOwnJob(items, opts.runnerName);
		const startedAtMs = require_index.startOf(items, opts.runnerName);
		const started = startedAtMs === void 0 ? {} : { startedAtMs };
		if (!own) {
			opts.info(`summary: job: no job in progress on runner '${opts.runnerName}' among the ${items.length} jobs of attempt ${opts.attempt}; the failed step is not named.`);
			return {
				scope: "job",
				jobs: [],
				...started
			};
		}
		return {
			scope: "job",
			own: require_index.jobFacts(own),
			jobs: [],
			...started
		};
	}
	const listing = await listLatest(opts.client, `${base}/jobs`);
	const jobs = require_index.reportedJobs(listing.items, opts.runnerName);
	if (opts.logLines > 0) await readLogs(opts, jobs);
	const missing = Math.max(0, listing.total - listing.items.length);
	const startedAtMs = require_index.startOf(listing.items, opts.runnerName);
	return {
		scope: "run",
		jobs,
		missing,
		...listing.stop ? { stop: listing.stop } : {},
		...startedAtMs === void 0 ? {} : { startedAtMs }
	};
}
/** Pages a listing is read up to: 1,000 jobs (GitHub caps a matrix at 256 legs). */
const MAX_JOB_PAGES = 10;
/**
* The run's jobs, latest attempt of each, 100 a page up to `MAX_JOB_PAGES`. A page after the
* first that fails ends the listing there, saying so: what was read still counts (a failure
* seen in it is a failure), and the rest is known to be missing. The first page's failure
* rejects (a `GitHubError`): nothing was read.
*/
async function listLatest(client, path) {
	const items = [];
	let total = 0;
	for (let page = 1; page <= 10; page++) {
		let data;
		try {
			data = await client.getJson(path, {
				filter: "latest",
				per_page: 100,
				page
			});
		} catch (error) {
			if (page === 1) throw error;
			const why = require_errors.serverText(error.message, 160);
			return {
				items,
				total: Math.max(total, items.length + 1),
				stop: `page ${page} could not be read (${why})`
			};
		}
		const batch = Array.isArray(data.jobs) ? data.jobs : [];
		const said = typeof data.total_count === "number" ? data.total_count : 0;
		items.push(...batch);
		total = Math.max(said, items.length);
		if (batch.length < 100 || items.length >= total) return {
			items,
			total
		};
	}
	const cap = 1e3.toLocaleString("en-US");
	return items.length < total ? {
		items,
		total,
		stop: `the listing is read up to ${cap} jobs`
	} : {
		items,
		total
	};
}
/** Logs read at the same time: a few, so that ten logs do not take ten round trips in a row. */
const PARALLEL_LOGS = 3;
/**
* How much of a long log's end is read first, where the log host serves byte ranges: far more
* than `log-lines` lines, and then the whole log only when its failing step's tail reaches
* further back.
*/
const TAIL_WINDOW_BYTES = 1048576;
/** Adds the tail of each failed, completed job's log, the first `MAX_LOGS` of them. */
async function readLogs(opts, jobs) {
	const failed = jobs.filter((j) => j.completed && (j.conclusion === "failure" || j.conclusion === "timed_out") && j.id > 0);
	if (failed.length > 20) opts.info(`log-lines: reading the logs of the first 20 of ${failed.length} failed jobs.`);
	const queue = failed.slice(0, 20);
	const worker = async () => {
		for (let job = queue.shift(); job; job = queue.shift()) try {
			job.log = await tailOf(opts, job.id);
		} catch (error) {
			opts.info(`log-lines: the log of '${require_index.oneLine(require_errors.serverText(job.name, 100))}' could not be read (${error.message}); it is left out.`);
		}
	};
	await Promise.all(Array.from({ length: PARALLEL_LOGS }, worker));
}
/**
* The tail of one job's log, streamed and decoded piece by piece into a `LogTail`: first only
* the log's end where the host allows, then — when that end does not hold the failing step's
* tail — the whole log.
*/
async function tailOf(opts, jobId) {
	const path = `/repos/${opts.repository}/actions/jobs/${jobId}/logs`;
	const sink = new TailSink(opts.logLines, opts.secrets);
	const { from } = await opts.client.download(path, sink, TAIL_WINDOW_BYTES);
	const end = sink.finish();
	if (from === 0 || end.exact) return end.lines;
	await opts.client.download(path, sink);
	return sink.finish().lines;
}
/** Decodes each body a download gives into a fresh `LogTail`, started where `begin` says. */
var TailSink = class {
	maxLines;
	secrets;
	tail;
	decoder = new TextDecoder("utf-8");
	constructor(maxLines, secrets) {
		this.maxLines = maxLines;
		this.secrets = secrets;
		this.tail = new LogTail(maxLines, secrets);
	}
	begin(from) {
		this.tail = new LogTail(this.maxLines, this.secrets, from > 0);
		this.decoder = new TextDecoder("utf-8");
	}
	chunk(bytes) {
		this.tail.push(this.decoder.decode(bytes, { stream: true }));
	}
	/** The last body's tail, and whether it is the one the whole log gives. */
	finish() {
		this.tail.push(this.decoder.decode());
		return {
			lines: this.tail.lines(),
			exact: this.tail.exact()
		};
	}
};
exports.MAX_JOB_PAGES = MAX_JOB_PAGES;
exports.MAX_LOGS = MAX_LOGS;
exports.TAIL_WINDOW_BYTES = TAIL_WINDOW_BYTES;
exports.collect = collect;
