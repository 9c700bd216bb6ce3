const require_errors = require("./errors.js");
const require_index = require("./index.js");
/** The shortest wait before a retry. */
const MIN_WAIT_MS = 1e3;
/** GitHub's advice for a secondary rate limit that names no time. */
const SECONDARY_WAIT_MS = 6e4;
/** Time a retried request needs at the least, so a wait ending just before the deadline is not taken. */
const MIN_REQUEST_MS = 1e3;
/** Slack after a reset time, for clock differences. */
const RESET_MARGIN_MS = 1e3;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
/** When the primary limit's window refills, if this answer says it is used up; else undefined. */
function exhaustedUntil(headers, nowMs) {
	const { token } = require_index.readRateInfo(headers, nowMs);
	if (token.remaining === void 0 || token.remaining > 0 || token.resetMs === void 0) return;
	if (token.resetMs < nowMs - 6e4 || token.resetMs > nowMs + 864e5) return void 0;
	return Math.max(token.resetMs + RESET_MARGIN_MS, nowMs + MIN_WAIT_MS);
}
/** When GitHub says to try again after a rate-limit answer, and why; undefined if it does not. */
function rateLimitedUntil(status, headers, nowMs) {
	const retryAt = require_index.parseRetryAfter(headers["retry-after"], nowMs);
	if (retryAt !== void 0 && retryAt <= nowMs + 864e5) return {
		atMs: Math.max(retryAt, nowMs + MIN_WAIT_MS),
		why: `GitHub answered ${status} with retry-after: ${headers["retry-after"].slice(0, 40)}`
	};
	const reset = exhaustedUntil(headers, nowMs);
	if (reset !== void 0) return {
		atMs: reset,
		why: `the token's API rate limit is used up until ${iso(reset - RESET_MARGIN_MS)}`
	};
	if (status === 429) return {
		atMs: nowMs + SECONDARY_WAIT_MS,
		why: "GitHub answered 429 (secondary rate limit)"
	};
}
/**
* The decision after try number `tries` answered `status` with `headers`, at `nowMs`, when
* GitHub may be used until `deadlineMs`.
*/
function pace(status, headers, tries, nowMs, deadlineMs) {
	if (status < 300) return { action: "done" };
	const limited = status === 403 || status === 429 ? rateLimitedUntil(status, headers, nowMs) : void 0;
	if (!limited && !(status === 502 || status === 503 || status === 504 || status === 500)) return { action: "fail" };
	const wait = limited ?? {
		atMs: nowMs + 1e3 * tries,
		why: `GitHub answered ${status}`
	};
	const fits = wait.atMs + MIN_REQUEST_MS <= deadlineMs;
	if (tries < (limited ? 3 : 2) && fits) return {
		action: "retry",
		...wait
	};
	if (!limited) return { action: "fail" };
	return {
		action: "give-up",
		why: fits ? `${wait.why}, and 3 tries were made` : `${wait.why}: waiting until ${iso(wait.atMs)} would not leave time before the posts (\`max-wait\`)`
	};
}
// src/github/request.ts
/** Performs `exchange` and reads its body with `read`; rejects only with a `GitHubError`. */
async function exchange(ex, read) {
	const deadline = require_index.startDeadline(ex.timeoutMs, () => new require_errors.GitHubError("timeout", ex.label, `${ex.peer} did not answer ${ex.within}.`));
	const work = (async () => {
		const response = await require_index.request(ex.url, {
			method: "GET",
			headers: ex.headers,
			dispatcher: ex.route.dispatcher,
			headersTimeout: ex.timeoutMs,
			bodyTimeout: ex.timeoutMs,
			signal: deadline.signal
		});
		const headers = require_index.flattenHeaders(response.headers);
		response.body.on("error", () => {});
		try {
			return {
				status: response.statusCode,
				headers,
				value: await read(response.body, response.statusCode, headers)
			};
		} finally {
			response.body.destroy();
		}
	})();
	work.catch(() => {});
	try {
		return await Promise.race([work, deadline.expired]);
	} catch (error) {
		if (deadline.signal.aborted) throw deadline.signal.reason;
		if (error instanceof require_errors.GitHubError) throw error;
		throw new require_errors.GitHubError("network", ex.label, `could not reach ${ex.peer} (${cause(error)}${ex.route.proxy ? `, through the proxy ${ex.route.proxy}` : ""}). Check GITHUB_API_URL and the runner's network and proxy settings.`, { cause: error });
	} finally {
		deadline.clear();
	}
}
/** The most telling part of a transport error: its code and message, safe for a log. */
function cause(error) {
	const e = error;
	const code = typeof e?.cause?.code === "string" ? e.cause.code : typeof e?.code === "string" ? e.code : "";
	const message = typeof e?.message === "string" ? e.message : String(error);
	return require_errors.serverText(code && !message.includes(code) ? `${code}: ${message}` : message);
}
/**
* The body as text, at most `cap` bytes: a larger answer is refused (and the rest never read),
* so an endless or huge answer costs neither memory nor time. A body that breaks off rejects as
* its stream did.
*/
async function readCapped(body, cap, label) {
	const read = await require_index.readBounded(body, cap);
	if (read.cut !== void 0) throw read.cut;
	if (read.over) throw new require_errors.GitHubError("body", label, `the answer to ${label} is larger than ${Math.round(cap / 1024)} KiB, more than the GitHub API sends; it was not read.`);
	return read.text;
}
// src/github/ranges.ts
/**
* Byte ranges for log downloads: a job log can be hundreds of megabytes, and only its end is
* wanted. Cloud storage (where GitHub redirects a log download) says `Accept-Ranges: bytes`
* and gives the size in `Content-Length`; then the end alone is asked for with
* `Range: bytes=<start>-` — the form every range-serving host accepts (suffix ranges,
* `bytes=-N`, are not: Azure Blob Storage refuses them). Pure: headers in, offsets out.
*/
/**
* Where to start reading a log of the answer's size to get its last `tailBytes`, or
* `undefined` when the whole body should be read: no window asked, not a plain 200, no
* `Accept-Ranges: bytes`, no usable `Content-Length`, or a log no longer than the window.
*/
function tailStart(status, headers, tailBytes) {
	if (tailBytes === void 0 || tailBytes <= 0 || status !== 200) return void 0;
	if (!/(?:^|,)\s*bytes\s*(?:,|$)/i.test(headers["accept-ranges"] ?? "")) return void 0;
	const raw = (headers["content-length"] ?? "").trim();
	if (!/^\d{1,15}$/.test(raw)) return void 0;
	const size = Number(raw);
	return size > tailBytes ? size - tailBytes : void 0;
}
/**
* The offset a ranged answer's body starts at: the first byte of `Content-Range: bytes S-E/L`
* for a 206, else 0 (a host that ignored the range sent the whole log). A 206 whose
* `Content-Range` cannot be read counts as mid-log (1): its first line is not trusted.
*/
function rangeStart(status, headers) {
	if (status !== 206) return 0;
	const match = /^\s*bytes\s+(\d{1,15})-\d{1,15}\/(?:\d{1,15}|\*)\s*$/i.exec(headers["content-range"] ?? "");
	return match ? Number(match[1]) : 1;
}
// src/github/client.ts
const realClock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};
/** JSON answers larger than this are refused: a page of 100 jobs with their steps is < 1 MiB. */
const MAX_JSON_BYTES = 8388608;
/** Listings stop after this many pages of 100 (GitHub caps a matrix at 256 jobs). */
const MAX_PAGES = 10;
const USER_AGENT = "hipchat-notify (GitHub Action)";
/** A GitHub REST client for one run. `close()` it when done. */
var GitHubClient = class {
	apiUrl;
	options;
	clock;
	routes;
	/** No request before this (a used-up rate-limit window). */
	holdUntilMs = 0;
	constructor(options) {
		this.options = options;
		this.apiUrl = options.apiUrl.replace(/\/+$/, "");
		this.clock = options.clock ?? realClock;
		this.routes = new require_index.Routes({
			timeoutMs: options.timeoutMs,
			env: options.env,
			dispatcher: options.dispatcher,
			lookup: options.lookup
		});
	}
	/** `GET {apiUrl}{path}?{query}` as parsed JSON. Rejects with a `GitHubError`. */
	async getJson(path, query = {}) {
		const url = this.url(path, query);
		const label = `GET ${new URL(url).pathname}`;
		return (await this.paced(url, label, true, (body, status, headers) => readJson(body, status, headers, label))).value;
	}
	/**
	* Every item of a paginated listing (`per_page=100`), page after page until a short page or
	* `total_count`, at most `MAX_PAGES` pages. `key` names the array in each page.
	*/
	async listAll(path, key, query = {}) {
		const items = [];
		let total = 0;
		for (let page = 1; page <= MAX_PAGES; page++) {
			const data = await this.getJson(path, {
				...query,
				per_page: 100,
				page
			});
			const batch = Array.isArray(data[key]) ? data[key] : [];
			total = typeof data.total_count === "number" ? data.total_count : items.length + batch.length;
			items.push(...batch);
			if (batch.length < 100 || items.length >= total) return {
				items,
				total,
				complete: true
			};
		}
		return {
			items,
			total,
			complete: items.length >= total
		};
	}
	/**
	* Streams `GET {apiUrl}{path}`'s body to `sink`, following one redirect to another host
	* without the Authorization header. With `tailBytes`, a log longer than that on a host that
	* serves byte ranges (`Accept-Ranges: bytes`, as cloud storage does) is read from
	* `tailBytes` before its end only. Resolves with the offset the bytes given start at: 0 for
	* the whole log, more when they begin mid-log (and so mid-line).
	*/
	async download(path, sink, tailBytes) {
		const url = this.url(path, {});
		const label = `GET ${new URL(url).pathname}`;
		const stream = async (body, status, from) => {
			if (status >= 300) return from;
			sink.begin(from);
			for await (const chunk of body) sink.chunk(chunk);
			return from;
		};
		const first = await this.paced(url, label, true, async (body, status, headers) => {
			if (status >= 300 && status < 400) return headers.location ?? "";
			if (status >= 400) return readJson(body, status, headers, label).catch(() => void 0);
			return stream(body, status, 0);
		}, { redirects: true });
		if (first.status < 300) return { from: 0 };
		const target = redirectTarget(url, typeof first.value === "string" ? first.value : "", label);
		const logLabel = `${label} (redirected to ${target.host})`;
		const sized = await this.paced(target, logLabel, false, async (body, status, headers) => {
			const start = tailStart(status, headers, tailBytes);
			return start === void 0 ? stream(body, status, 0).then(() => 0) : start;
		});
		if (sized.value === 0) return { from: 0 };
		return { from: (await this.paced(target, logLabel, false, (body, status, headers) => stream(body, status, rangeStart(status, headers)), { headers: { range: `bytes=${sized.value}-` } })).value };
	}
	/** Ends every connection. */
	close() {
		return this.routes.close();
	}
	url(path, query) {
		const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
		return `${this.apiUrl}${path}${search ? `?${search}` : ""}`;
	}
	/**
	* One request with the pacing of pacing.ts: waits for a held window, retries what GitHub
	* asks to retry, and turns an error status into a `GitHubError`.
	*/
	async paced(url, label, auth, read, { redirects = false, headers = {} } = {}) {
		for (let tries = 1;; tries++) {
			await this.waitUntil(this.holdUntilMs, label, "the token's API rate limit is used up");
			const answer = await this.once(new URL(url), label, auth, read, headers);
			const now = this.clock.now();
			this.holdUntilMs = Math.max(this.holdUntilMs, exhaustedUntil(answer.headers, now) ?? 0);
			const decision = pace(answer.status, answer.headers, tries, now, this.options.deadlineMs);
			if (decision.action === "done") return answer;
			if (redirects && answer.status >= 300 && answer.status < 400) return answer;
			if (decision.action === "retry") {
				this.options.info?.(`GitHub API: ${decision.why}; retrying ${label} at ${new Date(decision.atMs).toISOString()}.`);
				await this.clock.sleep(Math.max(0, decision.atMs - now));
				continue;
			}
			const githubMessage = messageOf(answer.value);
			if (decision.action === "give-up") throw new require_errors.GitHubError("rate-limit", label, `gave up on ${label}: ${decision.why}.`, {
				status: answer.status,
				githubMessage
			});
			throw new require_errors.GitHubError("http", label, `GitHub answered ${answer.status} to ${label}${githubMessage ? `: ${githubMessage}` : ""}.`, {
				status: answer.status,
				githubMessage
			});
		}
	}
	/** Sleeps until `atMs` when that leaves time for a request before the deadline; else gives up. */
	async waitUntil(atMs, label, why) {
		const now = this.clock.now();
		if (atMs <= now) return;
		if (atMs + 1e3 > this.options.deadlineMs) throw new require_errors.GitHubError("rate-limit", label, `gave up on ${label}: ${why} until ${new Date(atMs).toISOString()}, after the time \`max-wait\` leaves for GitHub.`);
		this.options.info?.(`GitHub API: ${why}; waiting until ${new Date(atMs).toISOString()}.`);
		await this.clock.sleep(atMs - now);
	}
	/** One bounded request: `min(timeout, time left until the deadline)`. */
	async once(url, label, auth, read, extra) {
		const left = this.options.deadlineMs - this.clock.now();
		const peer = auth ? `the GitHub API at ${this.apiUrl}` : `the log host ${url.host}`;
		if (left < 100) throw new require_errors.GitHubError("budget", label, `no time was left for ${label}: \`max-wait\` keeps the rest for the posts.`);
		const byBudget = left < this.options.timeoutMs;
		const timeoutMs = Math.max(1, Math.floor(byBudget ? left : this.options.timeoutMs));
		const within = byBudget ? `within the ${(timeoutMs / 1e3).toFixed(1)} s that \`max-wait\` leaves for GitHub (the rest is kept for the posts)` : `within ${timeoutMs / 1e3} s`;
		let route;
		try {
			route = await this.routes.route(url);
		} catch (error) {
			throw new require_errors.GitHubError("network", label, require_errors.serverText(error.message, 300), { cause: error });
		}
		const headers = {
			accept: "application/vnd.github+json",
			"user-agent": USER_AGENT,
			"x-github-api-version": "2022-11-28",
			...extra
		};
		if (auth) headers.authorization = `token ${this.options.token}`;
		return exchange({
			url,
			route,
			headers,
			timeoutMs,
			within,
			label,
			peer
		}, read);
	}
};
/** A JSON body (any status), capped; a success that is not JSON is an error. */
async function readJson(body, status, headers, label) {
	const text = await readCapped(body, MAX_JSON_BYTES, label);
	const json = /\bjson\b/i.test(headers["content-type"] ?? "");
	try {
		if (json || status < 300) return JSON.parse(text);
	} catch {}
	if (status >= 300) return void 0;
	throw new require_errors.GitHubError("body", label, `the answer to ${label} is not JSON (${require_errors.serverText(headers["content-type"] ?? "no content type", 60)}): is GITHUB_API_URL the GitHub API, or did a proxy answer?`);
}
/** GitHub's `{"message": …}` of an error answer, made safe for a log. */
function messageOf(value) {
	const message = value?.message;
	return typeof message === "string" && message.trim() ? require_errors.serverText(message) : void 0;
}
/** Where a redirect points; only http(s), and never from https down to http. */
function redirectTarget(from, location, label) {
	let target;
	try {
		target = new URL(location, from);
	} catch {
		throw new require_errors.GitHubError("body", label, `${label} redirected to something that is not a URL.`);
	}
	const downgrade = from.startsWith("https:") && target.protocol !== "https:";
	if (!location || target.protocol !== "https:" && target.protocol !== "http:" || downgrade) throw new require_errors.GitHubError("body", label, `${label} redirected to ${location ? `a ${require_errors.serverText(target.protocol, 10)} URL` : "nowhere"}${downgrade ? " (from https: refused)" : ""}; the log was not read.`);
	return target;
}
exports.GitHubClient = GitHubClient;
exports.MAX_JSON_BYTES = MAX_JSON_BYTES;
