const require_index = require("./index.js");
// src/follow-up/match.ts
/**
* Finding our own notification in a room's history (`GET …/history/latest`): the answer is
* outside text, so it is read defensively — bounded before it gets here, parsed without trust,
* every id checked — and the match never guesses. Ours is the one item that is a
* `notification`, carries our `from` label, was posted while this step ran (on the server's
* clock, read from the answer's `Date` header, so the runner's clock does not matter), and
* holds the same message, or the card whose random id this run chose. None, or more than one
* (identical notifications of another step in the same moment), is no id and a reason.
*/
/** Slack on each side of the window, for the server's own clocks (proxy vs application). */
const MARGIN_MS = 1e3;
/** Without a `Date` header, the runner's clock stands in, with this much slack for drift. */
const LOCAL_MARGIN_MS = 12e4;
/** Finds `ours` in a 2xx history answer; never throws. */
function findOurs(answer, ours, step) {
	const items = readItems(answer);
	if ("reason" in items) return items;
	const window = serverWindow(answer.headers, step);
	const matches = items.list.filter((item) => item.type === "notification" && (ours.from ? item.from === ours.from : typeof item.from === "string") && item.dateMs >= window.fromMs && item.dateMs <= window.toMs && sameContent(item, ours));
	const looked = `the room's latest ${items.list.length} message${items.list.length === 1 ? "" : "s"}`;
	if (matches.length === 1) return { id: matches[0].id };
	if (matches.length === 0) return { reason: `none of ${looked} is this notification (a notification${ours.from ? ` from '${ours.from}'` : ""}, posted during this step on ${window.clock}, with the same ${ours.cardId ? "card" : "message"}).` };
	return { reason: `${matches.length} notifications in ${looked} match this one (the same ${ours.cardId ? "card" : "message"}, posted during this step): it cannot be told which is this step's, so no id is given.${ours.cardId ? "" : " With `card: true` each notification carries an id of its own."}` };
}
/** The items of the answer, each checked, or why the answer is not a history. */
function readItems(answer) {
	if (require_index.isHtmlPage(answer.headers, answer.body)) return { reason: `the history answer (${answer.status}) is an HTML page${require_index.pageTitle(answer.body)}, not HipChat's: a login page or a proxy in front of the server?` };
	if (answer.truncated) return { reason: `the history answer (${answer.status}) was cut short or too large to read.` };
	let parsed;
	try {
		parsed = JSON.parse(answer.body);
	} catch {
		return { reason: `the history answer (${answer.status}) is not JSON.` };
	}
	const items = isObject(parsed) ? parsed.items : void 0;
	if (!Array.isArray(items)) return { reason: `the history answer (${answer.status}) has no list of items.` };
	const list = [];
	for (const raw of items.slice(-1e3)) {
		const item = readItem(raw);
		if (item) list.push(item);
	}
	return { list };
}
/** One item, when its id is a plausible message id and its date a time; else undefined. */
function readItem(raw) {
	if (!isObject(raw)) return void 0;
	const { id, date } = raw;
	if (typeof id !== "string" || !require_index.MESSAGE_ID.test(id)) return void 0;
	const dateMs = typeof date === "string" && date.length <= 64 ? Date.parse(date) : NaN;
	if (!Number.isFinite(dateMs)) return void 0;
	return {
		id,
		type: raw.type,
		from: raw.from,
		message: raw.message,
		dateMs,
		cardId: cardIdOf(raw.card)
	};
}
/** A card's id: the card as an object, or as the JSON text it was sent as. */
function cardIdOf(card) {
	let value = card;
	if (typeof card === "string" && card.length <= 2e4) try {
		value = JSON.parse(card);
	} catch {
		return;
	}
	return isObject(value) && typeof value.id === "string" ? value.id : void 0;
}
/**
* The same notification: with a card, the card's id decides (a twin's card has another id);
* an item whose card is not ours is never ours. Else the message, exactly as sent.
*/
function sameContent(item, ours) {
	if (ours.cardId !== void 0 && item.cardId !== void 0) return item.cardId === ours.cardId;
	return item.message === ours.message;
}
/**
* The step's window on the server's clock: the answer's `Date` (whole seconds, taken as the
* answer was made) back by the time the step has run, forward by a second. Without a usable
* `Date`, the runner's clock with room for drift.
*/
function serverWindow(headers, step) {
	const raw = headers["date"];
	const serverMs = raw !== void 0 && raw.length <= 64 ? Date.parse(raw) : NaN;
	const ranMs = Math.max(0, step.answeredMs - step.startMs);
	if (Number.isFinite(serverMs)) return {
		fromMs: serverMs - ranMs - MARGIN_MS,
		toMs: serverMs + 1e3 + MARGIN_MS,
		clock: "the server's clock"
	};
	return {
		fromMs: step.startMs - LOCAL_MARGIN_MS,
		toMs: step.answeredMs + LOCAL_MARGIN_MS,
		clock: "the runner's clock (the answer had no Date header)"
	};
}
function isObject(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** The most of a history answer read: 25 messages of up to 10,000 characters fit. */
const MAX_HISTORY_BYTES = 1048576;
/** Rooms looked up at once. */
const CONCURRENCY = 4;
/** A history request counts against the token's window only: it posts into no room. */
const KEYS = ["token"];
const NO_ROOM = "room:";
/** The scope advice, said once however many rooms refuse. */
const SCOPE_ADVICE = "needs the view_messages scope, which a room notification token never has: use a personal access token, a user token or an add-on token with view_messages (and send_notification) to get `message-id`.";
/**
* Looks up the id of `ours` in every room it was delivered to; sets `message_id` on those
* results and returns the results unchanged otherwise. Never throws for a failure.
*/
async function lookUpIds(ctx, results, ours) {
	const delivered = results.filter((r) => r.ok && !r.dry_run);
	let refused = false;
	await require_index.mapBounded(delivered, CONCURRENCY, async (result) => {
		const found = await lookUp(ctx, result.room, ours);
		if ("id" in found) {
			result.message_id = found.id;
			ctx.log.info(`Room '${result.room}': message id ${found.id} (read back from the room's history).`);
		} else if ("refused" in found) {
			if (!refused) ctx.log.warning(`\`lookup-id\`: ${found.refused} ${SCOPE_ADVICE} The notification was delivered; no id is given.`);
			refused = true;
		} else ctx.log.notice(`\`lookup-id\`: room '${result.room}': no message id: ${found.reason} The notification was delivered.`);
	});
}
/**
* With `auth-test` in a dry run: whether the token may read each room's history (nothing is
* read). A refusal is one warning; the rooms' notifications are not held back by it.
*/
async function authTestHistory(ctx, rooms) {
	let refused = false;
	await require_index.mapBounded(rooms, CONCURRENCY, async (room) => {
		const answer = await request(ctx, room, true);
		if ("refused" in answer) {
			if (!refused) ctx.log.warning(`\`lookup-id\`: ${answer.refused} ${SCOPE_ADVICE}`);
			refused = true;
		} else if ("reason" in answer) ctx.log.notice(`\`lookup-id\`: room '${room}': the history auth test could not be made: ${answer.reason}`);
		else ctx.log.info(`Room '${room}': history auth test passed (${answer.response.status}).`);
	});
}
async function lookUp(ctx, room, ours) {
	const answer = await request(ctx, room, false);
	if (!("response" in answer)) return answer;
	return findOurs(answer.response, ours, {
		startMs: ctx.startMs,
		answeredMs: answer.answeredMs
	});
}
/** One paced request, no retry: its 2xx answer, a refusal (401/403), or why there is none. */
async function request(ctx, room, authTest) {
	const { client, limiter, clock } = ctx;
	const subject = `the history lookup of room '${room}'`;
	const waiting = {};
	let response;
	try {
		const budgetMs = await require_index.admit(ctx, KEYS, subject, false, waiting);
		try {
			response = await client.history(ctx.token, room, 25, authTest, {
				budgetMs,
				maxBodyBytes: MAX_HISTORY_BYTES
			});
		} catch (error) {
			limiter.release(KEYS, NO_ROOM, void 0);
			throw error;
		}
		limiter.release(KEYS, NO_ROOM, require_index.readRateInfo(response.headers, clock.now()));
	} catch (error) {
		if (error instanceof require_index.BudgetExceeded || error instanceof require_index.TransportError) return { reason: error.message.replace(/\.?$/, ".") };
		throw error;
	}
	return judge(ctx, room, response);
}
/** What the answer means for the lookup; a 429 also holds the token's window for the others. */
function judge(ctx, room, response) {
	const { status } = response;
	const said = require_index.hipchatMessage(response.body);
	const quoted = said === void 0 ? "" : `, HipChat: ${JSON.stringify(require_index.quotable(said, 200))}`;
	if (status === 401 || status === 403) return { refused: `the token may not read the history of room '${room}' (${status}${quoted}): it` };
	if (status >= 200 && status < 300) return {
		response,
		answeredMs: ctx.clock.now()
	};
	if (status === 429) {
		const { headers, body, truncated } = response;
		const decision = require_index.decide({
			kind: "response",
			status,
			headers,
			body,
			truncated
		}, 1, 0, ctx.clock.now(), ctx.clock.random);
		if (decision.action === "retry") require_index.holdFor(ctx.limiter, decision, NO_ROOM);
		return { reason: `HipChat answered 429 (rate limited${quoted}); the lookup is not repeated.` };
	}
	return { reason: `HipChat answered ${status}${quoted}.` };
}
exports.authTestHistory = authTestHistory;
exports.lookUpIds = lookUpIds;
