Object.defineProperty(exports, Symbol.toStringTag, { value: "Module" });
const require_rolldown_runtime = require("./rolldown-runtime.js");
const require_util$2 = require("./util.js");
let node_fs = require("node:fs");
let node_path = require("node:path");
node_path = require_rolldown_runtime.__toESM(node_path, 1);
let node_net = require("node:net");
let os = require("os");
os = require_rolldown_runtime.__toESM(os, 1);
let fs = require("fs");
fs = require_rolldown_runtime.__toESM(fs, 1);
require("path");
let node_os = require("node:os");
// src/inputs/action-inputs.ts
/**
* action.yml's defaults, for inputs the runner leaves empty (runs outside a runner, e.g.
* tests and the preview). Expressions (`${{ … }}`) are the runner's to evaluate: not here.
*/
const INPUT_DEFAULTS = {
	token: "",
	"oauth-id": "",
	"oauth-secret": "",
	color: "auto",
	format: "html",
	template: "",
	"template-file": "",
	"test-results": "",
	vars: "",
	commits: "0",
	notify: "false",
	from: "",
	"auth-test": "false",
	"dry-run": "false",
	"max-wait": "300",
	timeout: "30",
	"fail-on-error": "true",
	"send-when": "always",
	card: "false",
	summary: "job",
	"log-lines": "0",
	needs: "",
	mention: "none",
	users: "",
	"private-message": "false",
	"attach-to": "",
	"lookup-id": "false"
};
// src/inputs/needs.ts
/**
* The `needs` input: `${{ toJSON(needs) }}` of a final job, GitHub's own record of each job it
* needs — `{"build": {"result": "failure", "outputs": {}}, …}`. It costs no API call and no
* token scope, so it is what `summary: run` trusts for the outcome. Validated with the other
* inputs, before any request.
*/
/** The results GitHub gives a needed job (a matrix job's is the aggregate of its legs). */
const NEEDS_RESULTS = [
	"success",
	"failure",
	"cancelled",
	"skipped"
];
/** What the input takes, for every error about it. */
const SHAPE = "expected `${{ toJSON(needs) }}`: a JSON object of job ids to {\"result\": \"success\" | \"failure\" | \"cancelled\" | \"skipped\", \"outputs\": {…}}";
/** A job id as GitHub allows it: a letter or `_`, then letters, digits, `-` or `_`. */
const JOB_ID = /^[A-Za-z_][\w-]{0,99}$/;
/** Jobs a workflow can hold, and then some: more is not what `toJSON(needs)` writes. */
const MAX_JOBS = 1e3;
const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
/** The value as an error shows it: one line, at most 60 characters. */
function shown$2(raw) {
	const line = raw.replace(/\s+/g, " ").trim();
	return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
/**
* Reads `needs` (raw text); adds one sentence to `problems` when it is not what
* `toJSON(needs)` gives. `undefined` for an empty input or `{}` (a job that needs none).
*/
function parseNeeds(raw, problems) {
	const text = raw.trim();
	if (!text) return void 0;
	const fail = (why) => {
		problems.push(`\`needs\` is '${shown$2(text)}': ${why}; ${SHAPE}.`);
	};
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return fail("not JSON");
	}
	if (!isObject(value)) return fail("not a JSON object");
	const entries = Object.entries(value);
	if (entries.length > MAX_JOBS) return fail(`${entries.length} jobs, more than ${MAX_JOBS}`);
	const needs = /* @__PURE__ */ new Map();
	for (const [id, job] of entries) {
		const name = shown$2(id).slice(0, 40);
		if (!JOB_ID.test(id)) return fail(`'${name}' is not a job id`);
		const result = isObject(job) ? job["result"] : void 0;
		if (typeof result !== "string" || !NEEDS_RESULTS.includes(result)) return fail(`job '${name}' has no result GitHub gives`);
		if (isObject(job) && job["outputs"] !== void 0 && !isObject(job["outputs"])) return fail(`the outputs of job '${name}' are not an object`);
		needs.set(id, result);
	}
	return needs.size > 0 ? needs : void 0;
}
/**
* The outcome GitHub's results add up to: any failure → `failure`; else any cancelled →
* `cancelled`; else (every job succeeded or was skipped) `success`.
*/
function needsStatus(needs) {
	const results = [...needs.values()];
	if (results.includes("failure")) return "failure";
	if (results.includes("cancelled")) return "cancelled";
	return "success";
}
// src/inputs/summary.ts
/**
* The whole-run inputs, `summary`, `log-lines` and `needs`, validated with the others
* (inputs.ts) before any request: each problem names the input, the value and what is accepted.
*/
/** What one message reports: this job, or the whole workflow run. */
const SUMMARY = ["job", "run"];
/**
* Reads `summary`, `log-lines` and `needs` and adds a sentence to `problems` for each that is
* wrong — also `summary: run` with neither `needs` nor the token that reads the jobs, and
* `needs` where only `summary: run` reads it.
*/
function parseWholeRun(raw, githubToken, problems) {
	const { summary: summaryRaw, logLines: logLinesRaw } = raw;
	const summary = summaryRaw.trim().toLowerCase();
	const needs = parseNeeds(raw.needs, problems);
	if (!SUMMARY.includes(summary)) problems.push(`\`summary\` is '${summaryRaw}': expected job or run.`);
	else if (summary === "run" && !githubToken && !raw.needs.trim()) problems.push("`summary` is 'run' but `github-token` and `needs` are empty: give `needs: ${{ toJSON(needs) }}` (no permission needed), or the token that reads the run's jobs (default ${{ github.token }}, with `permissions: actions: read`).");
	else if (summary === "job" && raw.needs.trim()) problems.push("`needs` is set but `summary` is 'job': only `summary: run` reads it; set `summary: run`, or remove `needs`.");
	return {
		summary: summary === "run" ? "run" : "job",
		logLines: parseLogLines(logLinesRaw, problems),
		...needs ? { needs } : {}
	};
}
/** `log-lines`: a whole number from 0 to `MAX_LOG_LINES`; 0 when it is not. */
function parseLogLines(raw, problems) {
	const text = raw.trim();
	const n = /^\d+$/.test(text) ? Number(text) : NaN;
	if (!Number.isSafeInteger(n) || n > 200) {
		problems.push(`\`log-lines\` is '${raw}': expected a whole number from 0 to 200.`);
		return 0;
	}
	return n;
}
/**
* What a HipChat message id may look like: HipChat's are UUIDs; letters, digits and `-_.:` leave
* room for a compatible server's own, and nothing that could change a request's meaning.
*/
const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,35}$/;
/**
* Reads `attach-to` (trimmed) for `rooms`, with `lookup-id` already read, and adds a sentence to `problems` when it is wrong:
* not an id, too long, or given for several rooms (the id belongs to one room's history).
*/
function parseFollowUp(attachToRaw, lookupId, rooms, problems) {
	const attachTo = attachToRaw.trim();
	if (!attachTo) return {
		attachTo: "",
		lookupId
	};
	const shown = attachTo.length > 40 ? `${attachTo.slice(0, 40)}…` : attachTo;
	if (attachTo.length > 36) problems.push(`\`attach-to\` is '${shown}' (${attachTo.length} characters): a HipChat message id has at most 36, like the \`message-id\` output of a step with \`lookup-id: true\`.`);
	else if (!MESSAGE_ID.test(attachTo)) problems.push(`\`attach-to\` is '${JSON.stringify(shown).slice(1, -1)}': a HipChat message id is letters and digits with - _ . or : (a UUID), like the \`message-id\` output of a step with \`lookup-id: true\`.`);
	if (rooms.length > 1) problems.push(`\`attach-to\` is set with ${rooms.length} rooms: a message id belongs to one room's history, so give exactly one \`room\` (one step per room).`);
	return {
		attachTo,
		lookupId
	};
}
// src/hipchat/credentials.ts
/**
* The HTTP Basic credentials of the add-on token request, `base64(id:secret)`: built in one
* place, so the value inputs.ts masks is exactly the header the client sends.
*/
function basicCredentials(id, secret) {
	return Buffer.from(`${id}:${secret}`).toString("base64");
}
// src/hipchat/types.ts
/** HipChat API v2 shapes used by the action. Facts: see the project's HipChat API notes. */
/** Colours HipChat accepts for a room notification. */
const COLORS = [
	"yellow",
	"green",
	"red",
	"purple",
	"gray",
	"random"
];
/** HipChat's `message_format`. */
const FORMATS = ["html", "text"];
/** HipChat rejects messages longer than this many characters. */
const MAX_MESSAGE_LENGTH = 1e4;
// src/hipchat/cloud.ts
/** The advice every `server` problem about Cloud ends with. */
const SET_SERVER = "set `server` to the URL of your HipChat Server / Data Center, e.g. `server: https://hipchat.example.com`.";
/** The input error for a run without `server`. */
const SERVER_MISSING = `\`server\` is empty: ${SET_SERVER} There is no default: HipChat Cloud was shut down in February 2019.`;
/**
* Whether `server` is HipChat Cloud — api.hipchat.com or a team's <name>.hipchat.com — shut
* down in February 2019.
*/
function isHipChatCloud(server) {
	try {
		const host = new URL(server).hostname.toLowerCase();
		return host === "hipchat.com" || host.endsWith(".hipchat.com");
	} catch {
		return false;
	}
}
/** The input error for a Cloud address; `shown` is the value as it may be said ('…' or hidden). */
function cloudServerProblem(shown) {
	return `\`server\` is ${shown}, HipChat Cloud, which was shut down in February 2019: ${SET_SERVER}`;
}
// src/inputs/server.ts
/**
* The `server` input: the base URL of a HipChat server, told apart from what people paste in
* its place (a room's notification URL with its token, a URL with credentials or a query) and
* from HipChat Cloud's addresses, which nothing answers any more. It has no default.
*/
/**
* What may be said of a `server` value in an error: the value itself, unless it may carry a
* secret — a query string (HipChat's integration page shows `…?auth_token=…` URLs), a fragment,
* or credentials — then only that it is hidden.
*/
function shownServer(raw, url) {
	return /[?#@]/.test(raw) || Boolean(url?.username || url?.password) ? "(value hidden)" : `'${raw}'`;
}
const NOTIFICATION_URL = /^(.*?)\/v2\/room\/([^/]+)(?:\/notification)?\/?$/i;
/** `server` as the base URL (no trailing slash, no `/v2`), or undefined with a problem. */
function parseServer(raw, problems) {
	if (!raw) {
		problems.push(SERVER_MISSING);
		return;
	}
	let url;
	try {
		url = new URL(raw);
	} catch {
		url = void 0;
	}
	const shown = shownServer(raw, url);
	if (!url) {
		problems.push(`\`server\` is ${shown}: expected the http(s) URL of your HipChat server, e.g. https://hipchat.example.com.`);
		return;
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") {
		problems.push(`\`server\` is ${shown}: expected an http:// or https:// URL, not ${url.protocol.slice(0, -1)}.`);
		return;
	}
	if (isHipChatCloud(url.href)) {
		problems.push(cloudServerProblem(shown));
		return;
	}
	if (url.username || url.password) {
		problems.push("`server` contains credentials (value hidden): remove user:password@ from it.");
		return;
	}
	const notification = NOTIFICATION_URL.exec(url.pathname);
	if (notification) {
		const base = `${url.origin}${notification[1] ?? ""}`;
		const room = safeDecode(notification[2] ?? "");
		const token = url.searchParams.has("auth_token") ? " The auth_token in it belongs in `token`, from a secret (e.g. `${{ secrets.HIPCHAT_TOKEN }}`); if the URL was written into the workflow file, treat that token as exposed and regenerate it." : "";
		problems.push(`\`server\` is a room's notification URL (value hidden): set \`server\` to the part before /v2 (${base}) and \`room\` to '${room}'.${token}`);
		return;
	}
	if (url.search || url.hash || raw.includes("?")) {
		problems.push("`server` has a query string or fragment (value hidden): give the base URL alone, e.g. https://hipchat.example.com; a token goes in `token`.");
		return;
	}
	const base = url.pathname.replace(/\/+$/, "").replace(/\/v2$/, "");
	return `${url.origin}${base}`;
}
function safeDecode(text) {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
// node_modules/mustache/mustache.mjs
/*!
* mustache.js - Logic-less {{mustache}} templates with JavaScript
* http://github.com/janl/mustache.js
*/
var objectToString = Object.prototype.toString;
var isArray = Array.isArray || function isArrayPolyfill(object) {
	return objectToString.call(object) === "[object Array]";
};
function isFunction(object) {
	return typeof object === "function";
}
/**
* More correct typeof string handling array
* which normally returns typeof 'object'
*/
function typeStr(obj) {
	return isArray(obj) ? "array" : typeof obj;
}
function escapeRegExp(string) {
	return string.replace(/[\-\[\]{}()*+?.,\\\^$|#\s]/g, "\\$&");
}
/**
* Null safe way of checking whether or not an object,
* including its prototype, has a given property
*/
function hasProperty(obj, propName) {
	return obj != null && typeof obj === "object" && propName in obj;
}
/**
* Safe way of detecting whether or not the given thing is a primitive and
* whether it has the given property
*/
function primitiveHasOwnProperty(primitive, propName) {
	return primitive != null && typeof primitive !== "object" && primitive.hasOwnProperty && primitive.hasOwnProperty(propName);
}
var regExpTest = RegExp.prototype.test;
function testRegExp(re, string) {
	return regExpTest.call(re, string);
}
var nonSpaceRe = /\S/;
function isWhitespace(string) {
	return !testRegExp(nonSpaceRe, string);
}
var entityMap = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	"\"": "&quot;",
	"'": "&#39;",
	"/": "&#x2F;",
	"`": "&#x60;",
	"=": "&#x3D;"
};
function escapeHtml$1(string) {
	return String(string).replace(/[&<>"'`=\/]/g, function fromEntityMap(s) {
		return entityMap[s];
	});
}
var whiteRe = /\s*/;
var spaceRe = /\s+/;
var equalsRe = /\s*=/;
var curlyRe = /\s*\}/;
var tagRe = /#|\^|\/|>|\{|&|=|!/;
/**
* Breaks up the given `template` string into a tree of tokens. If the `tags`
* argument is given here it must be an array with two string values: the
* opening and closing tags used in the template (e.g. [ "<%", "%>" ]). Of
* course, the default is to use mustaches (i.e. mustache.tags).
*
* A token is an array with at least 4 elements. The first element is the
* mustache symbol that was used inside the tag, e.g. "#" or "&". If the tag
* did not contain a symbol (i.e. {{myValue}}) this element is "name". For
* all text that appears outside a symbol this element is "text".
*
* The second element of a token is its "value". For mustache tags this is
* whatever else was inside the tag besides the opening symbol. For text tokens
* this is the text itself.
*
* The third and fourth elements of the token are the start and end indices,
* respectively, of the token in the original template.
*
* Tokens that are the root node of a subtree contain two more elements: 1) an
* array of tokens in the subtree and 2) the index in the original template at
* which the closing tag for that section begins.
*
* Tokens for partials also contain two more elements: 1) a string value of
* indendation prior to that tag and 2) the index of that tag on that line -
* eg a value of 2 indicates the partial is the third tag on this line.
*/
function parseTemplate$1(template, tags) {
	if (!template) return [];
	var lineHasNonSpace = false;
	var sections = [];
	var tokens = [];
	var spaces = [];
	var hasTag = false;
	var nonSpace = false;
	var indentation = "";
	var tagIndex = 0;
	function stripSpace() {
		if (hasTag && !nonSpace) while (spaces.length) delete tokens[spaces.pop()];
		else spaces = [];
		hasTag = false;
		nonSpace = false;
	}
	var openingTagRe, closingTagRe, closingCurlyRe;
	function compileTags(tagsToCompile) {
		if (typeof tagsToCompile === "string") tagsToCompile = tagsToCompile.split(spaceRe, 2);
		if (!isArray(tagsToCompile) || tagsToCompile.length !== 2) throw new Error("Invalid tags: " + tagsToCompile);
		openingTagRe = new RegExp(escapeRegExp(tagsToCompile[0]) + "\\s*");
		closingTagRe = new RegExp("\\s*" + escapeRegExp(tagsToCompile[1]));
		closingCurlyRe = new RegExp("\\s*" + escapeRegExp("}" + tagsToCompile[1]));
	}
	compileTags(tags || mustache.tags);
	var scanner = new Scanner(template);
	var start, type, value, chr, token, openSection;
	while (!scanner.eos()) {
		start = scanner.pos;
		value = scanner.scanUntil(openingTagRe);
		if (value) for (var i = 0, valueLength = value.length; i < valueLength; ++i) {
			chr = value.charAt(i);
			if (isWhitespace(chr)) {
				spaces.push(tokens.length);
				indentation += chr;
			} else {
				nonSpace = true;
				lineHasNonSpace = true;
				indentation += " ";
			}
			tokens.push([
				"text",
				chr,
				start,
				start + 1
			]);
			start += 1;
			if (chr === "\n") {
				stripSpace();
				indentation = "";
				tagIndex = 0;
				lineHasNonSpace = false;
			}
		}
		if (!scanner.scan(openingTagRe)) break;
		hasTag = true;
		type = scanner.scan(tagRe) || "name";
		scanner.scan(whiteRe);
		if (type === "=") {
			value = scanner.scanUntil(equalsRe);
			scanner.scan(equalsRe);
			scanner.scanUntil(closingTagRe);
		} else if (type === "{") {
			value = scanner.scanUntil(closingCurlyRe);
			scanner.scan(curlyRe);
			scanner.scanUntil(closingTagRe);
			type = "&";
		} else value = scanner.scanUntil(closingTagRe);
		if (!scanner.scan(closingTagRe)) throw new Error("Unclosed tag at " + scanner.pos);
		if (type == ">") token = [
			type,
			value,
			start,
			scanner.pos,
			indentation,
			tagIndex,
			lineHasNonSpace
		];
		else token = [
			type,
			value,
			start,
			scanner.pos
		];
		tagIndex++;
		tokens.push(token);
		if (type === "#" || type === "^") sections.push(token);
		else if (type === "/") {
			openSection = sections.pop();
			if (!openSection) throw new Error("Unopened section \"" + value + "\" at " + start);
			if (openSection[1] !== value) throw new Error("Unclosed section \"" + openSection[1] + "\" at " + start);
		} else if (type === "name" || type === "{" || type === "&") nonSpace = true;
		else if (type === "=") compileTags(value);
	}
	stripSpace();
	openSection = sections.pop();
	if (openSection) throw new Error("Unclosed section \"" + openSection[1] + "\" at " + scanner.pos);
	return nestTokens(squashTokens(tokens));
}
/**
* Combines the values of consecutive text tokens in the given `tokens` array
* to a single token.
*/
function squashTokens(tokens) {
	var squashedTokens = [];
	var token, lastToken;
	for (var i = 0, numTokens = tokens.length; i < numTokens; ++i) {
		token = tokens[i];
		if (token) {
			if (token[0] === "text" && lastToken && lastToken[0] === "text") {
				lastToken[1] += token[1];
				lastToken[3] = token[3];
			} else {
				squashedTokens.push(token);
				lastToken = token;
			}
		}
	}
	return squashedTokens;
}
/**
* Forms the given array of `tokens` into a nested tree structure where
* tokens that represent a section have two additional items: 1) an array of
* all tokens that appear in that section and 2) the index in the original
* template that represents the end of that section.
*/
function nestTokens(tokens) {
	var nestedTokens = [];
	var collector = nestedTokens;
	var sections = [];
	var token, section;
	for (var i = 0, numTokens = tokens.length; i < numTokens; ++i) {
		token = tokens[i];
		switch (token[0]) {
			case "#":
			case "^":
				collector.push(token);
				sections.push(token);
				collector = token[4] = [];
				break;
			case "/":
				section = sections.pop();
				section[5] = token[2];
				collector = sections.length > 0 ? sections[sections.length - 1][4] : nestedTokens;
				break;
			default: collector.push(token);
		}
	}
	return nestedTokens;
}
/**
* A simple string scanner that is used by the template parser to find
* tokens in template strings.
*/
function Scanner(string) {
	this.string = string;
	this.tail = string;
	this.pos = 0;
}
/**
* Returns `true` if the tail is empty (end of string).
*/
Scanner.prototype.eos = function eos() {
	return this.tail === "";
};
/**
* Tries to match the given regular expression at the current position.
* Returns the matched text if it can match, the empty string otherwise.
*/
Scanner.prototype.scan = function scan(re) {
	var match = this.tail.match(re);
	if (!match || match.index !== 0) return "";
	var string = match[0];
	this.tail = this.tail.substring(string.length);
	this.pos += string.length;
	return string;
};
/**
* Skips all text until the given regular expression can be matched. Returns
* the skipped string, which is the entire tail if no match can be made.
*/
Scanner.prototype.scanUntil = function scanUntil(re) {
	var index = this.tail.search(re), match;
	switch (index) {
		case -1:
			match = this.tail;
			this.tail = "";
			break;
		case 0:
			match = "";
			break;
		default:
			match = this.tail.substring(0, index);
			this.tail = this.tail.substring(index);
	}
	this.pos += match.length;
	return match;
};
/**
* Represents a rendering context by wrapping a view object and
* maintaining a reference to the parent context.
*/
function Context(view, parentContext) {
	this.view = view;
	this.cache = { ".": this.view };
	this.parent = parentContext;
}
/**
* Creates a new context using the given view with this context
* as the parent.
*/
Context.prototype.push = function push(view) {
	return new Context(view, this);
};
/**
* Returns the value of the given name in this context, traversing
* up the context hierarchy if the value is absent in this context's view.
*/
Context.prototype.lookup = function lookup(name) {
	var cache = this.cache;
	var value;
	if (cache.hasOwnProperty(name)) value = cache[name];
	else {
		var context = this, intermediateValue, names, index, lookupHit = false;
		while (context) {
			if (name.indexOf(".") > 0) {
				intermediateValue = context.view;
				names = name.split(".");
				index = 0;
				/**
				* Using the dot notion path in `name`, we descend through the
				* nested objects.
				*
				* To be certain that the lookup has been successful, we have to
				* check if the last object in the path actually has the property
				* we are looking for. We store the result in `lookupHit`.
				*
				* This is specially necessary for when the value has been set to
				* `undefined` and we want to avoid looking up parent contexts.
				*
				* In the case where dot notation is used, we consider the lookup
				* to be successful even if the last "object" in the path is
				* not actually an object but a primitive (e.g., a string, or an
				* integer), because it is sometimes useful to access a property
				* of an autoboxed primitive, such as the length of a string.
				**/
				while (intermediateValue != null && index < names.length) {
					if (index === names.length - 1) lookupHit = hasProperty(intermediateValue, names[index]) || primitiveHasOwnProperty(intermediateValue, names[index]);
					intermediateValue = intermediateValue[names[index++]];
				}
			} else {
				intermediateValue = context.view[name];
				/**
				* Only checking against `hasProperty`, which always returns `false` if
				* `context.view` is not an object. Deliberately omitting the check
				* against `primitiveHasOwnProperty` if dot notation is not used.
				*
				* Consider this example:
				* ```
				* Mustache.render("The length of a football field is {{#length}}{{length}}{{/length}}.", {length: "100 yards"})
				* ```
				*
				* If we were to check also against `primitiveHasOwnProperty`, as we do
				* in the dot notation case, then render call would return:
				*
				* "The length of a football field is 9."
				*
				* rather than the expected:
				*
				* "The length of a football field is 100 yards."
				**/
				lookupHit = hasProperty(context.view, name);
			}
			if (lookupHit) {
				value = intermediateValue;
				break;
			}
			context = context.parent;
		}
		cache[name] = value;
	}
	if (isFunction(value)) value = value.call(this.view);
	return value;
};
/**
* A Writer knows how to take a stream of tokens and render them to a
* string, given a context. It also maintains a cache of templates to
* avoid the need to parse the same template twice.
*/
function Writer() {
	this.templateCache = {
		_cache: {},
		set: function set(key, value) {
			this._cache[key] = value;
		},
		get: function get(key) {
			return this._cache[key];
		},
		clear: function clear() {
			this._cache = {};
		}
	};
}
/**
* Clears all cached templates in this writer.
*/
Writer.prototype.clearCache = function clearCache() {
	if (typeof this.templateCache !== "undefined") this.templateCache.clear();
};
/**
* Parses and caches the given `template` according to the given `tags` or
* `mustache.tags` if `tags` is omitted,  and returns the array of tokens
* that is generated from the parse.
*/
Writer.prototype.parse = function parse(template, tags) {
	var cache = this.templateCache;
	var cacheKey = template + ":" + (tags || mustache.tags).join(":");
	var isCacheEnabled = typeof cache !== "undefined";
	var tokens = isCacheEnabled ? cache.get(cacheKey) : void 0;
	if (tokens == void 0) {
		tokens = parseTemplate$1(template, tags);
		isCacheEnabled && cache.set(cacheKey, tokens);
	}
	return tokens;
};
/**
* High-level method that is used to render the given `template` with
* the given `view`.
*
* The optional `partials` argument may be an object that contains the
* names and templates of partials that are used in the template. It may
* also be a function that is used to load partial templates on the fly
* that takes a single argument: the name of the partial.
*
* If the optional `config` argument is given here, then it should be an
* object with a `tags` attribute or an `escape` attribute or both.
* If an array is passed, then it will be interpreted the same way as
* a `tags` attribute on a `config` object.
*
* The `tags` attribute of a `config` object must be an array with two
* string values: the opening and closing tags used in the template (e.g.
* [ "<%", "%>" ]). The default is to mustache.tags.
*
* The `escape` attribute of a `config` object must be a function which
* accepts a string as input and outputs a safely escaped string.
* If an `escape` function is not provided, then an HTML-safe string
* escaping function is used as the default.
*/
Writer.prototype.render = function render(template, view, partials, config) {
	var tags = this.getConfigTags(config);
	var tokens = this.parse(template, tags);
	var context = view instanceof Context ? view : new Context(view, void 0);
	return this.renderTokens(tokens, context, partials, template, config);
};
/**
* Low-level method that renders the given array of `tokens` using
* the given `context` and `partials`.
*
* Note: The `originalTemplate` is only ever used to extract the portion
* of the original template that was contained in a higher-order section.
* If the template doesn't use higher-order sections, this argument may
* be omitted.
*/
Writer.prototype.renderTokens = function renderTokens(tokens, context, partials, originalTemplate, config) {
	var buffer = "";
	var token, symbol, value;
	for (var i = 0, numTokens = tokens.length; i < numTokens; ++i) {
		value = void 0;
		token = tokens[i];
		symbol = token[0];
		if (symbol === "#") value = this.renderSection(token, context, partials, originalTemplate, config);
		else if (symbol === "^") value = this.renderInverted(token, context, partials, originalTemplate, config);
		else if (symbol === ">") value = this.renderPartial(token, context, partials, config);
		else if (symbol === "&") value = this.unescapedValue(token, context);
		else if (symbol === "name") value = this.escapedValue(token, context, config);
		else if (symbol === "text") value = this.rawValue(token);
		if (value !== void 0) buffer += value;
	}
	return buffer;
};
Writer.prototype.renderSection = function renderSection(token, context, partials, originalTemplate, config) {
	var self = this;
	var buffer = "";
	var value = context.lookup(token[1]);
	function subRender(template) {
		return self.render(template, context, partials, config);
	}
	if (!value) return;
	if (isArray(value)) for (var j = 0, valueLength = value.length; j < valueLength; ++j) buffer += this.renderTokens(token[4], context.push(value[j]), partials, originalTemplate, config);
	else if (typeof value === "object" || typeof value === "string" || typeof value === "number") buffer += this.renderTokens(token[4], context.push(value), partials, originalTemplate, config);
	else if (isFunction(value)) {
		if (typeof originalTemplate !== "string") throw new Error("Cannot use higher-order sections without the original template");
		value = value.call(context.view, originalTemplate.slice(token[3], token[5]), subRender);
		if (value != null) buffer += value;
	} else buffer += this.renderTokens(token[4], context, partials, originalTemplate, config);
	return buffer;
};
Writer.prototype.renderInverted = function renderInverted(token, context, partials, originalTemplate, config) {
	var value = context.lookup(token[1]);
	if (!value || isArray(value) && value.length === 0) return this.renderTokens(token[4], context, partials, originalTemplate, config);
};
Writer.prototype.indentPartial = function indentPartial(partial, indentation, lineHasNonSpace) {
	var filteredIndentation = indentation.replace(/[^ \t]/g, "");
	var partialByNl = partial.split("\n");
	for (var i = 0; i < partialByNl.length; i++) if (partialByNl[i].length && (i > 0 || !lineHasNonSpace)) partialByNl[i] = filteredIndentation + partialByNl[i];
	return partialByNl.join("\n");
};
Writer.prototype.renderPartial = function renderPartial(token, context, partials, config) {
	if (!partials) return;
	var tags = this.getConfigTags(config);
	var value = isFunction(partials) ? partials(token[1]) : partials[token[1]];
	if (value != null) {
		var lineHasNonSpace = token[6];
		var tagIndex = token[5];
		var indentation = token[4];
		var indentedValue = value;
		if (tagIndex == 0 && indentation) indentedValue = this.indentPartial(value, indentation, lineHasNonSpace);
		var tokens = this.parse(indentedValue, tags);
		return this.renderTokens(tokens, context, partials, indentedValue, config);
	}
};
Writer.prototype.unescapedValue = function unescapedValue(token, context) {
	var value = context.lookup(token[1]);
	if (value != null) return value;
};
Writer.prototype.escapedValue = function escapedValue(token, context, config) {
	var escape = this.getConfigEscape(config) || mustache.escape;
	var value = context.lookup(token[1]);
	if (value != null) return typeof value === "number" && escape === mustache.escape ? String(value) : escape(value);
};
Writer.prototype.rawValue = function rawValue(token) {
	return token[1];
};
Writer.prototype.getConfigTags = function getConfigTags(config) {
	if (isArray(config)) return config;
	else if (config && typeof config === "object") return config.tags;
	else return;
};
Writer.prototype.getConfigEscape = function getConfigEscape(config) {
	if (config && typeof config === "object" && !isArray(config)) return config.escape;
	else return;
};
var mustache = {
	name: "mustache.js",
	version: "4.2.0",
	tags: ["{{", "}}"],
	clearCache: void 0,
	escape: void 0,
	parse: void 0,
	render: void 0,
	Scanner: void 0,
	Context: void 0,
	Writer: void 0,
	/**
	* Allows a user to override the default caching strategy, by providing an
	* object with set, get and clear methods. This can also be used to disable
	* the cache by setting it to the literal `undefined`.
	*/
	set templateCache(cache) {
		defaultWriter.templateCache = cache;
	},
	/**
	* Gets the default or overridden caching object from the default writer.
	*/
	get templateCache() {
		return defaultWriter.templateCache;
	}
};
var defaultWriter = new Writer();
/**
* Clears all cached templates in the default writer.
*/
mustache.clearCache = function clearCache() {
	return defaultWriter.clearCache();
};
/**
* Parses and caches the given template in the default writer and returns the
* array of tokens it contains. Doing this ahead of time avoids the need to
* parse templates on the fly as they are rendered.
*/
mustache.parse = function parse(template, tags) {
	return defaultWriter.parse(template, tags);
};
/**
* Renders the `template` with the given `view`, `partials`, and `config`
* using the default writer.
*/
mustache.render = function render(template, view, partials, config) {
	if (typeof template !== "string") throw new TypeError("Invalid template! Template should be a \"string\" but \"" + typeStr(template) + "\" was given as the first argument for mustache#render(template, view, partials)");
	return defaultWriter.render(template, view, partials, config);
};
mustache.escape = escapeHtml$1;
mustache.Scanner = Scanner;
mustache.Context = Context;
mustache.Writer = Writer;
// src/inputs/template-syntax.ts
/**
* The syntax of the `template` / `template-file` inputs: parsing a template before anything is
* sent, and Mustache's parse errors turned into a `TemplateError` that names the line of an
* unclosed section, a stray closing tag, an unclosed `{{` or a partial.
*/
const TAGS = ["{{", "}}"];
let parser;
/**
* Parse a template, so inputs can be validated before anything is sent.
* Throws a `TemplateError` naming the line of an unclosed section, a stray closing tag, an
* unclosed `{{`, or a partial (`{{> name}}`: there are no partials to include).
*/
function parseTemplate(template) {
	if (!parser) {
		parser = new mustache.Writer();
		Object.assign(parser, { templateCache: void 0 });
	}
	let tokens;
	try {
		tokens = parser.parse(template, TAGS);
	} catch (error) {
		throw explainParseError(template, error);
	}
	rejectPartials(template, tokens);
	return tokens;
}
/** A malformed template; `line` is 1-based. */
var TemplateError = class extends Error {
	line;
	constructor(message, line) {
		super(`Template error on line ${line}: ${message}`);
		this.name = "TemplateError";
		this.line = line;
	}
};
/** Mustache's parse error as a `TemplateError` that names the line and what to do. */
function explainParseError(template, error) {
	const message = error instanceof Error ? error.message : String(error);
	const unclosedSection = /^Unclosed section "(.*)" at (\d+)$/s.exec(message);
	if (unclosedSection) {
		const [, name = "", at = "0"] = unclosedSection;
		return unclosedSectionError(template, name, Number(at));
	}
	const unopened = /^Unopened section "(.*)" at (\d+)$/s.exec(message);
	if (unopened) {
		const [, name = "", at = "0"] = unopened;
		return new TemplateError(`{{/${name}}} closes a section that was never opened`, lineAt(template, Number(at)));
	}
	const unclosedTag = /^Unclosed tag at (\d+)$/.exec(message);
	if (unclosedTag) return new TemplateError("a tag opened with \"{{\" is never closed with \"}}\"", lineAt(template, unclosedTagStart(template) ?? Number(unclosedTag[1])));
	const delimiters = template.search(/\{\{=/);
	return new TemplateError(message, lineAt(template, Math.max(delimiters, 0)));
}
function unclosedSectionError(template, name, at) {
	const closing = /^\{\{\s*\/\s*(.*?)\s*\}\}/s.exec(template.slice(at));
	if (closing && at < template.length) return new TemplateError(`{{/${closing[1] ?? ""}}} does not match the open section {{#${name}}}; close that first`, lineAt(template, at));
	const opener = lastOpener(template, name);
	return new TemplateError(`section {{#${name}}} is never closed (add {{/${name}}})`, lineAt(template, opener ?? at));
}
/** Where the last `{{#name}}` / `{{^name}}` starts (default delimiters), if it can be found. */
function lastOpener(template, name) {
	const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
	const pattern = new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, "g");
	let last;
	for (const match of template.matchAll(pattern)) last = match.index;
	return last;
}
/** The `{{` that is never closed, scanning tags the way Mustache does with default delimiters. */
function unclosedTagStart(template) {
	if (template.includes("{{=")) return void 0;
	let position = 0;
	for (;;) {
		const open = template.indexOf("{{", position);
		if (open < 0) return void 0;
		const closer = template.startsWith("{{{", open) ? "}}}" : "}}";
		const close = template.indexOf(closer, open + 2);
		if (close < 0) return open;
		position = close + closer.length;
	}
}
/** Throws a `TemplateError` for a partial (`{{> name}}`): there are none to include. */
function rejectPartials(template, tokens) {
	for (const token of tokens) {
		if (token[0] === ">") throw new TemplateError(`partials ({{> ${token[1]}}}) are not supported: put the text in the template`, lineAt(template, token[2]));
		const children = token[4];
		if (Array.isArray(children)) rejectPartials(template, children);
	}
}
/** The 1-based line of `index` in `template`. */
function lineAt(template, index) {
	let line = 1;
	for (let i = 0; i < index && i < template.length; i++) if (template[i] === "\n") line++;
	return line;
}
/** Whether `target` is `root` or inside it. */
function inside(root, target) {
	const relative = node_path.default.relative(root, target);
	return relative === "" || !relative.startsWith("..") && !node_path.default.isAbsolute(relative);
}
/**
* Reads `file` (relative to `workspace`, or absolute inside it) as UTF-8. Never blocks on a
* FIFO or device and never reads more than the limit allows.
*/
function readWorkspaceFile(file, workspace) {
	const given = node_path.default.resolve(workspace, file);
	let root;
	let real;
	try {
		root = (0, node_fs.realpathSync)(workspace);
	} catch {
		return { problem: `the workspace (${workspace}) does not exist.` };
	}
	try {
		real = (0, node_fs.realpathSync)(given);
	} catch {
		return { problem: `no such file in the workspace (${given}). Check the path, and that the repository is checked out before this step.` };
	}
	if (!inside(root, real)) return { problem: `it resolves to ${real}, outside the workspace (${root}): only files of the checked-out workspace are read, and symlinks must stay inside it.` };
	let fd;
	try {
		fd = (0, node_fs.openSync)(real, node_fs.constants.O_RDONLY | (node_fs.constants.O_NONBLOCK ?? 0));
	} catch (error) {
		return { problem: `it cannot be read (${error.code ?? "error"}).` };
	}
	try {
		if (!(0, node_fs.fstatSync)(fd).isFile()) return { problem: "it is not a regular file (a directory, FIFO, socket or device)." };
		const buffer = Buffer.alloc(1048577);
		let length = 0;
		for (let n = 1; n > 0 && length < buffer.length; length += n) n = (0, node_fs.readSync)(fd, buffer, length, buffer.length - length, null);
		if (length > 1048576) return { problem: "it is larger than 1 MiB: a template is a few KB." };
		return { text: buffer.subarray(0, length).toString("utf8") };
	} finally {
		(0, node_fs.closeSync)(fd);
	}
}
// src/inputs/template-file.ts
/**
* The `template` and `template-file` inputs: one of them, read from the workspace, line endings
* normalised, and checked as Mustache before anything is sent.
*/
/** The template text and where it came from; problems are pushed, not thrown. */
function readTemplate(inline, file, workspace, problems) {
	if (inline.trim() && file) {
		problems.push("`template` and `template-file` are both set: use one of them.");
		return {
			template: "",
			templateSource: "template"
		};
	}
	let template = normalizeLineEndings(inline);
	let templateSource = "template";
	if (file) {
		templateSource = file;
		const read = readWorkspaceFile(file, workspace);
		if ("problem" in read) {
			problems.push(`\`template-file\` is '${file}': ${read.problem}`);
			return {
				template: "",
				templateSource
			};
		}
		template = normalizeLineEndings(read.text);
		if (!template.trim()) {
			problems.push(`\`template-file\` '${file}' is empty.`);
			return {
				template: "",
				templateSource
			};
		}
	}
	if (template.trim()) try {
		parseTemplate(template);
	} catch (error) {
		problems.push(`\`${templateSource === "template" ? "template" : "template-file"}\` ${templateSource === "template" ? "" : `'${file}' `}is not a valid Mustache template: ${error.message}.`);
	}
	else template = "";
	return {
		template,
		templateSource
	};
}
/**
* `\r\n` and lone `\r` as `\n`: a template file checked out on a Windows runner (git's
* autocrlf) must not send `\r\n` into the room, nor a template pasted from such a file.
*/
function normalizeLineEndings(text) {
	return text.replace(/\r\n?/g, "\n");
}
// src/inputs/status.ts
/**
* GitHub's words: `job.status`, `steps.*.outcome` and `needs.*.result` give success, failure,
* cancelled or skipped; a run's `conclusion` (`github.event.workflow_run.conclusion`) may also
* be timed_out, startup_failure, neutral, action_required or stale.
*
* - `timed_out` and `startup_failure` are failures: the code did not get a green run.
* - `neutral` counts as a success, as GitHub itself treats it for required checks.
* - `skipped`, `action_required` (waiting for a maintainer's approval) and `stale` (GitHub gave
*   up on an old run) have no outcome: the run never produced a result.
* - `started` (and GitHub's `in_progress`) is a note that something began, e.g. a deploy: it
*   has an outcome family of its own (🚀, yellow) but, like the words above, says nothing
*   about the branch's health, so it is never a change for `send-when`. A run's other
*   unfinished states (`queued`, `requested`, `waiting`, `pending`: what the `status` default
*   gives for a `workflow_run` that has not completed) belong to it too.
* - `unknown` (❔, yellow): the action could not establish the outcome (`summary: run` without
*   `needs` and without the jobs, or with only part of them). Never a change for `send-when`.
*   `completed` without a conclusion says no more than that.
* - `error` and `inactive` are a deployment's states: an error is a failure; an inactive
*   deployment was replaced by a newer one and has no outcome of its own.
*/
const WORDS = {
	success: {
		outcome: "success",
		text: "succeeded"
	},
	failure: {
		outcome: "failure",
		text: "failed"
	},
	cancelled: {
		outcome: "cancelled",
		text: "was cancelled"
	},
	skipped: {
		outcome: "none",
		text: "was skipped"
	},
	timed_out: {
		outcome: "failure",
		text: "timed out"
	},
	startup_failure: {
		outcome: "failure",
		text: "failed to start"
	},
	neutral: {
		outcome: "success",
		text: "finished"
	},
	action_required: {
		outcome: "none",
		text: "is waiting for approval"
	},
	stale: {
		outcome: "none",
		text: "went stale"
	},
	started: {
		outcome: "started",
		text: "started"
	},
	in_progress: {
		outcome: "started",
		text: "started"
	},
	queued: {
		outcome: "started",
		text: "is queued"
	},
	requested: {
		outcome: "started",
		text: "was requested"
	},
	waiting: {
		outcome: "started",
		text: "is waiting"
	},
	pending: {
		outcome: "started",
		text: "is pending"
	},
	unknown: {
		outcome: "unknown",
		text: "outcome unknown"
	},
	completed: {
		outcome: "unknown",
		text: "outcome unknown"
	},
	error: {
		outcome: "failure",
		text: "errored"
	},
	inactive: {
		outcome: "none",
		text: "is inactive"
	}
};
/** Every word the `status` input accepts (case-insensitive), in the order the docs list them. */
const STATUSES = Object.keys(WORDS);
/** `status` trimmed and lower-cased, the form every other function here takes. */
function normalizeStatus(status) {
	return (status ?? "").trim().toLowerCase();
}
/** Whether `status` (any case) is one of the known words. `''` is not. */
function isKnownStatus(status) {
	return Object.hasOwn(WORDS, normalizeStatus(status));
}
function word$1(status) {
	const key = normalizeStatus(status);
	return Object.hasOwn(WORDS, key) ? WORDS[key] : void 0;
}
/**
* The outcome family of a status word, case-insensitive: `success`, `failure`, `cancelled`,
* `started` (for `started`, `in_progress` and a run's other unfinished states), `unknown`
* (`unknown`, `completed`), or `none` (for `skipped`, `action_required`, `stale`, `''` and
* words the vocabulary does not have).
*/
function outcomeOf(status) {
	return word$1(status)?.outcome ?? "none";
}
/** The status in words (`failed`, `timed out`…); `finished` for `''` and anything unknown. */
function statusText(status) {
	return word$1(status)?.text ?? "finished";
}
/** Whether an outcome says something about the branch's health: only success and failure do. */
function isComparable(outcome) {
	return outcome === "success" || outcome === "failure";
}
/**
* Whether `status` is a change from `previous`, as `send-when` and the `changed` template
* variable both judge it: both have a comparable outcome, and the outcomes differ (`timed_out`
* after `failure` is no change; a cancelled run is no change from anything).
*/
function outcomeChanged(previous, status) {
	const before = outcomeOf(previous);
	const now = outcomeOf(status);
	return isComparable(before) && isComparable(now) && before !== now;
}
/**
* Parses `test-results`. Each non-empty line is one glob (`**`, `*`, `?`, `[…]`, `{a,b}`), e.g.
* `target/surefire-reports/TEST-*.xml`. Refused: `..` segments, absolute paths outside the
* workspace (one inside is made relative), and `!` negations (not supported by the glob).
*/
function parseTestResultPatterns(raw, workspace) {
	const lines = raw.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
	const problems = [];
	if (lines.length > 20) problems.push(`\`test-results\` has ${lines.length} patterns: at most 20 are accepted (one glob per line, e.g. **/junit.xml).`);
	const patterns = [];
	for (const line of lines.slice(0, 20)) {
		const checked = checkPattern(line, workspace);
		if ("problem" in checked) problems.push(checked.problem);
		else if (!patterns.includes(checked.pattern)) patterns.push(checked.pattern);
	}
	return problems.length > 0 ? { problems } : { patterns };
}
function checkPattern(line, workspace) {
	const shown = `'${line.length > 80 ? `${line.slice(0, 79)}…` : line}'`;
	if (line.startsWith("!")) return { problem: `\`test-results\` pattern ${shown} is a negation: list the reports to read instead (negations are not supported).` };
	if (line.split(/[\\/]/).includes("..")) return { problem: `\`test-results\` pattern ${shown} leaves the workspace: '..' is not accepted; patterns are relative to the workspace (GITHUB_WORKSPACE).` };
	let relative = line;
	if (node_path.default.isAbsolute(line) || node_path.default.win32.isAbsolute(line)) {
		relative = node_path.default.relative(node_path.default.resolve(workspace), node_path.default.resolve(line));
		if (relative.startsWith("..") || node_path.default.isAbsolute(relative)) return { problem: `\`test-results\` pattern ${shown} is outside the workspace (${workspace}): give a path inside it, e.g. reports/*.xml.` };
	}
	const pattern = relative.split(node_path.default.sep).join("/").replace(/^(\.\/)+/, "");
	if (!pattern || pattern === ".") return { problem: `\`test-results\` pattern ${shown} names the workspace itself: give the report files, e.g. **/junit.xml.` };
	return { pattern };
}
// src/inputs/notify.ts
/**
* `notify`: whether HipChat notifies the room's members (a sound, a badge) for this message.
* `true` or `false` as before, or a list of outcomes to notify on — words of the status
* vocabulary (status.ts: `failure` also covers `timed_out` and `error`, `success` also
* `neutral`), plus `fixed` (a success after a failure) and `broken` (a failure after a
* success), which `send-when`'s lookup of the previous run decides. Pure.
*/
/** The words that need the previous run's outcome. */
const CHANGE_WORDS = ["fixed", "broken"];
/** Every word `notify` accepts in a list. */
const NOTIFY_WORDS = [...STATUSES, ...CHANGE_WORDS];
/**
* Reads `notify` (its default already applied): a YAML boolean, or words separated by commas
* or new lines. An unknown word is a problem naming the accepted ones.
*/
function parseNotify(raw, problems) {
	const value = raw.trim();
	if ([
		"true",
		"True",
		"TRUE"
	].includes(value)) return true;
	if ([
		"false",
		"False",
		"FALSE",
		""
	].includes(value)) return false;
	const words = [...new Set(value.split(/[\n,]/).map((word) => word.trim().toLowerCase()).filter(Boolean))];
	const unknown = words.filter((word) => !NOTIFY_WORDS.includes(word));
	if (unknown.length > 0) problems.push(`\`notify\` is '${raw}': ${unknown.map((w) => `'${w}'`).join(", ")} ${unknown.length === 1 ? "is not an outcome" : "are not outcomes"}; expected true, false, or a list of ${NOTIFY_WORDS.join(", ")}.`);
	return words;
}
/** Whether the rule asks about the previous run (`fixed`, `broken`). */
function needsPrevious(rule) {
	return Array.isArray(rule) && rule.some((word) => word === "fixed" || word === "broken");
}
/**
* Whether this message notifies: `status` matches a listed word (the word itself, or its
* outcome family), or it is `fixed`/`broken` against `previousStatus` ('' when unknown: then
* neither is).
*/
function notifies(rule, status, previousStatus) {
	if (typeof rule === "boolean") return rule;
	const word = normalizeStatus(status);
	const now = outcomeOf(word);
	const before = outcomeOf(previousStatus);
	return rule.some((listed) => {
		if (listed === "fixed") return now === "success" && before === "failure";
		if (listed === "broken") return now === "failure" && before === "success";
		return listed === word || listed === now && word !== "";
	});
}
// src/inputs/vars.ts
/** What `vars` may hold, at most: it is typed into a workflow file, not a data set. */
const VARS_LIMITS = {
	bytes: 65536,
	names: 100
};
/** The options `parseVars` parses YAML with. */
const YAML_OPTIONS = {
	schema: "core",
	uniqueKeys: true,
	maxAliasCount: 10,
	prettyErrors: true,
	logLevel: "error"
};
/** A name `{{vars.name}}` can reach: letters, digits and `_`, not starting with a digit. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
* Parses the `vars` input. `''` (after trimming) is no vars: `{ vars: {} }`. The map comes back
* with a null prototype, so a name like `constructor` is an ordinary own key.
*/
function parseVars(text, parseYaml) {
	if (!text.trim()) return { vars: Object.create(null) };
	if (Buffer.byteLength(text) > VARS_LIMITS.bytes) return { problems: [`\`vars\` is ${Buffer.byteLength(text).toLocaleString("en")} bytes long: at most ${VARS_LIMITS.bytes.toLocaleString("en")} are accepted (a map of a few names to text).`] };
	let parsed;
	try {
		parsed = parseYaml(text, YAML_OPTIONS);
	} catch (error) {
		return { problems: [`\`vars\` is not valid YAML or JSON: ${parseReason(error)}. ${EXAMPLE}`] };
	}
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { problems: [`\`vars\` is ${kindOf$1(parsed)}: expected a map of names to text. ${EXAMPLE}`] };
	const asWritten = (name) => {
		const raw = parseYaml(text, {
			...YAML_OPTIONS,
			schema: "failsafe"
		}) ?? {};
		const value = Object.hasOwn(raw, name) ? raw[name] : void 0;
		return typeof value === "string" ? shown$1(value) : "…";
	};
	return checkEntries(Object.entries(parsed), asWritten);
}
const EXAMPLE = "For example `environment: prod` on one line and `version: \"1.2\"` on the next.";
function checkEntries(entries, asWritten) {
	const problems = [];
	if (entries.length > VARS_LIMITS.names) problems.push(`\`vars\` has ${entries.length} names: at most ${VARS_LIMITS.names} are accepted.`);
	const vars = Object.create(null);
	for (const [name, value] of entries) if (!IDENTIFIER.test(name)) problems.push(`\`vars\` name '${shown$1(name)}' is not an identifier: use letters, digits and _ (not starting with a digit), so that {{vars.name}} can name it.`);
	else if (typeof value !== "string") problems.push(`\`vars.${name}\` is ${kindOf$1(value)}: vars are text; quote the value (${name}: "${isScalar(value) ? asWritten(name) : "…"}").`);
	else vars[name] = value;
	return problems.length > 0 ? { problems } : { vars };
}
/** The parser's reason, first line only: its excerpt of the source is left out of the log. */
function parseReason(error) {
	return ((error instanceof Error ? error.message : String(error)).split("\n", 1)[0] ?? "").replace(/:\s*$/, "").trim() || "unreadable";
}
/** `a number (1.1)`, `a boolean (true)`, `empty (null)`, `a list`, `a map`, `text`. */
function kindOf$1(value) {
	if (value === null || value === void 0) return "empty (no value)";
	if (Array.isArray(value)) return "a list";
	if (typeof value === "number") return `a number (${shown$1(String(value))})`;
	if (typeof value === "boolean") return `a boolean (${String(value)})`;
	if (typeof value === "object") return "a map";
	return typeof value === "string" ? `text ('${shown$1(value)}')` : `a ${typeof value}`;
}
function isScalar(value) {
	return typeof value === "number" || typeof value === "boolean";
}
/** A name or value in an error: at most 40 characters, line breaks shown as ⏎. */
function shown$1(text) {
	const flat = text.replace(/\r?\n/g, "⏎");
	return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}
/** A HipChat mention name the action will write live: word characters, never a room-wide ping. */
function isMentionName(name) {
	return /^[\p{L}\p{N}_]{1,50}$/u.test(name) && !/^(?:all|here)$/i.test(name);
}
/**
* Defuse every `@` in `value` that could start a mention in HipChat's `text` format, by putting
* an invisible `MENTION_BREAKER` after it. Defused: an `@` at the start or after a non-word
* character (`@bob`, `(@all`, `a @here`), and any `@all` / `@here` even inside a word, so the
* room-wide pings never get through whatever HipChat's word-boundary rule. Left alone: `@` after
* a word character (`alice@example.com`), which keeps addresses intact and linkable.
*/
function defuseMentions(value) {
	return value.replace(MENTION_AT, `@⁠`);
}
const MENTION_AT = /(?<![\p{L}\p{N}_])@(?!\u2060)|@(?=(?:all|here)(?![\p{L}\p{N}_]))/giu;
// src/inputs/users.ts
/**
* The `users` input: a YAML map from GitHub login to the HipChat user to reach, either an email
* address (looked up in HipChat's directory) or an `@mention_name` (used as it is). Validated
* whole before anything is sent; every problem names the entry.
*/
/** Entries read at most: a team's people, not a company directory (that is what HipChat has). */
const MAX_USERS = 1e3;
const LOGIN$1 = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const EMAIL = /^[^\s@<>"',;:\\]+@[^\s@<>"',;:\\]+\.[^\s@<>"',;:\\]+$/;
const ACCEPTED = "a map of GitHub login to HipChat email or \"@mention_name\" (quoted: YAML reserves a leading @), e.g. `alice: alice@example.com`";
/**
* Checks an already parsed `users` value; returns the map and one sentence per bad entry.
* Pure: the YAML has been parsed (failsafe schema, so every scalar is a string).
*/
function validateUsers(parsed) {
	const users = /* @__PURE__ */ new Map();
	if (parsed === null || parsed === void 0 || parsed === "") return {
		users,
		problems: []
	};
	if (typeof parsed !== "object" || Array.isArray(parsed)) return {
		users,
		problems: [`\`users\` is not a map: expected ${ACCEPTED}.`]
	};
	const entries = Object.entries(parsed);
	if (entries.length > MAX_USERS) return {
		users,
		problems: [`\`users\` has ${entries.length} entries; at most ${MAX_USERS} are accepted.`]
	};
	const problems = [];
	for (const [login, value] of entries) {
		const problem = checkEntry(login, value, users);
		if (problem !== void 0) problems.push(`\`users\` entry '${clip(login)}': ${problem}`);
	}
	return {
		users,
		problems
	};
}
function checkEntry(login, value, users) {
	if (/\[bot\]$/i.test(login)) return "bots are never mentioned; remove the entry.";
	if (!LOGIN$1.test(login)) return "not a GitHub login (letters, digits and single hyphens, at most 39 characters).";
	const key = login.toLowerCase();
	if (users.has(key)) return "listed twice (GitHub logins ignore case).";
	if (typeof value !== "string") return `the value must be one email or "@mention_name", not a ${Array.isArray(value) ? "list" : "map"}.`;
	const target = value.trim();
	if (target.startsWith("@")) {
		const mentionName = target.slice(1);
		if (!isMentionName(mentionName)) return `'${clip(target)}' is not a HipChat mention name (letters, digits and _, at most 50; never @all or @here).`;
		users.set(key, {
			kind: "mention",
			mentionName
		});
		return;
	}
	if (target.length > 254 || !EMAIL.test(target)) return `'${clip(target)}' is neither an email address nor an "@mention_name".`;
	users.set(key, {
		kind: "email",
		email: target.toLowerCase()
	});
}
/** What `users` may hold, at most, in bytes: a team's people typed into a workflow file. */
const MAX_USERS_BYTES = 65536;
/**
* Reads the `users` input: '' is an empty map; anything else is parsed as YAML with every
* scalar as text (`failsafe`: `0123` or `yes` stay as written) and validated. Pure: the parser
* is given (loaded only when a YAML input is set: yaml-inputs.ts).
*/
function parseUsers(text, parseYaml) {
	if (text.trim() === "") return {
		users: /* @__PURE__ */ new Map(),
		problems: []
	};
	const bytes = Buffer.byteLength(text);
	if (bytes > MAX_USERS_BYTES) return {
		users: /* @__PURE__ */ new Map(),
		problems: [`\`users\` is ${bytes} bytes long: at most ${MAX_USERS_BYTES} are accepted.`]
	};
	let parsed;
	try {
		parsed = parseYaml(text, {
			...YAML_OPTIONS,
			schema: "failsafe",
			maxAliasCount: 0
		});
	} catch (error) {
		return {
			users: /* @__PURE__ */ new Map(),
			problems: [`\`users\` is not valid YAML: ${firstLine$1(error)}. Expected ${ACCEPTED}.`]
		};
	}
	return validateUsers(parsed);
}
/** The parser's reason, first line only: its excerpt of the input stays out of the log. */
function firstLine$1(error) {
	return ((error instanceof Error ? error.message : String(error)).split("\n", 1)[0] ?? "").replace(/:\s*$/, "").trim() || "unreadable";
}
/** A value as it appears in an error: one line, at most 60 characters. */
function clip(value) {
	const line = value.replace(/[\p{Cc}\s]+/gu, " ");
	return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
// src/inputs/inputs.ts
/**
* The action's inputs, read once, masked, validated and turned into one typed `Inputs` object.
* Everything a user can get wrong is caught here, before the first request: each problem names
* the input, the value (never for secrets) and what is accepted.
*/
/** When to send, relative to the previous run's status. */
const SEND_WHEN = [
	"always",
	"changed",
	"failure-or-changed"
];
/** Values of `mention`: nobody, or the author of the change on a failure. */
const MENTIONS = ["none", "author"];
/** Thrown when inputs are invalid; `problems` holds one sentence per bad input. */
var InputError = class extends Error {
	problems;
	constructor(problems) {
		super(problems.length === 1 ? `Invalid input: ${problems[0]}` : `Invalid inputs:\n${problems.map((p) => `- ${p}`).join("\n")}`);
		this.name = "InputError";
		this.problems = problems;
	}
};
/** Inputs whose values are secrets: masked before anything else and never echoed in errors. */
const SECRET_INPUTS = [
	"token",
	"oauth-secret",
	"github-token"
];
/** Longest run a workflow job may have (6 h): a bigger budget is surely a typo. */
const MAX_SECONDS = 21600;
/**
* Masks every secret input with `mask` (e.g. `core.setSecret`) — call before anything is logged.
* Each line of a multi-line secret is masked too, since the runner masks line by line.
* With add-on credentials, the HTTP Basic value the token request sends is a secret too: it
* decodes to the OAuth secret, and a server or proxy may echo the header in an error.
*/
function maskSecrets(read, mask) {
	for (const name of SECRET_INPUTS) {
		const value = read(name);
		if (!value) continue;
		mask(value);
		const lines = value.split(/\r?\n/).map((line) => line.trim());
		if (lines.length > 1) {
			for (const line of lines) if (line) mask(line);
		}
	}
	const id = read("oauth-id").trim();
	const secret = read("oauth-secret").trim();
	if (id && secret) mask(basicCredentials(id, secret));
}
/**
* Validates all inputs and returns them typed, or throws one `InputError` listing every problem.
* `workspace` resolves `template-file` (the runner's GITHUB_WORKSPACE, else the working directory).
* `parseYaml` reads the YAML inputs (`loadYamlParser` in yaml-loader.ts gives it when one is set).
*/
function parseInputs(read, workspace = process.cwd(), parseYaml) {
	const problems = [];
	const value = (name) => read(name).trim();
	const orDefault = (name) => value(name) || INPUT_DEFAULTS[name];
	const auth = parseAuth(value("token"), value("oauth-id"), read("oauth-secret").trim(), problems);
	const rooms = parseRooms(value("room"), problems);
	const status = parseStatus(value("status"), problems);
	const color = oneOf("color", orDefault("color").toLowerCase(), ["auto", ...COLORS], problems);
	const format = oneOf("format", orDefault("format").toLowerCase(), FORMATS, problems);
	const sendWhen = oneOf("send-when", orDefault("send-when").toLowerCase(), SEND_WHEN, problems);
	const from = parseFrom(value("from"), problems);
	const server = parseServer(value("server"), problems);
	const maxWait = seconds("max-wait", orDefault("max-wait"), 1, problems);
	const timeout = seconds("timeout", orDefault("timeout"), 1, problems);
	const flag = (name) => bool(name, orDefault(name), problems);
	const flags = {
		notify: parseNotify(orDefault("notify"), problems),
		authTest: flag("auth-test"),
		dryRun: flag("dry-run"),
		failOnError: flag("fail-on-error"),
		card: flag("card"),
		privateMessage: flag("private-message"),
		commits: count("commits", orDefault("commits"), 20, problems),
		mention: oneOf("mention", orDefault("mention").toLowerCase(), MENTIONS, problems)
	};
	const followUp = parseFollowUp(read("attach-to"), flag("lookup-id"), rooms, problems);
	const github = parseGithubAccess(read("github-token").trim(), sendWhen, flags.notify, orDefault, problems);
	const { template, templateSource } = readTemplate(read("template"), value("template-file"), workspace, problems);
	const values = readWorkflowValues(read, workspace, parseYaml, problems);
	if (problems.length > 0) throw new InputError(problems);
	return {
		...flags,
		auth,
		rooms,
		status,
		color,
		format,
		template,
		templateSource,
		from,
		server,
		maxWaitMs: maxWait * 1e3,
		timeoutMs: timeout * 1e3,
		sendWhen,
		...github,
		...values,
		...followUp
	};
}
/** `vars` and `users` (YAML, read with `parseYaml`) and the `test-results` patterns. */
function readWorkflowValues(read, workspace, parseYaml, problems) {
	const vars = readVars(read("vars"), parseYaml, problems);
	const users = readUsers(read("users"), parseYaml, problems);
	const testResults = parseTestResultPatterns(read("test-results"), workspace);
	if ("problems" in testResults) problems.push(...testResults.problems);
	const patterns = "patterns" in testResults ? testResults.patterns : [];
	return {
		...vars ? { vars } : {},
		users,
		testResults: patterns
	};
}
function readUsers(text, parseYaml, problems) {
	if (!text.trim()) return /* @__PURE__ */ new Map();
	if (!parseYaml) throw new Error("parseInputs: `users` is set but no YAML parser was given");
	const result = parseUsers(text, parseYaml);
	problems.push(...result.problems);
	return result.users;
}
function readVars(text, parseYaml, problems) {
	if (!text.trim()) return void 0;
	if (!parseYaml) throw new Error("parseInputs: `vars` is set but no YAML parser was given");
	const result = parseVars(text, parseYaml);
	if ("problems" in result) {
		problems.push(...result.problems);
		return;
	}
	return result.vars;
}
/** `status`, lower-cased: one of the known words, or empty. */
function parseStatus(raw, problems) {
	const status = raw.toLowerCase();
	if (status && !isKnownStatus(status)) problems.push(`\`status\` is '${raw}': expected ${listOf(STATUSES)} (or empty), as given by \${{ job.status }} or \${{ github.event.workflow_run.conclusion }}.`);
	return status;
}
function parseFrom(from, problems) {
	if (from.length > 64) problems.push(`\`from\` is ${from.length} characters long ('${from.slice(0, 20)}…'): HipChat accepts at most 64.`);
	return from;
}
/** The inputs of what reads the GitHub API: `github-token`, and `summary` / `log-lines` / `needs`. */
function parseGithubAccess(token, sendWhen, notify, orDefault, problems) {
	if ((sendWhen === "changed" || sendWhen === "failure-or-changed") && !token) problems.push(`\`send-when\` is '${sendWhen}' but \`github-token\` is empty: the previous run's status is read with it (default \${{ github.token }}).`);
	if (needsPrevious(notify) && !token) problems.push(`\`notify\` is '${orDefault("notify")}' but \`github-token\` is empty: fixed and broken are told from the previous run, read with it (default \${{ github.token }}).`);
	return {
		githubToken: token,
		...parseWholeRun({
			summary: orDefault("summary"),
			logLines: orDefault("log-lines"),
			needs: orDefault("needs")
		}, token, problems)
	};
}
function listOf(values) {
	return values.length === 1 ? values[0] : `${values.slice(0, -1).join(", ")} or ${values[values.length - 1]}`;
}
function oneOf(name, raw, accepted, problems) {
	if (accepted.includes(raw)) return raw;
	problems.push(`\`${name}\` is '${raw}': expected ${listOf(accepted)}.`);
	return raw;
}
function parseAuth(token, id, secret, problems) {
	if (token) {
		if (id || secret) problems.push("`token` and `oauth-id`/`oauth-secret` are both set: give either a token or add-on credentials, not both.");
		if (/\s/.test(token)) problems.push("`token` contains white space (value hidden): paste the token alone, without \"Bearer \" or line breaks.");
		else if (!HEADER_SAFE.test(token)) problems.push("`token` contains characters that cannot be sent in an HTTP header (value hidden): a HipChat token is letters and digits; check that the secret holds the token alone.");
		return {
			kind: "token",
			token
		};
	}
	if (id && secret) return {
		kind: "oauth",
		id,
		secret
	};
	if (id || secret) {
		problems.push(`\`${id ? "oauth-secret" : "oauth-id"}\` is empty: add-on credentials need both \`oauth-id\` and \`oauth-secret\`.`);
		return;
	}
	problems.push("`token` is empty: set it to a HipChat API token (e.g. `${{ secrets.HIPCHAT_TOKEN }}`), or give `oauth-id` and `oauth-secret`. If the secret is set, check that this workflow can read it (secrets are not passed to workflows from forks).");
}
/** What a token may consist of to go in an `Authorization` header: visible ASCII. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
/** HipChat limits a room id or name in the path to 1–100 characters. */
const MAX_ROOM_LENGTH = 100;
function parseRooms(raw, problems) {
	const rooms = [...new Set(raw.split(/[\n,]/).map((r) => r.trim()).filter(Boolean))];
	if (rooms.length === 0) problems.push(`\`room\` is ${raw ? `'${raw}'` : "empty"}: give a room id or name, or several separated by commas or new lines.`);
	for (const room of rooms) {
		if (room === "." || room === "..") problems.push(`\`room\` '${room}' is not a room name HipChat can be asked for: give the room's numeric id or its name.`);
		if (room.length > MAX_ROOM_LENGTH) problems.push(`\`room\` '${room.slice(0, 20)}…' is ${room.length} characters long: HipChat room ids and names have at most ${MAX_ROOM_LENGTH}.`);
	}
	return rooms;
}
function seconds(name, raw, min, problems) {
	const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isFinite(n) || n < min || n > MAX_SECONDS) {
		problems.push(`\`${name}\` is '${raw}': expected a number of seconds from ${min} to ${MAX_SECONDS}.`);
		return 0;
	}
	return n;
}
/** A whole number from 0 to `max`; 0 (and a problem) otherwise. */
function count(name, raw, max, problems) {
	const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(n) || n > max) {
		problems.push(`\`${name}\` is '${raw}': expected a whole number from 0 to ${max}.`);
		return 0;
	}
	return n;
}
/** YAML 1.2 core-schema booleans, as @actions/core accepts them. */
function bool(name, raw, problems) {
	if ([
		"true",
		"True",
		"TRUE"
	].includes(raw)) return true;
	if ([
		"false",
		"False",
		"FALSE"
	].includes(raw)) return false;
	problems.push(`\`${name}\` is '${raw}': expected true or false.`);
	return false;
}
// src/inputs/expressions.ts
/** A whole `${{ … }}` on one line, as action.yml's defaults are written. */
const EXPRESSION = /^\$\{\{[^\r\n]*\}\}$/;
/** Whether `value` is an expression the runner would have evaluated. */
function isUnevaluatedExpression(value) {
	return EXPRESSION.test(value.trim());
}
/**
* Wraps `read` so that an input holding an unevaluated expression reads as ''. `notice` is told
* once per such input; it never repeats the value (a template author's text is theirs to see).
*/
function withoutUnevaluatedExpressions(read, notice) {
	const told = /* @__PURE__ */ new Set();
	return (name) => {
		const value = read(name);
		if (!isUnevaluatedExpression(value)) return value;
		if (!told.has(name)) {
			told.add(name);
			notice(`\`${name}\` holds an unevaluated \${{ … }} expression, which only a runner evaluates: treated as unset.`);
		}
		return "";
	};
}
// src/context/events/payload.ts
function isRecord$1(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** An object-valued own property, `{}` when absent or of another type. */
function record(value, key) {
	if (!isRecord$1(value) || !Object.hasOwn(value, key)) return {};
	const child = value[key];
	return isRecord$1(child) ? child : {};
}
/** A string (or finite number) own property as text, '' otherwise: never "undefined". */
function text$1(value, key) {
	if (!isRecord$1(value) || !Object.hasOwn(value, key)) return "";
	const child = value[key];
	if (typeof child === "string") return child;
	return typeof child === "number" && Number.isFinite(child) ? String(child) : "";
}
/** Payload links end up in `href`s: accept only web links, never `javascript:` or the like. */
function webUrl(url) {
	return /^https?:\/\//i.test(url) ? url : "";
}
function firstLine(message) {
	return (message.split(/\r?\n|\r/, 1)[0] ?? "").trim();
}
/** Whitespace runs (newlines included) collapsed to one space, trimmed. */
function clean(value) {
	return (value ?? "").replace(/\s+/g, " ").trim();
}
// src/text/one-line.ts
/**
* Outside text made visible and plain: names (jobs, steps, tests, people) on one line, and
* log lines without the characters that hide or reorder what a reader sees.
*
* Removed everywhere: C0/C1 controls (NUL, ESC, BEL…) and Unicode format characters — bidi
* embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the marks), zero-width
* spaces, the byte-order mark, tag characters. Joiners (U+200C, U+200D) are kept: emoji and
* several scripts need them, and they cannot reorder or hide text.
*/
/** Every line break a reader or the runner honours: CR LF, CR, LF, VT, FF, NEL, LS, PS. */
const LINE_BREAKS = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** Controls (other than tab and line feed) and format characters other than the joiners. */
const INVISIBLE = /(?![\t\n\u200c\u200d])[\p{Cc}\p{Cf}]/gu;
/** Whether a text holds anything `visibleLines` changes: most texts do not (a cheap test). */
const ANY = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
/** `text` with its line breaks as `\n` and no control or format characters (tab kept). */
function visibleLines(text) {
	if (!ANY.test(text)) return text;
	return text.replace(LINE_BREAKS, "\n").replace(INVISIBLE, "");
}
/**
* A name on one line: line breaks and tabs become one space, controls and format characters
* disappear, runs of white space are one space, ends trimmed. At most `max` characters (whole
* code points), so a name cannot forge lines or reorder a message.
*/
function oneLine(text, max = 100) {
	const flat = visibleLines(text).replace(/\s+/g, " ").trim();
	if (flat.length <= max) return flat;
	return [...flat].slice(0, max).join("");
}
// src/whole-run/jobs.ts
/**
* The jobs of a run, as the GitHub API lists them, turned into what a message tells: which job
* is this one, which jobs count, which step failed, how long each took. Pure: the listing comes
* in, facts go out.
*
* This step's own job is the one that is `in_progress` on this runner (`RUNNER_NAME`): names
* alone are ambiguous (matrix legs, reusable workflows, `GITHUB_JOB` is the YAML key, not the
* name), runner names are not, since a runner runs one job at a time.
*/
const text = (value) => typeof value === "string" ? value : "";
/**
* A page link from the API, as a normalised http(s) URL, or '' — the URL parser encodes spaces
* and drops line breaks, so a hostile `html_url` can neither add words (an `@all` in text) nor
* lines to the message; credentials in it are refused.
*/
function pageUrl(value) {
	try {
		const url = new URL(text(value));
		if (url.protocol !== "https:" && url.protocol !== "http:") return "";
		if (url.username || url.password || url.href.length > 2048) return "";
		return url.href;
	} catch {
		return "";
	}
}
/** Whether `job` is this step's own job: in progress on the runner named `runnerName`. */
function isOwnJob(job, runnerName) {
	return Boolean(runnerName) && job.status === "in_progress" && job.runner_name === runnerName;
}
/** This step's own job in `jobs`, when exactly one matches (see `isOwnJob`). */
function findOwnJob(jobs, runnerName) {
	const mine = jobs.filter((job) => isOwnJob(job, runnerName));
	return mine.length === 1 ? mine[0] : void 0;
}
/** The name of the first step that failed or timed out, '' when none did. */
function failedStep(job) {
	const failed = (Array.isArray(job.steps) ? job.steps : []).find((s) => s?.conclusion === "failure" || s?.conclusion === "timed_out");
	return failed ? oneLine(text(failed.name), 200) : "";
}
/** What a message tells of one job. */
function jobFacts(job) {
	const completed = job.status === "completed";
	const started = Date.parse(text(job.started_at));
	const seconds = (Date.parse(text(job.completed_at)) - started) / 1e3;
	const attempt = Number(job.run_attempt);
	return {
		id: typeof job.id === "number" ? job.id : 0,
		name: oneLine(text(job.name), 200) || "(unnamed job)",
		conclusion: (completed ? text(job.conclusion) : text(job.status)) || "unknown",
		completed,
		url: pageUrl(job.html_url),
		...completed && Number.isFinite(seconds) && seconds >= 0 ? { durationSeconds: seconds } : {},
		...Number.isFinite(started) ? { startedAtMs: started } : {},
		failedStep: failedStep(job),
		attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 0
	};
}
/**
* The jobs a run summary reports: each listed job once (by id, as pages may overlap when jobs
* start between requests), in the order listed, without this step's own job.
*/
function reportedJobs(listed, runnerName) {
	const seen = /* @__PURE__ */ new Set();
	const out = [];
	for (const job of listed) {
		if (typeof job !== "object" || job === null || seen.has(job.id)) continue;
		seen.add(job.id);
		if (!isOwnJob(job, runnerName)) out.push(jobFacts(job));
	}
	return out;
}
/** Conclusions a run summary lists one by one; the others are only counted. */
function isReportedProblem(conclusion) {
	return conclusion === "failure" || conclusion === "timed_out" || conclusion === "cancelled";
}
/**
* When the elapsed time `{{duration}}` counts from: this job's start where the listing has
* this job (its runner), else the run's — its earliest job's start; undefined when no job
* says.
*/
function startOf(listed, runnerName) {
	const own = findOwnJob(listed, runnerName);
	const ownStart = own ? Date.parse(text(own.started_at)) : NaN;
	if (Number.isFinite(ownStart)) return ownStart;
	const starts = listed.map((job) => Date.parse(text(job?.started_at))).filter((ms) => Number.isFinite(ms));
	return starts.length > 0 ? Math.min(...starts) : void 0;
}
// src/text/html.ts
/**
* HTML escaping, shared by everything that writes HTML: templates (`{{x}}` in `html`), the
* built-in messages' own words, card fields and the step summary. A module of its own, so the
* built-in templates can use it without a cycle through template.ts.
*/
/** Escape the five characters that matter in HTML text and attribute values. */
function escapeHtml(value) {
	return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}
const HTML_ENTITIES = {
	"&": "&amp;",
	"<": "&lt;",
	">": "&gt;",
	"\"": "&quot;",
	"'": "&#39;"
};
// src/context/events/pieces.ts
/**
* The pieces a built-in message is made of, and how they are written out as a Mustache template
* per format. Literals are ours, so they never contain `{{`; every fact is a `{{variable}}`, so
* it goes through `render` with the same escaping and mention defusing as a user's template.
*/
/** A view variable, written out as `{{name}}`: a fact goes through `render`'s escaping. */
function variable(name) {
	return { variable: name };
}
function bold(...body) {
	return {
		tag: "b",
		body
	};
}
function code(...body) {
	return {
		tag: "code",
		body
	};
}
/** A link in html; just its text in `text`, where the link line carries the URL. */
function link(href, ...body) {
	return {
		href,
		body
	};
}
/**
* Quotes in text, where they set a commit title apart (typographic ones, so a title with its own
* "quotes" still reads right); html sets it apart without them.
*/
function quoted$1(body) {
	return [
		{
			only: "text",
			body: ["“"]
		},
		body,
		{
			only: "text",
			body: ["”"]
		}
	];
}
function joinWith(separator) {
	return (group, index) => index === 0 ? group : [separator, ...group];
}
/** Write pieces out as template source. */
function emit(pieces, format) {
	return pieces.map((piece) => emitPiece(piece, format)).join("");
}
function emitPiece(piece, format) {
	if (typeof piece === "string") return format === "html" ? escapeHtml(piece) : piece;
	if ("variable" in piece) return `{{${piece.variable}}}`;
	if ("only" in piece) return piece.only === format ? emit(piece.body, format) : "";
	const body = emit(piece.body, format);
	if (format === "text") return body;
	if ("href" in piece) return `<a href="{{${piece.href}}}">${body}</a>`;
	return `<${piece.tag}>${body}</${piece.tag}>`;
}
// src/context/events/deployment-state.ts
/**
* A deployment's state (`deployment_status.state`) in the one status vocabulary (status.ts):
* queued, pending and in_progress are a start, success a success, failure and error a failure,
* and inactive (a newer deployment replaced this one) no outcome at all.
*/
/** The states GitHub gives a deployment status. */
const DEPLOYMENT_STATES = [
	"error",
	"failure",
	"inactive",
	"in_progress",
	"queued",
	"pending",
	"success"
];
/** States the vocabulary may not have a word of their own for, and the word that means the same. */
const SAME_AS = {
	queued: "in_progress",
	pending: "in_progress"
};
/** The status word for a deployment state; undefined for anything GitHub does not send. */
function statusOfState(state) {
	const word = state.trim().toLowerCase();
	if (!DEPLOYMENT_STATES.includes(word)) return void 0;
	if (isKnownStatus(word)) return word;
	return Object.hasOwn(SAME_AS, word) ? SAME_AS[word] : void 0;
}
// src/whole-run/outcome.ts
/** Counts the jobs by how they ended. */
function tally(conclusions) {
	const t = {
		total: 0,
		failed: 0,
		cancelled: 0,
		succeeded: 0,
		skipped: 0,
		running: 0,
		other: 0
	};
	for (const c of conclusions) {
		t.total++;
		if (c === "failure" || c === "timed_out" || c === "startup_failure") t.failed++;
		else if (c === "cancelled") t.cancelled++;
		else if (c === "success" || c === "neutral") t.succeeded++;
		else if (c === "skipped") t.skipped++;
		else if ([
			"queued",
			"in_progress",
			"waiting",
			"pending",
			"requested"
		].includes(c)) t.running++;
		else t.other++;
	}
	return t;
}
/**
* The run's status from its jobs: any failure or timeout → `failure`; else any cancelled →
* `cancelled`; all success or skipped → `success` (a run whose jobs were all skipped is no
* failure either). `undefined` when the jobs do not decide it: none, or some still running or
* ending in another way — the `status` input then stands.
*/
function computeStatus(t) {
	if (t.failed > 0) return "failure";
	if (t.cancelled > 0) return "cancelled";
	if (t.total > 0 && t.succeeded + t.skipped === t.total) return "success";
}
const jobs = (n) => `${n.toLocaleString("en-US")} job${n === 1 ? "" : "s"}`;
/**
* The headline's count: `3 of 12 jobs failed`, `1 of 12 jobs was cancelled`,
* `all 12 jobs succeeded`, `11 of 12 jobs succeeded, 1 skipped`; '' for no jobs. When `total`
* (the run's jobs) is more than were read, or the listing is known to be `incomplete`, it says
* what was read and never "all": `1,000 of 1,002 jobs read, none failed`.
*/
function countsPhrase(t, total = t.total, incomplete = false) {
	if (total > t.total || incomplete && t.total > 0) {
		const read = total > t.total ? `${t.total.toLocaleString("en-US")} of ${jobs(total)} read` : `${jobs(total)} read`;
		if (t.failed > 0) return `${read}, ${t.failed.toLocaleString("en-US")} failed`;
		if (t.cancelled > 0) return `${read}, ${t.cancelled.toLocaleString("en-US")} cancelled`;
		return `${read}, none failed`;
	}
	if (t.total === 0) return "";
	const of = (n) => n === t.total ? `all ${jobs(n)}` : `${n} of ${jobs(t.total)}`;
	if (t.failed > 0) {
		const also = t.cancelled > 0 ? `, ${t.cancelled} cancelled` : "";
		return `${of(t.failed)} failed${also}`;
	}
	if (t.cancelled > 0) return `${of(t.cancelled)} ${t.cancelled === 1 ? "was" : "were"} cancelled`;
	if (t.succeeded === 0 && t.skipped === t.total) return `${of(t.skipped)} skipped`;
	return `${of(t.succeeded)} succeeded${t.skipped > 0 ? `, ${t.skipped} skipped` : ""}`;
}
/**
* The jobs a summary does not list one by one, collapsed: `9 succeeded, 1 skipped`,
* `2 still running`; '' when there are none.
*/
function restPhrase(t) {
	const parts = [];
	if (t.succeeded > 0) parts.push(`${t.succeeded} succeeded`);
	if (t.skipped > 0) parts.push(`${t.skipped} skipped`);
	if (t.running > 0) parts.push(`${t.running} still running`);
	if (t.other > 0) parts.push(`${t.other} ended otherwise`);
	return parts.join(", ");
}
/**
* For a re-run (attempt > 1): `attempt 2 re-ran 3 jobs and kept 9 from earlier attempts`;
* '' for a first attempt. `attempts` holds each reported job's latest attempt, 0 where the
* listing did not say (`run_attempt` is optional in GitHub's API description): then nothing
* is said, since an unknown attempt is not an earlier one.
*/
function attemptPhrase(runAttempt, attempts) {
	if (!(runAttempt > 1) || attempts.length === 0) return "";
	if (attempts.some((a) => !(a > 0))) return "";
	const rerun = attempts.filter((a) => a >= runAttempt).length;
	const kept = attempts.length - rerun;
	if (kept === 0) return `attempt ${runAttempt} ran all ${jobs(rerun)} again`;
	return `attempt ${runAttempt} re-ran ${jobs(rerun)} and kept ${kept} from earlier attempts`;
}
// src/context/events/run-message.ts
/**
* The build alert every run kind shares — `❌ acme/app: CI failed on main — “Fix parser”
* (abc1234) by alice`, then the run's link — with the words a kind changes passed in.
*/
/** The build alert for `view`, with the kind's words. */
function runSpec(view, words = {}) {
	const headline = [...repository(view), ": "];
	if (words.prefix) headline.push(words.prefix);
	headline.push(bold(words.workflowName ?? workflowName(view)), ` ${runVerb(view)}`);
	headline.push(...failedStepPhrase(view), ...words.where ?? onBranch(view));
	headline.push(...jobCountsPhrase(view), ...commitFacts(view, words.parens ?? []));
	if (words.byActor !== false && view.actor) headline.push(" by ", variable("actor"));
	return {
		headline,
		...words.link ? { link: words.link } : runLink(view)
	};
}
/**
* A follow-up, attached to the notification it answers (`attach-to`): what happened since, and
* nothing its parent already shows (repository, branch, commit, who) — `✅ Deploy succeeded`,
* `❌ Deploy failed at step Migrate`, `✅ CI is fixed` — then this run's link.
*/
function followUpSpec(view) {
	const headline = [bold(workflowName(view)), ` ${runVerb(view)}`];
	headline.push(...failedStepPhrase(view), ...jobCountsPhrase(view));
	return {
		headline,
		...runLink(view)
	};
}
/** `summary: job`, on a failure: ` at step <b>Run tests</b>`, the step the API says failed. */
function failedStepPhrase(view) {
	return view.failed_step && view.outcome === "failure" ? [" at step ", bold(variable("failed_step"))] : [];
}
/**
* `summary: run`: how the run's jobs ended (` — 3 of 12 jobs failed`); our words, not input.
* When the summary says something was missing (`jobs_note`), only what was read is counted.
*/
function jobCountsPhrase(view) {
	if (view.jobs_total <= 0) return [];
	return [` — ${countsPhrase(tally(view.jobs.map((job) => job.conclusion)), view.jobs_total, Boolean(view.jobs_note))}`];
}
/**
* The status in words (`failed`, `timed out`, `succeeded`…: status.ts), or — when `send-when`
* found the previous run — `is fixed` (success after failure), `is broken again` (failure after
* success) or `is still failing` (failure after failure). Shared with the card, so card and
* fallback message say the same.
*/
function runVerb(view) {
	const previous = outcomeOf(view.previous_status);
	switch (view.outcome) {
		case "success": return previous === "failure" ? "is fixed" : view.status_text || "succeeded";
		case "failure":
			if (previous === "failure") return "is still failing";
			return previous === "success" ? "is broken again" : view.status_text || "failed";
		case "cancelled": return "was cancelled";
		default: return view.status_text || "finished";
	}
}
/** The repository, linked in html; `GitHub` when the run does not say. */
function repository(view) {
	if (!view.github.repository) return ["GitHub"];
	return [view.repository_url ? link("repository_url", variable("github.repository")) : variable("github.repository")];
}
/** This run's link: `run #42` (with the attempt after a re-run), or `view run`. */
function runLink(view) {
	if (!view.run_url) return {};
	const label = view.github.run_number ? ["run #", variable("github.run_number")] : ["view run"];
	if (Number(view.github.run_attempt) > 1) label.push(" (attempt ", variable("github.run_attempt"), ")");
	return { link: {
		url: "run_url",
		label
	} };
}
/** The branch, linked in html. */
function branch(view) {
	return view.branch_url ? link("branch_url", variable("branch")) : variable("branch");
}
function workflowName(view) {
	return view.github.workflow ? variable("github.workflow") : "workflow";
}
/** ` on main`, linked in html. */
function onBranch(view) {
	return view.branch ? [" on ", branch(view)] : [];
}
/** ` — "Fix parser" (feature/x, abc1234)`: what was built. */
function commitFacts(view, parens) {
	const pieces = [];
	if (view.commit_title) pieces.push(" — ", ...quoted$1(variable("commit_title")));
	const inParens = [...parens];
	if (view.short_sha) {
		const sha = code(variable("short_sha"));
		inParens.push([view.commit_url ? link("commit_url", sha) : sha]);
	}
	if (inParens.length > 0) pieces.push(" (", ...inParens.flatMap(joinWith(", ")), ")");
	return pieces;
}
// src/context/events/deployment.ts
/**
* `deployment` and `deployment_status`: what was deployed (the ref and commit), where (the
* environment and its URL), how it went and who did it — `✅ acme/app: Deployed v1.4.2 to
* production`. On `deployment_status` the deployment's state is the news: it is the status
* reported (deployment-state.ts), unless the job itself failed or was cancelled.
*
* A payload without an environment has no part: the run gets the generic words. Every link is
* kept only as a normalised http(s) URL, every name on one line and bounded.
*/
/** Longest environment, ref and creator kept (GitHub's own limits are smaller). */
const MAX_NAME = 100;
const MAX_DESCRIPTION = 200;
/** A name from the payload: one line, at most `max` characters. */
function bounded(value, max = MAX_NAME) {
	const flat = clean(value);
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
/** A 40- (or 64-) hex commit id. */
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;
const part$3 = {
	key: "deployment",
	shape: {
		environment: "",
		url: "",
		state: "",
		ref: "",
		sha: "",
		creator: "",
		description: ""
	},
	read(event, eventName) {
		if (eventName !== "deployment" && eventName !== "deployment_status") return void 0;
		const deployment = record(event, "deployment");
		const status = record(event, "deployment_status");
		const environment = bounded(text$1(status, "environment") || text$1(deployment, "environment"));
		if (!environment) return void 0;
		const state = text$1(status, "state").toLowerCase();
		const sha = text$1(deployment, "sha");
		return {
			environment,
			url: urlOf$1(event, status, environment),
			state: DEPLOYMENT_STATES.includes(state) ? state : "",
			ref: bounded(text$1(deployment, "ref"), 255),
			sha: SHA.test(sha) ? sha.toLowerCase() : "",
			creator: bounded(text$1(record(status, "creator"), "login") || text$1(record(deployment, "creator"), "login")),
			description: bounded(text$1(status, "description") || text$1(deployment, "description"), MAX_DESCRIPTION)
		};
	}
};
/** The first web page of: the environment, the deployment's log, the environment on GitHub. */
function urlOf$1(event, status, env) {
	const own = pageUrl(text$1(status, "environment_url")) || pageUrl(text$1(status, "log_url")) || pageUrl(text$1(status, "target_url"));
	if (own) return own;
	const repo = pageUrl(text$1(record(event, "repository"), "html_url"));
	return repo ? `${repo.replace(/\/+$/, "")}/deployments/${encodeURIComponent(env)}` : "";
}
const deployment = {
	name: "deployment",
	matches: (eventName) => eventName === "deployment" || eventName === "deployment_status",
	part: part$3,
	facts(event) {
		const d = record(event, "deployment");
		const ref = text$1(d, "ref");
		const sha = text$1(d, "sha");
		return {
			...SHA.test(sha) ? { sha } : {},
			...ref && !SHA.test(ref) ? { branch: ref } : {},
			status: statusOfState(text$1(record(event, "deployment_status"), "state"))
		};
	},
	message: deploymentSpec,
	card: {
		title: (view, repo) => `${repo} — ${sentence(view)}`,
		url: (view) => view.deployment.url,
		description: (view) => view.deployment.description,
		attributes: (view) => [[
			"Environment",
			view.deployment.environment,
			{}
		], [
			"URL",
			view.deployment.url,
			view.deployment.url ? { url: view.deployment.url } : {}
		]]
	}
};
/** What was deployed, as the headline names it: the ref, or the short commit. */
function refPiece(view) {
	const { ref } = view.deployment;
	if (ref && !SHA.test(ref)) return [variable("deployment.ref")];
	return view.short_sha ? [code(variable("short_sha"))] : [];
}
/**
* `Deployed v1.4.2 to production`, `Deploying … started`, `Deploy of … failed`: the outcome's
* words around what and where, as pieces (`env` is the environment, linked or not).
*/
function wording(view, what, env) {
	const of = what.length > 0 ? [" ", ...what] : [];
	switch (view.outcome) {
		case "success": return [
			"Deployed",
			...of,
			" to ",
			env
		];
		case "started": return [
			"Deploying",
			...of,
			" to ",
			env,
			` ${view.status_text || "started"}`
		];
		default: return [
			view.status === "inactive" ? "Deployment" : "Deploy",
			...of.length > 0 ? [" of", ...of] : [],
			" to ",
			env,
			`${view.outcome === "unknown" ? ":" : ""} ${view.status_text || "finished"}`
		];
	}
}
/** The headline's words as plain text, for the card's title. */
function sentence(view) {
	const { ref } = view.deployment;
	const what = ref && !SHA.test(ref) ? ref : view.short_sha;
	return wording(view, what ? [what] : [], view.deployment.environment).join("");
}
function deploymentSpec(view) {
	const d = view.deployment;
	const env = bold(variable("deployment.environment"));
	const headline = [
		...repository(view),
		": ",
		...wording(view, refPiece(view), d.url ? link("deployment.url", env) : env)
	];
	if (d.description) headline.push(" — ", ...quoted$1(variable("deployment.description")));
	if (d.ref && !SHA.test(d.ref) && view.short_sha) {
		const sha = code(variable("short_sha"));
		headline.push(" (", view.commit_url ? link("commit_url", sha) : sha, ")");
	}
	if (d.creator) headline.push(" by ", variable("deployment.creator"));
	else if (view.actor) headline.push(" by ", variable("actor"));
	const deployed = d.url ? {
		url: "deployment.url",
		label: ["view deployment"]
	} : void 0;
	const run = runLink(view).link;
	if (view.outcome === "failure" && run) return {
		headline,
		link: run,
		...deployed ? { also: [deployed] } : {}
	};
	if (deployed) return {
		headline,
		link: deployed
	};
	return run ? {
		headline,
		link: run
	} : { headline };
}
// src/context/events/subject.ts
/**
* What happened to what, for the events without a module of their own: the payload's `action`
* and its subject — an issue, pull request or discussion (number and title), a check run (its
* name), a ref (and whether branch or tag), a merge group (its head), a dispatch (its type), a
* commit status (its context and state). `{{subject.*}}`, and the words the generic message
* puts in its parentheses: `(issue #7 “Something is broken” opened, 9f8e7d6)`.
*
* Every payload word that becomes one of our literals (the action, a state, a ref type) is
* checked against a small pattern first; titles and names stay view variables, escaped and
* defused by the template, on one bounded line.
*/
const EMPTY = {
	action: "",
	what: "",
	number: 0,
	name: "",
	state: "",
	url: ""
};
/** A word of GitHub's vocabulary (`opened`, `checks_requested`), as words; '' for anything else. */
function word(value) {
	return /^[a-z][a-z_]{0,39}$/.test(value) ? value.replace(/_/g, " ") : "";
}
/** A title or name: one line, at most 120 characters. */
function name(value) {
	const flat = clean(value);
	return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
/** A page of the subject: https only, as every link a message shows (pageUrl normalises it). */
function httpsPage(value) {
	const url = pageUrl(value);
	return url.startsWith("https://") ? url : "";
}
function numberOf(value) {
	const n = typeof value === "number" ? value : NaN;
	return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
/** An issue, pull request or discussion (`key` of the payload). */
function thread(event, key, what) {
	const item = record(event, key);
	return {
		what: key === "issue" && Object.keys(record(item, "pull_request")).length > 0 ? "PR" : what,
		number: numberOf(item["number"]),
		name: name(text$1(item, "title")),
		url: httpsPage(text$1(item, "html_url"))
	};
}
/** The subject of each event that has one, beyond its action. */
const SUBJECTS = {
	issues: (e) => thread(e, "issue", "issue"),
	issue_comment: (e) => thread(e, "issue", "issue"),
	discussion: (e) => thread(e, "discussion", "discussion"),
	discussion_comment: (e) => thread(e, "discussion", "discussion"),
	check_run: (e) => {
		const run = record(e, "check_run");
		return {
			what: "check run",
			name: name(text$1(run, "name")),
			state: word(text$1(run, "conclusion") || text$1(run, "status")),
			url: httpsPage(text$1(run, "html_url"))
		};
	},
	check_suite: (e) => {
		const suite = record(e, "check_suite");
		return {
			what: "check suite",
			name: name(text$1(record(suite, "app"), "name")),
			state: word(text$1(suite, "conclusion") || text$1(suite, "status"))
		};
	},
	create: (e) => ref(e, "created"),
	delete: (e) => ref(e, "deleted"),
	merge_group: (e) => ({
		what: "merge group",
		name: name(text$1(record(e, "merge_group"), "head_ref").replace(/^refs\/heads\//, ""))
	}),
	repository_dispatch: (e) => ({
		what: "dispatch",
		name: name(text$1(e, "action")),
		action: ""
	}),
	status: (e) => ({
		what: "commit status",
		name: name(text$1(e, "context")),
		state: word(text$1(e, "state")),
		url: httpsPage(text$1(e, "target_url"))
	}),
	pull_request_review: (e) => ({
		what: "review",
		state: word(text$1(record(e, "review"), "state").toLowerCase()),
		url: httpsPage(text$1(record(e, "review"), "html_url"))
	})
};
/** `create` and `delete`: the ref, and whether it is a branch or a tag. */
function ref(event, action) {
	const type = text$1(event, "ref_type");
	return {
		what: type === "branch" || type === "tag" ? type : "ref",
		name: name(text$1(event, "ref")),
		action
	};
}
/** Read for every run (empty for events without an action or a subject), so always there. */
const subjectPart = {
	key: "subject",
	shape: EMPTY,
	read(event, eventName) {
		const own = Object.hasOwn(SUBJECTS, eventName) ? SUBJECTS[eventName](event) : {};
		return {
			...EMPTY,
			action: word(text$1(event, "action")),
			...own
		};
	}
};
/** `#7 “Something is broken”`, the number linked to the subject's page in html. */
function numbered(view) {
	const s = view.subject;
	const number = ["#", variable("subject.number")];
	const pieces = [
		s.what,
		" ",
		...s.url ? [link("subject.url", ...number)] : number
	];
	if (s.name) pieces.push(" ", ...quoted$1(variable("subject.name")));
	return pieces;
}
/** `“lint”`, linked to the subject's page in html. */
function named(view) {
	const s = view.subject;
	const quotedName = quoted$1(variable("subject.name"));
	return s.url ? [link("subject.url", ...quotedName)] : quotedName;
}
/**
* What happened to what, for the generic message's parentheses; the event's name (and its
* action) when it has no subject the action can name.
*/
function subjectPhrase(view) {
	const s = view.subject;
	const event = view.github.event_name;
	const action = s.action ? ` ${s.action}` : "";
	const state = s.state ? [": ", variable("subject.state")] : [];
	if (s.number > 0) {
		if (event.endsWith("_comment")) return [`comment${action} on `, ...numbered(view)];
		return [...numbered(view), action];
	}
	if (s.name) {
		if (s.what === "branch" || s.what === "tag" || s.what === "ref" || s.what === "merge group") return [
			`${s.what} `,
			variable("subject.name"),
			action
		];
		if (s.what === "dispatch") return ["dispatch ", ...named(view)];
		return [
			`${s.what} `,
			...named(view),
			action,
			...state
		];
	}
	if (s.what && s.what !== "review") return [
		s.what,
		action,
		...state
	];
	return event ? [variable("github.event_name"), action] : [];
}
// src/context/events/fallback.ts
const fallback = {
	name: "fallback",
	matches: () => true,
	part: subjectPart,
	message: (view) => {
		const phrase = subjectPhrase(view);
		return runSpec(view, { parens: phrase.length > 0 ? [phrase] : [] });
	},
	card: {
		subject: (view) => view.subject.number > 0 ? `#${view.subject.number}` : "",
		laterDescription: (view) => view.subject.name
	}
};
const pullRequest = {
	name: "pull_request",
	matches: (eventName) => eventName.startsWith("pull_request"),
	part: {
		key: "pull_request",
		shape: {
			number: 0,
			title: "",
			url: "",
			author: "",
			base: "",
			head: ""
		},
		read(event) {
			const pr = record(event, "pull_request");
			if (Object.keys(pr).length === 0) return void 0;
			const number = pr["number"];
			return {
				number: typeof number === "number" ? number : Number(text$1(event, "number")) || 0,
				title: firstLine(text$1(pr, "title")),
				url: webUrl(text$1(pr, "html_url")),
				author: text$1(record(pr, "user"), "login"),
				base: text$1(record(pr, "base"), "ref"),
				head: text$1(record(pr, "head"), "ref")
			};
		}
	},
	facts(event, github) {
		const pr = record(event, "pull_request");
		const head = record(pr, "head");
		return {
			sha: text$1(head, "sha"),
			branch: text$1(head, "ref") || github.head_ref,
			forkUrl: text$1(record(head, "repo"), "html_url"),
			title: text$1(pr, "title")
		};
	},
	message(view) {
		const pr = view.pull_request;
		if (pr.number <= 0) return runSpec(view);
		const label = ["PR #", { variable: "pull_request.number" }];
		const where = pr.url ? [" on ", {
			href: "pull_request.url",
			body: label
		}] : [" on ", ...label];
		const review = view.subject;
		const parens = review?.what === "review" && review.state ? [["review ", variable("subject.state")]] : [];
		if (view.branch) parens.push([branch(view)]);
		return runSpec(view, {
			where,
			parens
		});
	},
	card: {
		subject: (view) => `#${view.pull_request.number}`,
		laterDescription: (view) => clean(view.pull_request.title)
	}
};
// src/context/events/push.ts
/** Whether the push deleted its ref (GitHub's `deleted: true`). */
function deletes(event) {
	return event["deleted"] === true;
}
/** ` — deleted tag v1.0`: what the push did, instead of where it built. */
function deletion(view) {
	const kind = view.github.ref.startsWith("refs/tags/") ? "tag" : "branch";
	return { where: view.branch ? [` — deleted ${kind} `, variable("branch")] : [" — deleted a ref"] };
}
const push = {
	name: "push",
	matches: (eventName) => eventName === "push",
	part: void 0,
	facts: (event) => deletes(event) ? { deletedRef: true } : {},
	message: (view) => runSpec(view, deletes(view.github.event) ? deletion(view) : {})
};
const release = {
	name: "release",
	matches: (eventName) => eventName === "release",
	part: {
		key: "release",
		shape: {
			tag: "",
			name: "",
			url: "",
			prerelease: false,
			author: ""
		},
		read(event, eventName) {
			if (eventName !== "release") return void 0;
			const release = record(event, "release");
			const tag = text$1(release, "tag_name");
			return {
				tag,
				name: text$1(release, "name").trim() || tag,
				url: text$1(event, "action") === "deleted" ? "" : webUrl(text$1(release, "html_url")),
				prerelease: release["prerelease"] === true,
				author: text$1(record(release, "author"), "login")
			};
		}
	},
	message: releaseSpec,
	card: {
		title: (view, repo) => view.outcome === "success" || view.outcome === "none" ? `${repo} ${tagOf(view)} ${actionVerb(view) || (view.release.prerelease ? "pre-released" : "released")}` : "",
		subject: tagOf,
		verb: (view) => clean(view.status_text) || "finished",
		url: (view) => view.release.url,
		description: (view) => clean(view.release.name)
	}
};
function tagOf(view) {
	return clean(view.release.tag) || clean(view.release.name);
}
function releaseSpec(view) {
	const { release } = view;
	const headline = [...repository(view), ": "];
	const verb = workflowVerb(view.outcome);
	const tag = !release.tag ? [] : verb && release.url ? [link("release.url", variable("release.tag"))] : [variable("release.tag")];
	if (verb) {
		headline.push("release workflow ");
		if (view.github.workflow) headline.push(bold(variable("github.workflow")), " ");
		headline.push(verb, ...failedStepPhrase(view), ...tag.length > 0 ? [" for ", ...tag] : []);
	} else headline.push(...announcement(view, release.prerelease, tag));
	headline.push(...jobCountsPhrase(view));
	if (release.name && release.name !== release.tag) headline.push(" — ", ...quoted$1(variable("release.name")));
	if (release.author) headline.push(" by ", variable("release.author"));
	else if (view.actor) headline.push(" by ", variable("actor"));
	if (verb) return {
		headline,
		...runLink(view)
	};
	return release.url ? {
		headline,
		link: {
			url: "release.url",
			label: ["release notes"]
		}
	} : { headline };
}
/** What the release's workflow did, when that (not the release) is the news; '' otherwise. */
function workflowVerb(outcome) {
	if (outcome === "failure") return "failed";
	if (outcome === "cancelled") return "was cancelled";
	if (outcome === "unknown") return "outcome unknown";
	return outcome === "started" ? "started" : "";
}
/** The event's action says what happened to the release; `published` is the usual trigger. */
const ACTION_VERBS = {
	edited: "updated",
	deleted: "deleted",
	unpublished: "unpublished",
	created: "created"
};
/** What the event's action did to the release, as message and card say it; '' for others. */
function actionVerb(view) {
	const action = text$1(view.github.event, "action");
	return Object.hasOwn(ACTION_VERBS, action) ? ACTION_VERBS[action] ?? "" : "";
}
function announcement(view, prerelease, tag) {
	const verb = actionVerb(view);
	const named = tag.length > 0 ? [" ", ...tag] : [];
	if (verb) return [
		"release",
		...named,
		` ${verb}`
	];
	if (prerelease) return [
		"pre-release",
		...named,
		" published"
	];
	return tag.length > 0 ? [...tag, " released"] : ["release published"];
}
// src/context/events/registry.ts
/**
* The event kinds, in the order they are tried: the first that matches a run describes it, and
* `fallback` matches every run. Adding an event: one module beside this one, its fixture in
* __tests__/fixtures/events/ and its test, and one line in `EVENT_KINDS`.
*/
const KINDS = [
	push,
	pullRequest,
	release,
	{
		name: "workflow_run",
		matches: (eventName) => eventName === "workflow_run",
		part: {
			key: "workflow_run",
			shape: {
				name: "",
				conclusion: "",
				url: "",
				branch: "",
				event: ""
			},
			read(event, eventName) {
				if (eventName !== "workflow_run") return void 0;
				const run = record(event, "workflow_run");
				return {
					name: text$1(run, "name"),
					conclusion: text$1(run, "conclusion"),
					url: webUrl(text$1(run, "html_url")),
					branch: text$1(run, "head_branch"),
					event: text$1(run, "event")
				};
			}
		},
		facts(event) {
			const run = record(event, "workflow_run");
			return {
				sha: text$1(run, "head_sha"),
				branch: text$1(run, "head_branch"),
				forkUrl: text$1(record(run, "head_repository"), "html_url"),
				laterTitle: text$1(record(run, "head_commit"), "message") || text$1(run, "display_title")
			};
		},
		message: (view) => runSpec(view, {
			workflowName: view.workflow_run.name ? variable("workflow_run.name") : void 0,
			link: view.workflow_run.url ? {
				url: "workflow_run.url",
				label: ["view run"]
			} : void 0
		}),
		card: {
			workflow: (view) => clean(view.workflow_run.name),
			url: (view) => view.workflow_run.url
		}
	},
	{
		name: "schedule",
		matches: (eventName) => eventName === "schedule",
		part: void 0,
		message: (view) => runSpec(view, {
			prefix: "scheduled run of ",
			byActor: false
		}),
		anonymous: true
	},
	{
		name: "workflow_dispatch",
		matches: (eventName) => eventName === "workflow_dispatch",
		part: void 0,
		message: (view) => runSpec(view, { prefix: "manual run of " })
	},
	deployment,
	fallback
];
/** Whether the view has the kind's part (kinds without a part need none). */
function hasPart(kind, view) {
	return !kind.part || view[kind.part.key] !== void 0;
}
/** The kind that describes this run: its event matches, and the run has the kind's part. */
function kindOf(view) {
	const name = view.github.event_name;
	return KINDS.find((kind) => kind.matches(name) && hasPart(kind, view));
}
/** The facts the payload knows better than the GITHUB_* variables, by the event's kind. */
function runFacts(event, github) {
	return KINDS.find((k) => k.facts && k.matches(github.event_name))?.facts?.(event, github) ?? {};
}
/** Every part this payload has, keyed as the view names them. */
function viewParts(event, eventName) {
	const parts = {};
	for (const kind of KINDS) {
		const value = kind.part?.read(event, eventName);
		if (kind.part && value !== void 0) parts[kind.part.key] = value;
	}
	return parts;
}
/** Every part's definition, for a view that lacks it: what template variables there are. */
function partShapes() {
	const shapes = {};
	for (const kind of KINDS) if (kind.part) shapes[kind.part.key] = kind.part.shape;
	return shapes;
}
/**
* The card's word `key` for this view: the first a kind with a part here has to say, '' when
* none has.
*/
function cardWord(view, key) {
	for (const kind of KINDS) {
		if (!kind.part || !hasPart(kind, view)) continue;
		const word = kind.card?.[key]?.(view);
		if (word) return word;
	}
	return "";
}
/** A card title of a kind's own for this view, '' when none has one. */
function cardTitle(view, repo) {
	for (const kind of KINDS) {
		if (!kind.part || !hasPart(kind, view)) continue;
		const title = kind.card?.title?.(view, repo);
		if (title) return title;
	}
	return "";
}
/** The card attributes of the kind with a part here that has some; none when no kind has. */
function cardAttributes(view) {
	for (const kind of KINDS) {
		if (!kind.part || !hasPart(kind, view)) continue;
		const rows = kind.card?.attributes?.(view);
		if (rows && rows.length > 0) return rows;
	}
	return [];
}
// src/text/duration.ts
/** Durations as messages and cards say them. */
/** `42s`, `4m 05s`, `1h 02m`; `''` when unknown (missing, negative, not a number). */
function formatDuration(seconds) {
	if (seconds === void 0 || !Number.isFinite(seconds) || seconds < 0) return "";
	const total = Math.round(seconds);
	const h = Math.floor(total / 3600);
	const m = Math.floor(total % 3600 / 60);
	const s = total % 60;
	const pad = (n) => String(n).padStart(2, "0");
	if (h > 0) return `${h}h ${pad(m)}m`;
	if (m > 0) return `${m}m ${pad(s)}s`;
	return `${s}s`;
}
// src/whole-run/view.ts
/**
* What the whole-run features add to the template view: `job_url`, `failed_step`, `jobs[]`,
* `jobs_total`, `jobs_failed`. Every name is always present (empty without API facts), so a
* template naming them renders on any run and is never reported as a typo.
*/
/** The whole-run view with nothing known. */
function emptyWholeRunView() {
	return {
		job_url: "",
		failed_step: "",
		jobs: [],
		jobs_total: 0,
		jobs_failed: 0,
		jobs_note: ""
	};
}
/** The view for what the API told; empty names where it told nothing. */
function wholeRunViewOf(facts) {
	if (!facts) return emptyWholeRunView();
	const jobs = facts.jobs.map(jobView);
	return {
		job_url: facts.own?.url ?? "",
		failed_step: facts.own?.failedStep ?? "",
		jobs,
		jobs_total: jobs.length + (facts.missing ?? 0),
		jobs_failed: tally(jobs.map((j) => j.conclusion)).failed,
		jobs_note: facts.note ?? ""
	};
}
function jobView(job) {
	return {
		name: job.name,
		conclusion: job.conclusion,
		url: job.url,
		duration: formatDuration(job.durationSeconds),
		failed_step: job.failedStep,
		log: (job.log ?? []).join("\n"),
		attempt: job.attempt
	};
}
// src/context/view.ts
const ICONS = {
	success: "✅",
	failure: "❌",
	cancelled: "⚪",
	started: "🚀",
	unknown: "❔",
	none: "🔵"
};
/**
* Build the template view from the runner's `GITHUB_*` variables and the event payload.
* Every string in the result is defined ('' when the fact is unknown), so no template can
* print "undefined", whatever the event.
*
* @param env the runner's variables (only `GITHUB_*` names are read)
* @param event the parsed event payload, `{}` when there is none
* @param status the outcome to report, e.g. `${{ job.status }}` or a run's conclusion;
*   case-insensitive
* @param extra the previous run's status and whether it changed, from `send-when`
*/
function buildView(env, event, status, extra = {}) {
	const github = githubView(env, event);
	const facts = runFacts(event, github);
	const normalized = reportedStatus(normalizeStatus(status), facts.status);
	const outcome = outcomeOf(normalized);
	const repositoryUrl = joinUrl(github.server_url, github.repository);
	const commitSha = facts.deletedRef ? "" : facts.sha || github.sha;
	const branch = facts.branch || github.ref_name;
	const branchRepositoryUrl = webUrl(facts.forkUrl ?? "") || repositoryUrl;
	const commitTitle = facts.title || text$1(record(event, "head_commit"), "message") || facts.laterTitle || "";
	return withAnswers({
		github,
		status: normalized,
		status_text: statusText(normalized),
		outcome,
		status_icon: ICONS[outcome],
		actor: github.triggering_actor || github.actor,
		short_sha: commitSha.slice(0, 7),
		commit_sha: commitSha,
		run_url: runUrl(repositoryUrl, github.run_id, github.run_attempt),
		repository_url: repositoryUrl,
		commit_url: repositoryUrl && commitSha ? `${repositoryUrl}/commit/${commitSha}` : "",
		commit_title: firstLine(commitTitle),
		branch,
		branch_url: facts.deletedRef ? "" : branchUrl(branchRepositoryUrl, branch),
		compare_url: extra.commits?.compareUrl || webUrl(text$1(event, "compare")),
		commits: extra.commits?.commits ?? [],
		commits_more: extra.commits?.more ?? 0,
		duration: formatDuration(extra.durationSeconds),
		...viewParts(event, github.event_name),
		previous_status: "",
		changed: false,
		...optional("vars", extra.vars),
		mention: "",
		...optional("tests", extra.tests),
		...wholeRunViewOf(extra.run)
	}, extra);
}
/**
* `view` completed with the send-when step's and the people step's answers: the previous run's
* status, whether this one changed, who `{{mention}}` names. A run builds its view once, before
* those steps read it; their answers are set here, without building it again.
*/
function withAnswers(view, answers) {
	const previous = normalizeStatus(answers.previousStatus);
	return {
		...view,
		previous_status: previous,
		changed: answers.changed ?? outcomeChanged(previous, view.status),
		mention: answers.mention ?? ""
	};
}
/**
* The status reported: the payload's own (a deployment's state) when it has one, unless the
* `status` input says the job itself failed or was cancelled — that is news the state cannot
* tell (a failed smoke test after a successful deploy).
*/
function reportedStatus(input, payload) {
	if (!payload) return input;
	const own = outcomeOf(input);
	return own === "failure" || own === "cancelled" ? input : payload;
}
function githubView(env, event) {
	const get = (name) => env[`GITHUB_${name}`] ?? "";
	const ref = get("REF");
	return {
		repository: get("REPOSITORY"),
		repository_owner: get("REPOSITORY_OWNER") || get("REPOSITORY").split("/")[0] || "",
		actor: get("ACTOR"),
		triggering_actor: get("TRIGGERING_ACTOR"),
		sha: get("SHA"),
		ref,
		ref_name: get("REF_NAME") || ref.replace(/^refs\/(heads|tags)\//, ""),
		head_ref: get("HEAD_REF"),
		base_ref: get("BASE_REF"),
		workflow: get("WORKFLOW"),
		job: get("JOB"),
		run_id: get("RUN_ID"),
		run_number: get("RUN_NUMBER"),
		run_attempt: get("RUN_ATTEMPT"),
		event_name: get("EVENT_NAME"),
		server_url: (get("SERVER_URL") || "https://github.com").replace(/\/+$/, ""),
		api_url: get("API_URL"),
		event
	};
}
function runUrl(repositoryUrl, runId, runAttempt) {
	if (!repositoryUrl || !runId) return "";
	const attempt = Number(runAttempt);
	const suffix = Number.isInteger(attempt) && attempt > 1 ? `/attempts/${attempt}` : "";
	return `${repositoryUrl}/actions/runs/${encodeURIComponent(runId)}${suffix}`;
}
function branchUrl(repositoryUrl, branch) {
	if (!repositoryUrl || !branch) return "";
	return `${repositoryUrl}/tree/${branch.split("/").map(encodeURIComponent).join("/")}`;
}
function joinUrl(serverUrl, repository) {
	return serverUrl && repository ? `${serverUrl}/${repository}` : "";
}
/** Spread helper: adds the key only when there is a value, so optional fields stay absent. */
function optional(key, value) {
	return value === void 0 ? {} : { [key]: value };
}
// src/context/event-file.ts
/**
* The event payload file the runner wrote (`GITHUB_EVENT_PATH`), read and parsed: the one piece
* of file I/O between the workflow's facts and the template view (context.ts).
*/
/**
* Read and parse the event payload the runner wrote (`GITHUB_EVENT_PATH`).
* No path (unset or empty) means no payload: `{}`. A path that cannot be read, is not JSON, or
* is not a JSON object is an error naming the path, so a broken runner setup is not mistaken
* for an event without facts.
*/
function readEvent(path) {
	if (!path) return {};
	let raw;
	try {
		raw = (0, node_fs.readFileSync)(path, "utf8");
	} catch (error) {
		throw new Error(`Cannot read the event payload file ${path}: ${reason(error)}`, { cause: error });
	}
	let parsed;
	try {
		parsed = JSON.parse(raw.replace(/^\uFEFF/, ""));
	} catch (error) {
		throw new Error(`The event payload file ${path} is not valid JSON: ${reason(error)}`, { cause: error });
	}
	if (!isRecord(parsed)) throw new Error(`The event payload file ${path} does not hold a JSON object`);
	return parsed;
}
function isRecord(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
function reason(error) {
	return error instanceof Error ? error.message : String(error);
}
// src/message/tests-block.ts
/** The fragment for this view, or '' (not a failure, or no report was read). */
function testsBlock(view, format) {
	const tests = view.tests;
	if (view.outcome !== "failure" || !tests || tests.reports === 0) return "";
	const flaky = tests.flaky > 0 ? " ({{tests.flaky}} flaky)" : "";
	const totals = [
		"failed",
		"errored",
		"passed",
		"skipped"
	].filter((key) => tests[key] > 0).map((key) => `{{tests.${key}}} ${key}${key === "passed" ? flaky : ""}`).join(", ") || "none ran";
	if (format === "text") return [
		`\nTests: ${totals}`,
		"{{#tests.failures}}\n✗ {{name}}{{#file}} ({{file}}){{/file}}{{#message}}: {{message}}{{/message}}{{/tests.failures}}",
		"{{#tests.more_failures}}\n… and {{tests.more_failures}} more{{/tests.more_failures}}"
	].join("");
	return [
		`<br><b>Tests:</b> ${totals}`,
		"{{#tests.failures}}<br>✗ <code>{{name}}</code>{{#file}} ({{file}}){{/file}}{{#message}}: {{message}}{{/message}}{{/tests.failures}}",
		"{{#tests.more_failures}}<br>… and {{tests.more_failures}} more{{/tests.more_failures}}"
	].join("");
}
// src/message/commits-block.ts
/** The fragment for this view, or '' (no commits to list). */
function commitsBlock(view, format) {
	if (view.commits.length === 0) return "";
	if (format === "text") return ["{{#commits}}\n• {{short_sha}} {{title}}{{#author}} — {{author}}{{/author}}{{/commits}}", "{{#commits_more}}\n… and {{commits_more}} more{{#compare_url}}: {{compare_url}}{{/compare_url}}{{/commits_more}}"].join("");
	return ["{{#commits}}<br>• <a href=\"{{url}}\"><code>{{short_sha}}</code></a> {{title}}{{#author}} — {{author}}{{/author}}{{/commits}}", view.compare_url ? "{{#commits_more}}<br>… and <a href=\"{{compare_url}}\">{{commits_more}} more</a>{{/commits_more}}" : "{{#commits_more}}<br>… and {{commits_more}} more{{/commits_more}}"].join("");
}
// src/message/builtin.ts
/**
* The built-in Mustache template for this view's event and outcome, in `format`.
* It is a template, not a message: render it with `render(defaultTemplate(v, f), v, f)`
* (or `renderDefault`). Covers push, pull_request(_target) and their review events, release,
* workflow_dispatch, schedule, workflow_run, and any other event through a generic wording.
* A `followUp` (attached to the notification it answers) says only what happened since.
*/
function defaultTemplate(view, format, followUp = false) {
	const spec = followUp ? followUpSpec(view) : kindOf(view).message(view);
	const icon = view.status_icon ? "{{status_icon}} " : "";
	const cc = view.mention && view.outcome === "failure" ? " · cc {{mention}}" : "";
	const headline = `${icon}${emit(spec.headline, format)}${cc}`;
	const tests = commitsBlock(view, format) + testsBlock(view, format);
	const links = [
		...view.job_url && spec.link?.url === "run_url" ? [{
			url: "job_url",
			label: ["job"]
		}] : [],
		...spec.link ? [spec.link] : [],
		...spec.also ?? []
	];
	if (format === "text") return [headline, ...links.map((l) => `{{${l.url}}}`)].join("\n") + tests;
	return [headline, ...links.map((l) => `<a href="{{${l.url}}}">${emit(l.label, format)}</a>`)].join(" · ") + tests;
}
// src/message/template.ts
/**
* Messages from templates: render a Mustache template over the view, safely for the format,
* fit the result into HipChat's limit, and check templates before anything is sent.
*
* Safety rules, all enforced here and nowhere else:
* - `{{x}}` is HTML-escaped in `html`; in `text` it is inserted as-is except that @mentions in
*   the value are defused, so a PR title cannot ping the room. `{{{x}}}` / `{{& x}}` is verbatim.
* - The one live mention is a person value made by `personValue` (the `{{mention}}` variable):
*   `@mention_name` in `text` only when the action resolved that person itself; their name,
*   escaped or defused, in every other case (html, unresolved), whichever brace form is used.
* - Lookups see own data properties of the view only: no prototypes (`constructor`,
*   `__proto__`), no functions called, no environment (the view holds none).
*/
/**
* How each person value renders per format. Held outside the object, so no value copied from
* an event or a server (plain JSON) can pass for one: only `personValue` makes entries.
*/
const PERSON_RENDERINGS = /* @__PURE__ */ new WeakMap();
/**
* A person for the view's `{{mention}}`: with a valid `mentionName` it renders as a live
* `@mentionName` in `text`; without one (unresolved, a bot) as `name` with mentions defused.
* In `html`, where HipChat never pings, it is always `name`, escaped. `name` is untrusted.
*/
function personValue(name, mentionName = "") {
	const live = mentionName !== "" && isMentionName(mentionName);
	const value = Object.freeze({
		name,
		mention_name: live ? mentionName : ""
	});
	PERSON_RENDERINGS.set(value, {
		text: live ? `@${mentionName}` : defuseMentions(name),
		html: escapeHtml(name)
	});
	return value;
}
/**
* Render `template` over `view` for HipChat's `format`.
* Throws a `TemplateError` (with the line) when the template is malformed.
*/
function render(template, view, format) {
	const tokens = parseTemplate(template);
	const options = { escape: format === "html" ? escapeValueHtml : escapeValueText };
	const shared = writer();
	shared.format = format;
	return shared.renderTokens(tokens, new SafeContext(view), void 0, template, options);
}
function escapeValueHtml(value) {
	return personText(value, "html") ?? escapeHtml(stringify(value));
}
function escapeValueText(value) {
	return personText(value, "text") ?? defuseMentions(stringify(value));
}
function personText(value, format) {
	return typeof value === "object" && value !== null ? PERSON_RENDERINGS.get(value)?.[format] : void 0;
}
/**
* What a value looks like in a message: numbers and booleans as written, objects and arrays
* as JSON (`{{github.event.inputs}}` is more useful that way than `[object Object]`).
*/
function stringify(value) {
	if (typeof value === "string") return value;
	if (value === null || value === void 0) return "";
	if (typeof value === "object") return JSON.stringify(value) ?? "";
	return String(value);
}
const MISS = {
	found: false,
	value: void 0
};
/**
* Resolve a dotted `name` inside one view, through own properties of objects and arrays only.
* A function is treated as absent: the view is data, nothing in it is ever called.
*/
function resolveIn(view, name) {
	let current = view;
	for (const part of name.split(".")) {
		if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return MISS;
		current = current[part];
	}
	return typeof current === "function" ? MISS : {
		found: true,
		value: current
	};
}
/**
* Mustache's context stack with safe lookups. Like Mustache, a name is tried in the innermost
* section's view first and then outward (a dotted name must resolve whole within one view);
* unlike stock Mustache it never follows prototypes (`{{constructor}}`, `{{x.__proto__}}`)
* and never calls a function.
*/
var SafeContext = class SafeContext extends mustache.Context {
	push(view) {
		return new SafeContext(view, this);
	}
	lookup(name) {
		if (name === ".") return typeof this.view === "function" ? void 0 : this.view;
		const hit = resolveIn(this.view, name);
		if (hit.found) return hit.value;
		return this.parent ? this.parent.lookup(name) : void 0;
	}
};
/**
* `{{{x}}}` renders objects as JSON too (stock Mustache would print `[object Object]`), and a
* person value exactly as `{{x}}` would: its name comes from outside and is never verbatim.
*/
var SafeWriter = class extends mustache.Writer {
	/** The format of the render under way (renders are synchronous, one at a time). */
	format = "html";
	unescapedValue(token, context) {
		const value = context.lookup(token[1] ?? "");
		return personText(value, this.format) ?? stringify(value);
	}
};
let sharedWriter;
/**
* One writer for the process, made on first use. Its template cache is off: Mustache would
* otherwise keep every distinct template string forever, and parsing a notification template
* costs microseconds. A private writer also leaves the global `Mustache` untouched.
*/
function writer() {
	if (!sharedWriter) {
		sharedWriter = new SafeWriter();
		Object.assign(sharedWriter, { templateCache: void 0 });
	}
	return sharedWriter;
}
/**
* Names in `template` that resolve to nothing in `view`: typos like `{{github.repostory}}`.
* Resolution follows Mustache (and `render`): inside `{{#pull_request}}…{{/pull_request}}` a name
* is tried in the pull request first, then outward; dotted names and `.` are understood.
* View fields are checked against the view's shape (`{{pull_request.title}}` is known on a push),
* `github.event.*` against the actual payload. Section tags (`{{#…}}`, `{{^…}}`) over payload
* keys are not reported when absent: testing for a key that only some events carry is their
* purpose. Throws a `TemplateError` when the template is malformed.
*/
function unknownVariables(template, view) {
	const tokens = parseTemplate(template);
	const shaped = {
		...partShapes(),
		...definedParts(view)
	};
	const found = [];
	const seen = /* @__PURE__ */ new Set();
	const report = (name, index) => {
		const line = lineAt(template, index);
		const key = `${line}\n${name}`;
		if (seen.has(key)) return;
		seen.add(key);
		found.push({
			name,
			line
		});
	};
	checkTokens(tokens, [{
		views: [shaped],
		payload: false,
		opaque: false
	}], report);
	return found;
}
/** The view without the keys a run lacks (an absent part is `undefined` nowhere, but be sure). */
function definedParts(view) {
	return Object.fromEntries(Object.entries(view).filter(([, value]) => value !== void 0));
}
function checkTokens(tokens, stack, report) {
	for (const token of tokens) {
		const [type, name, start] = token;
		const children = Array.isArray(token[4]) ? token[4] : [];
		if (type === "name" || type === "&") {
			if (name !== "." && !find(stack, name).found && !isOpaque(stack)) report(name, start);
		} else if (type === "#" || type === "^") {
			const hit = name === "." ? {
				found: true,
				value: void 0,
				payload: false
			} : find(stack, name);
			const payloadScoped = isPayloadName(name) || stack.some((frame) => frame.payload);
			if (!hit.found && !payloadScoped && !isOpaque(stack)) report(name, start);
			checkTokens(children, type === "#" ? sectionStack(stack, hit) : stack, report);
		}
	}
}
/** The stack the children of `{{#name}}` are rendered with, as Mustache's renderSection does. */
function sectionStack(stack, hit) {
	const value = hit.value;
	const opaqueFrame = {
		views: [],
		payload: true,
		opaque: true
	};
	if (!hit.found || value === null || value === void 0) return [...stack, opaqueFrame];
	if (Array.isArray(value)) {
		if (value.length === 0) return [...stack, opaqueFrame];
		return [...stack, {
			views: value,
			payload: hit.payload,
			opaque: false
		}];
	}
	if (typeof value === "object") return [...stack, {
		views: [value],
		payload: hit.payload,
		opaque: false
	}];
	return stack;
}
function find(stack, name) {
	for (let depth = stack.length - 1; depth >= 0; depth--) {
		const frame = stack[depth];
		if (!frame) continue;
		for (const view of frame.views) {
			const hit = resolveIn(view, name);
			if (hit.found) return {
				...hit,
				payload: frame.payload || isPayloadName(name)
			};
		}
	}
	return {
		...MISS,
		payload: false
	};
}
function isPayloadName(name) {
	return name === "github.event" || name.startsWith("github.event.");
}
function isOpaque(stack) {
	return stack.some((frame) => frame.opaque);
}
// src/text/fit.ts
/** Cuts with `…`, never halving a surrogate pair. */
const ellipsis = (text, max) => {
	if (text.length <= max) return {
		head: text,
		tail: "",
		cut: false
	};
	if (max <= 0) return {
		head: "",
		tail: "",
		cut: true
	};
	let end = max - 1;
	const before = text.charCodeAt(end - 1);
	if (end > 0 && before >= 55296 && before <= 56319) end--;
	return {
		head: text.slice(0, end).trimEnd(),
		tail: "…",
		cut: true
	};
};
/**
* `text` redacted by `secrets`, then fitted to at most `max` UTF-16 units by `cut`.
* `alreadyCut`: the text was cut short before it got here (a bounded read), so its end is
* checked for a secret's beginning even when it fits.
*/
function fit$1(text, max, secrets, cut = ellipsis, alreadyCut = false) {
	const { head, tail, cut: wasCut } = cut(secrets.redactUntrusted(text), max);
	return wasCut || alreadyCut ? secrets.trimEdge(head) + tail : head + tail;
}
// src/text/secret-forms.ts
/**
* The forms of a secret that the runner masks in its own log, and that therefore must not reach
* the sinks that are ours (the message, outputs, step summary): the secret itself, its base64
* in each of the three alignments it can take inside a longer base64 text (and base64url), and
* its URL encoding. A token usually travels as `x-access-token:<token>` in Basic auth, so that
* pair's forms are included for every secret. Pure.
*/
/** Secrets shorter than this get no encoded forms: their encodings would blank ordinary words. */
const ENCODED_FROM = 8;
/** Every form of `secret` worth searching for, the secret first. */
function secretForms(secret) {
	const forms = /* @__PURE__ */ new Set([secret]);
	if (secret.length >= ENCODED_FROM) for (const value of [secret, `x-access-token:${secret}`]) {
		for (const form of base64Forms(value)) forms.add(form);
		const url = encodeURIComponent(value);
		forms.add(url);
		forms.add(url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()));
	}
	return [...forms].filter((form) => form.length >= Math.min(secret.length, ENCODED_FROM));
}
/**
* The base64 and base64url of `value` as it appears inside any longer base64 text: for each of
* the three byte offsets it may start at, the characters that depend on its bytes alone.
*/
function base64Forms(value) {
	const bytes = Buffer.from(value, "utf8");
	const forms = [];
	for (let skip = 0; skip < 3 && skip < bytes.length; skip++) {
		const rest = bytes.subarray(skip);
		const whole = Math.floor(rest.length / 3) * 4 + rest.length % 3;
		const encoded = rest.toString("base64").slice(0, whole);
		forms.push(encoded, encoded.replace(/\+/g, "-").replace(/\//g, "_"));
	}
	return forms;
}
const PIECEWISE = 16;
/** Shortest beginning of a secret removed where a cut ends a text (`trimEdge`). */
const EDGE = 4;
/** A growing set of secrets (the add-on token joins once minted). */
var Secrets = class {
	#values = /* @__PURE__ */ new Set();
	#index;
	/** Adds a secret (and each line of a multi-line one, as the runner masks line by line). */
	add(secret) {
		if (!secret) return;
		this.#values.add(secret);
		const lines = secret.split(/\r?\n/).map((line) => line.trim());
		if (lines.length > 1) {
			for (const line of lines) if (line) this.#values.add(line);
		}
		this.#index = void 0;
	}
	/** The secrets, longest first. */
	list() {
		return [...this.#values].sort((a, b) => b.length - a.length);
	}
	/** `text` with every secret, and every fragment of one, in every form, replaced by `***`. */
	redactUntrusted(text) {
		return this.#values.size === 0 ? text : this.#indexed().redact(text, true);
	}
	/** `text` with every whole secret, in every form, replaced by `***`. */
	redact(text) {
		return this.#values.size === 0 ? text : this.#indexed().redact(text, false);
	}
	/** `head` with a secret's beginning (4 characters or more, any form) at its end replaced. */
	trimEdge(head) {
		return this.#values.size === 0 ? head : this.#indexed().trimEdge(head);
	}
	/** Whether `text` still holds a secret or a fragment of one. */
	holds(text) {
		return this.#values.size > 0 && this.#indexed().marks(text, true).includes(1);
	}
	#indexed() {
		this.#index ??= new SecretIndex(this.list());
		return this.#index;
	}
};
/** No secrets: for callers that have none (the preview). */
const NO_SECRETS = {
	redactUntrusted: (text) => text,
	trimEdge: (head) => head
};
/**
* Every form of a set of secrets, indexed for scanning: whole forms by their first `FRAGMENT`
* characters (shorter forms by length), the `FRAGMENT`-character runs of long forms, and the
* beginnings of every form for `trimEdge`. Built once; each scan is one pass over the text.
*/
var SecretIndex = class {
	/** Long forms (≥ FRAGMENT) by their first FRAGMENT characters. */
	#byHead = /* @__PURE__ */ new Map();
	/** Short forms by length. */
	#short = /* @__PURE__ */ new Map();
	/** Every FRAGMENT-character run of a form of PIECEWISE characters or more. */
	#grams = /* @__PURE__ */ new Set();
	/** Beginnings (EDGE characters or more, short of the whole) of every form. */
	#heads = /* @__PURE__ */ new Set();
	#longestHead = 0;
	constructor(secrets) {
		for (const form of new Set(secrets.filter(Boolean).flatMap(secretForms))) this.#addForm(form);
	}
	#addForm(form) {
		if (form.length >= 12) {
			const head = form.slice(0, 12);
			this.#byHead.set(head, [...this.#byHead.get(head) ?? [], form]);
		} else {
			const same = this.#short.get(form.length) ?? /* @__PURE__ */ new Set();
			this.#short.set(form.length, same.add(form));
		}
		if (form.length >= PIECEWISE) for (let i = 0; i + 12 <= form.length; i++) this.#grams.add(form.slice(i, i + 12));
		for (let k = EDGE; k < form.length; k++) this.#heads.add(form.slice(0, k));
		this.#longestHead = Math.max(this.#longestHead, form.length - 1);
	}
	/** 1 for each character of `text` inside a form (or, with `fragments`, a run of one). */
	marks(text, fragments) {
		const marks = new Uint8Array(text.length);
		for (let i = 0; i + 12 <= text.length; i++) {
			const gram = text.slice(i, i + 12);
			if (fragments && this.#grams.has(gram)) marks.fill(1, i, i + 12);
			for (const form of this.#byHead.get(gram) ?? []) if (text.startsWith(form, i)) marks.fill(1, i, i + form.length);
		}
		for (const [size, forms] of this.#short) for (let i = 0; i + size <= text.length; i++) if (forms.has(text.slice(i, i + size))) marks.fill(1, i, i + size);
		return marks;
	}
	/** `text` with what `marks` covers replaced by `***`, adjacent pieces as one. */
	redact(text, fragments) {
		if (!text) return text;
		const marks = this.marks(text, fragments);
		if (!marks.includes(1)) return text;
		let out = "";
		for (let i = 0; i < text.length; i++) if (!marks[i]) out += text[i];
		else if (i === 0 || !marks[i - 1]) out += "***";
		return out;
	}
	/** `head` with the longest beginning of a form that ends it replaced by `***`. */
	trimEdge(head) {
		for (let k = Math.min(this.#longestHead, head.length); k >= EDGE; k--) if (this.#heads.has(head.slice(head.length - k))) return `${head.slice(0, -k)}***`;
		return head;
	}
};
/** Every string in `value` (objects and arrays walked) redacted as untrusted: the posted message. */
function redactDeep(value, secrets) {
	if (typeof value === "string") return secrets.redactUntrusted(value);
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
	if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)]));
	return value;
}
// src/message/truncate.ts
/** Appended where a message was cut to fit. */
const TRUNCATION_MARKER = "… [truncated]";
/**
* Cut `message` to at most `max` characters, ending with `TRUNCATION_MARKER`.
*
* Characters are UTF-16 code units (JavaScript's `length`): HipChat Server is Java, whose
* `String.length()` counts the same way, and a server counting code points instead sees fewer,
* so the message fits either way. The cut never splits a surrogate pair. In `html` it never
* leaves half an entity (`&am`) or half a tag (`<a hre`), and it closes the elements left
* open (`</a></b>`) before the marker, all within `max`. In `text` it keeps a defused `@`
* defused.
*/
function truncate(message, format, max = MAX_MESSAGE_LENGTH, secrets = NO_SECRETS) {
	let truncated = false;
	return {
		message: fit$1(message, max, secrets, (text, limit) => {
			const cut = cutMessage(text, format, limit);
			truncated = cut.cut;
			return cut;
		}),
		truncated,
		originalLength: message.length
	};
}
/** The cut `truncate` makes: the head kept, and the closing tags and marker after it. */
function cutMessage(message, format, max) {
	if (message.length <= max) return {
		head: message,
		tail: "",
		cut: false
	};
	const marker = max > 13 ? TRUNCATION_MARKER : "";
	let cut = max - marker.length;
	for (;;) {
		cut = format === "html" ? htmlSafeCut(message, cut) : textSafeCut(message, cut);
		const closers = format === "html" ? closingTags(message.slice(0, cut)) : "";
		const overflow = cut + closers.length + marker.length - max;
		if (overflow <= 0) return {
			head: message.slice(0, cut),
			tail: closers + marker,
			cut: true
		};
		cut -= overflow;
	}
}
/** Move `cut` back so it does not fall inside a surrogate pair. */
function surrogateSafeCut(message, cut) {
	if (cut <= 0) return 0;
	const before = message.charCodeAt(cut - 1);
	return before >= 55296 && before <= 56319 ? cut - 1 : cut;
}
function textSafeCut(message, cut) {
	const safe = surrogateSafeCut(message, cut);
	if (message[safe - 1] === "@" && message[safe] === "⁠") return safe - 1;
	const partial = /(?<![\p{L}\p{N}_])@[\p{L}\p{N}_]*$/u.exec(message.slice(0, safe));
	if (partial && /^[\p{L}\p{N}_]/u.test(message.slice(safe))) return partial.index;
	return safe;
}
function htmlSafeCut(message, cut) {
	let safe = surrogateSafeCut(message, cut);
	const head = message.slice(0, safe);
	const tagStart = head.lastIndexOf("<");
	if (tagStart > head.lastIndexOf(">")) safe = tagStart;
	const entity = /&[#a-zA-Z0-9]*$/.exec(message.slice(0, safe));
	if (entity) safe = entity.index;
	return safe;
}
const VOID_ELEMENTS = /* @__PURE__ */ new Set([
	"br",
	"img",
	"hr",
	"wbr",
	"input",
	"col",
	"area",
	"source"
]);
/** The closing tags for the elements still open at the end of `html`, innermost first. */
function closingTags(html) {
	const open = [];
	for (const match of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
		const [, closing, rawName = "", selfClosing] = match;
		const name = rawName.toLowerCase();
		if (VOID_ELEMENTS.has(name) || selfClosing) continue;
		if (!closing) {
			open.push(name);
			continue;
		}
		const index = open.lastIndexOf(name);
		if (index >= 0) open.length = index;
	}
	return open.reverse().map((name) => `</${name}>`).join("");
}
/** Adds the reports up, in the order given; the first failures of the first reports lead. */
function summarizeReports(parts) {
	const view = {
		total: 0,
		passed: 0,
		failed: 0,
		errored: 0,
		skipped: 0,
		flaky: 0,
		failures: [],
		more_failures: 0,
		reports: parts.length
	};
	for (const part of parts) {
		view.passed += part.passed;
		view.failed += part.failed;
		view.errored += part.errored;
		view.skipped += part.skipped;
		view.flaky += part.flaky;
		for (const failure of part.failures) if (view.failures.length < 5) view.failures.push(failure);
	}
	view.total = view.passed + view.failed + view.errored + view.skipped;
	view.more_failures = view.failed + view.errored - view.failures.length;
	return view;
}
/**
* `2 failed, 1 errored, 40 passed (1 flaky), 3 skipped` (zero counts left out; `no tests` if
* none).
*/
function testCounts(view) {
	const parts = [];
	if (view.failed) parts.push(`${view.failed} failed`);
	if (view.errored) parts.push(`${view.errored} errored`);
	if (view.passed) parts.push(`${view.passed} passed${view.flaky ? ` (${view.flaky} flaky)` : ""}`);
	if (view.skipped) parts.push(`${view.skipped} skipped`);
	return parts.length > 0 ? parts.join(", ") : "no tests";
}
// src/message/card.ts
/** Length limits of HipChat's card schema (characters; we count UTF-16 units, never more). */
const CARD_LIMITS = {
	title: 500,
	description: 1e3,
	/** An attribute's label. The schema sets no limit on the value's label; we use the same. */
	attributeLabel: 50
};
/**
* Lozenge of the Status attribute, by `view.outcome`: success → `lozenge-success`,
* failure → `lozenge-error`, cancelled, started, unknown and anything else → `lozenge-current`.
*/
const LOZENGE = {
	success: "lozenge-success",
	failure: "lozenge-error",
	cancelled: "lozenge-current",
	started: "lozenge-current",
	unknown: "lozenge-current",
	none: "lozenge-current"
};
/**
* A HipChat `application` card (format `medium`) for this run.
*
* - `id`: a fresh random UUID. HipChat treats a card whose id it has seen as the same card
*   re-sent, so nothing derived from the run will do: every leg of a matrix shares the job's
*   name, and two notify steps in one job share everything. The body is built once per run, so
*   a retried request carries the same id.
* - `title`: `owner/repo — CI failed` (`is fixed` / `is still failing` when the previous run is
*   known), `owner/repo #12 — CI succeeded` for pull requests,
*   `owner/repo v1.2.0 released` for a release (unless its workflow did not succeed).
* - `description`: release name, else commit title, else PR title, else the message as plain
*   text; always `format: 'text'`, so untrusted commit titles cannot inject markup.
* - `url`: the release page for releases, the triggering run for workflow_run, else this run.
* - `attributes`: Status (lozenge), Branch (Tag for a run on a tag), Commit, Actor (who started
*   the run; none for a schedule), Duration, with `summary: run` the jobs' counts (Failed, Cancelled, Succeeded,
*   Skipped); any whose value would be empty is left out (HipChat rejects empty
*   labels).
*
* Every text is trimmed, its whitespace collapsed, its @mentions defused (a branch or commit
* title must not ping the room, as in the message), and cut with `…` to the schema's limits.
* The title and the attributes' labels are HTML-escaped: HipChat renders a, b, i, strong and
* span in card fields, and a fork's branch name or a release's tag is anyone's text.
*/
function buildCard(view, opts) {
	const secrets = opts.secrets ?? NO_SECRETS;
	const card = {
		style: "application",
		id: opts.id ?? globalThis.crypto.randomUUID(),
		title: fitHtml(opts.followUp ? outcomeTitle(view) : titleOf(view), CARD_LIMITS.title, secrets),
		format: "medium"
	};
	const url = urlOf(view);
	if (url) card.url = url;
	const description = opts.followUp ? "" : fit(descriptionOf(view, opts), CARD_LIMITS.description, secrets);
	if (description) card.description = {
		value: description,
		format: "text"
	};
	const attributes = attributesOf(view, opts.durationSeconds, secrets, opts.followUp);
	if (attributes.length > 0) card.attributes = attributes;
	return card;
}
/** The kind's own title (a published release's), else `<repo> <subject> — <workflow> <verb>`. */
function titleOf(view) {
	const repo = clean(view.github.repository) || "GitHub Actions";
	const own = cardTitle(view, repo);
	if (own) return own;
	const subject = cardWord(view, "subject");
	return `${subject ? `${repo} ${subject}` : repo} — ${outcomeTitle(view)}`;
}
/** `<workflow> <verb>`: `CI failed`, `Deploy is fixed`; a follow-up's whole title. */
function outcomeTitle(view) {
	return `${cardWord(view, "workflow") || clean(view.github.workflow) || "workflow"} ${cardWord(view, "verb") || clean(runVerb(view)) || "finished"}`;
}
function urlOf(view) {
	return cardWord(view, "url") || view.run_url;
}
function descriptionOf(view, opts) {
	return cardWord(view, "description") || clean(view.commit_title) || cardWord(view, "laterDescription") || clean(opts.format === "html" ? htmlToText(opts.message) : opts.message);
}
/**
* "Tag" for a run on a tag (a release, a pushed tag), else "Branch". A pull request's and an
* upstream run's `branch` is their head branch, whatever this run's own ref is.
*/
function refLabel(view) {
	return !view.pull_request && !view.workflow_run && view.github.ref.startsWith("refs/tags/") ? "Tag" : "Branch";
}
/** `summary: run`: how many jobs ended how, the counts that are not zero. */
function jobCounts(view) {
	if (view.jobs_total === 0) return [];
	const t = tally(view.jobs.map((job) => job.conclusion));
	const count = (n) => n > 0 ? String(n) : "";
	return [
		[
			"Failed",
			count(t.failed),
			{ style: "lozenge-error" }
		],
		[
			"Cancelled",
			count(t.cancelled),
			{ style: "lozenge-current" }
		],
		[
			"Succeeded",
			count(t.succeeded),
			{ style: "lozenge-success" }
		],
		[
			"Skipped",
			count(t.skipped),
			{}
		],
		[
			"Not read",
			count(view.jobs_total - t.total),
			{}
		]
	];
}
function attributesOf(view, durationSeconds, secrets, followUp = false) {
	const context = followUp ? [] : [
		[
			refLabel(view),
			view.branch,
			view.branch_url ? { url: view.branch_url } : {}
		],
		[
			"Commit",
			view.short_sha,
			view.commit_url ? { url: view.commit_url } : {}
		],
		[
			"Actor",
			kindOf(view).anonymous ? "" : view.actor,
			{}
		]
	];
	const rows = [
		[
			"Status",
			view.status,
			{ style: LOZENGE[view.outcome] ?? "lozenge-current" }
		],
		...cardAttributes(view),
		...context,
		[
			"Duration",
			formatDuration(durationSeconds) || view.duration,
			{}
		],
		...testRows(view),
		...jobCounts(view)
	];
	const attributes = [];
	for (const [label, value, extra] of rows) {
		const text = fitHtml(value, CARD_LIMITS.attributeLabel, secrets);
		if (text) attributes.push({
			label: fitHtml(label, CARD_LIMITS.attributeLabel, secrets),
			value: {
				label: text,
				...extra
			}
		});
	}
	return attributes;
}
/**
* `Tests: 2 failed, 1 errored, 40 passed` (red lozenge when any failed, else green) and the
* first failed test's name, when `test-results` read a report.
*/
function testRows(view) {
	const tests = view.tests;
	if (!tests || tests.reports === 0) return [];
	const failing = tests.failed + tests.errored > 0;
	const rows = [[
		"Tests",
		testCounts(tests),
		{ style: failing ? "lozenge-error" : "lozenge-success" }
	]];
	const first = tests.failures[0];
	if (first) rows.push([
		"First failure",
		first.name,
		{}
	]);
	return rows;
}
/** Card text: one line, @mentions defused, redacted and then cut to `max` (text/fit.ts). */
function fit(text, max, secrets) {
	return fit$1(defuseMentions(oneLine(text, Infinity)), max, secrets);
}
/**
* `fit` for a field HipChat renders as HTML: redacted, escaped, and cut so that the escaped
* text (what HipChat counts) fits in `max`, never inside an entity or a surrogate pair.
*/
function fitHtml(text, max, secrets) {
	return fit$1(defuseMentions(oneLine(text, Infinity)), max, secrets, escapedCut);
}
/** Escapes `text` and cuts what HipChat counts (the escaped text) to `max`, with `…`. */
function escapedCut(text, max) {
	const escaped = escapeHtml(text);
	if (escaped.length <= max) return {
		head: escaped,
		tail: "",
		cut: false
	};
	let out = "";
	for (const char of text) {
		const next = escapeHtml(char);
		if (out.length + next.length > max - 1) break;
		out += next;
	}
	return {
		head: out.trimEnd(),
		tail: "…",
		cut: true
	};
}
const ENTITIES = {
	amp: "&",
	lt: "<",
	gt: ">",
	quot: "\"",
	apos: "'",
	nbsp: " "
};
/** The readable text of an HTML message: tags dropped (line-breaking ones become a space), entities decoded. */
function htmlToText(html) {
	return html.replace(/<\/?(?:br|p|div|li|ul|ol|tr|td|th|table|pre|h[1-6])\b[^>]*>/gi, " ").replace(/<[^>]*>/g, "").replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name) => {
		if (name[0] !== "#") return ENTITIES[name.toLowerCase()] ?? entity;
		const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
		return code > 0 && code <= 1114111 ? String.fromCodePoint(code) : entity;
	});
}
// src/whole-run/details.ts
/**
* The body of a run summary under the built-in headline: each failed, timed-out or cancelled
* job on a line of its own (name linked, failed step, duration, the log's last lines), then
* the rest collapsed ("9 succeeded, 1 skipped"). Pure.
*
* It is fitted to the characters the headline leaves of HipChat's 10,000 by whole entries:
* every job's line first (those that do not fit are replaced by a marker that counts them),
* then the logs, in order, while there is room. A tag or an
* entity is never cut, since only whole, escaped pieces are ever joined.
*/
/** Ends a run summary that did not fit whole. */
const MORE_MARKER = (n) => `… and ${n} more job${n === 1 ? "" : "s"} [truncated]`;
const ICON = {
	failure: "❌",
	timed_out: "⏱️",
	cancelled: "⚪"
};
/** One job's line: icon, name (linked in html), what happened, where, how long. */
function jobLine(job, format) {
	const esc = format === "html" ? escapeHtml : defuseMentions;
	const name = format === "html" && job.url ? `<a href="${escapeHtml(job.url)}">${esc(job.name)}</a>` : esc(job.name);
	const step = job.failed_step ? format === "html" ? ` at step <b>${esc(job.failed_step)}</b>` : ` at step “${esc(job.failed_step)}”` : "";
	const duration = job.duration ? ` (${job.duration})` : "";
	const link = format === "text" && job.url ? ` ${job.url}` : "";
	return `${ICON[job.conclusion] ?? "❌"} ${name} ${statusText(job.conclusion)}${step}${duration}${link}`;
}
/** A job's log lines, escaped for the format: `<pre>` in html, indented lines in text. */
function logBlock(job, format) {
	if (!job.log) return "";
	if (format === "html") return `<pre>${escapeHtml(job.log)}</pre>`;
	return `\n${job.log.split("\n").map((line) => `    ${defuseMentions(line)}`).join("\n")}`;
}
/**
* The run summary's body for `jobs` (the view's `jobs[]`), starting with a line break, at
* most `max` characters; '' when there are no jobs and no `note`. The `note` (what the
* summary could not see: the view's `jobs_note`) comes first, before anything is cut.
*/
function runDetails(jobs, runAttempt, format, max, note = "") {
	const said = note ? `${format === "html" ? "<br>" : "\n"}${format === "html" ? escapeHtml(note) : defuseMentions(note)}` : "";
	if (said.length > max) return "";
	return said + jobDetails(jobs, runAttempt, format, max - said.length);
}
/** The jobs' part of `runDetails`. */
function jobDetails(jobs, runAttempt, format, max) {
	if (jobs.length === 0) return "";
	const br = format === "html" ? "<br>" : "\n";
	const esc = format === "html" ? escapeHtml : (s) => s;
	const problems = jobs.filter((j) => isReportedProblem(j.conclusion));
	const tail = [restPhrase(tally(jobs.filter((j) => !isReportedProblem(j.conclusion)).map((j) => j.conclusion))), attemptPhrase(runAttempt, jobs.map((j) => j.attempt))].filter(Boolean).map((phrase) => `${br}${esc(phrase)}`).join("");
	const lines = problems.map((job) => `${br}${jobLine(job, format)}`);
	let shown = 0;
	let used = tail.length;
	for (; shown < lines.length; shown++) {
		const left = lines.length - shown - 1;
		const marker = left > 0 ? br.length + MORE_MARKER(left).length : 0;
		if (used + lines[shown].length + marker > max) break;
		used += lines[shown].length;
	}
	const marker = shown < lines.length ? `${br}${MORE_MARKER(lines.length - shown)}` : "";
	used += marker.length;
	let out = "";
	for (let i = 0; i < shown; i++) {
		const log = logBlock(problems[i], format);
		const withLog = log && used + log.length <= max;
		if (withLog) used += log.length;
		out += lines[i] + (withLog ? log : "");
	}
	return used <= max ? out + marker + tail : out + marker;
}
// src/message/compose.ts
/** Where a template author finds every variable (the docs of the major version in use). */
const VARIABLES_URL = "https://github.com/hipchat-notify/hipchat-notify/blob/v2/docs/templates.md#template-variables";
/** `color: auto`: the job's outcome decides (`started` and words without an outcome: yellow). */
function resolveColor(color, outcome) {
	if (color !== "auto") return color;
	switch (outcome) {
		case "success": return "green";
		case "failure": return "red";
		case "cancelled": return "gray";
		default: return "yellow";
	}
}
/** `@here` or `@all` written as a word (not inside an address such as ops@all.example). */
const ROOM_MENTION = /(?<![\w@.])@(here|all)\b/i;
/** What a template author should hear about their template before it is sent. */
function templateWarnings(settings, view) {
	const warnings = [];
	const where = settings.templateSource === "template" ? "`template`" : `\`template-file\` '${settings.templateSource}'`;
	const unknown = unknownVariables(settings.template, view);
	if (unknown.length > 0) {
		const names = unknown.map((u) => `{{${u.name}}} (line ${u.line})`).join(", ");
		warnings.push(`${where} names ${unknown.length === 1 ? "a variable" : "variables"} the workflow context does not have, rendered empty: ${names}. Check the spelling; every variable: ${VARIABLES_URL}`);
	}
	const mention = ROOM_MENTION.exec(settings.template);
	if (mention && settings.format === "html") warnings.push(`${where} writes @${mention[1]}, but with \`format: html\` HipChat shows it as plain text and notifies nobody. Use \`format: text\` for mentions to ping the room.`);
	return warnings;
}
/** Builds the notification body; never throws for content (inputs were validated already). */
function buildMessage(settings, view, secrets = NO_SECRETS) {
	const warnings = [];
	const followUp = settings.attachTo !== "";
	const template = settings.template || defaultTemplate(view, settings.format, followUp);
	if (settings.template) warnings.push(...templateWarnings(settings, view));
	let rendered = render(template, view, settings.format);
	if (!settings.template && settings.summary === "run") {
		const attempt = Number(view.github.run_attempt) || 1;
		const room = MAX_MESSAGE_LENGTH - rendered.length;
		rendered += runDetails(view.jobs, attempt, settings.format, room, view.jobs_note);
	}
	const cut = truncate(rendered, settings.format, MAX_MESSAGE_LENGTH, secrets);
	if (cut.truncated) warnings.push(`The message was ${cut.originalLength} characters long; HipChat accepts at most 10,000, so it was cut to fit (marked at the end).`);
	let message = cut.message;
	if (!message.trim()) {
		warnings.push("The template rendered an empty message; sending the built-in message instead.");
		message = truncate(render(defaultTemplate(view, settings.format, followUp), view, settings.format), settings.format, MAX_MESSAGE_LENGTH, secrets).message;
	}
	const body = {
		message,
		color: resolveColor(settings.color, view.outcome),
		message_format: settings.format,
		notify: notifies(settings.notify, view.status, view.previous_status)
	};
	if (settings.from) body.from = settings.from;
	if (settings.attachTo) body.attach_to = settings.attachTo;
	if (settings.card) body.card = buildCard(view, {
		message,
		format: settings.format,
		durationSeconds: knownDurationSeconds(view),
		secrets,
		followUp
	});
	return {
		body,
		warnings
	};
}
/**
* How long the run the card is about took, when that is known without asking anyone: a
* completed `workflow_run` payload carries the upstream run's `run_started_at` and `updated_at`
* (when it completed). A job cannot see its own start time, so other events have no duration.
*/
function knownDurationSeconds(view) {
	if (view.github.event_name !== "workflow_run") return void 0;
	const run = view.github.event["workflow_run"];
	if (typeof run !== "object" || run === null) return void 0;
	const { status, run_started_at: started, updated_at: updated } = run;
	if (status !== "completed" || typeof started !== "string" || typeof updated !== "string") return;
	const seconds = (Date.parse(updated) - Date.parse(started)) / 1e3;
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : void 0;
}
// src/inputs/yaml-loader.ts
/** The inputs whose values are YAML. */
const YAML_INPUTS = ["vars", "users"];
/** The YAML parser when a YAML input is set, else `undefined` (and nothing is loaded). */
async function loadYamlParser(read) {
	if (!YAML_INPUTS.some((name) => read(name).trim())) return void 0;
	const { parseYaml } = await Promise.resolve().then(() => require("./yaml-parse.js"));
	return parseYaml;
}
// node_modules/undici/lib/dispatcher/dispatcher.js
var require_dispatcher = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const EventEmitter = require("node:events");
	var Dispatcher = class extends EventEmitter {
		dispatch() {
			throw new Error("not implemented");
		}
		close() {
			throw new Error("not implemented");
		}
		destroy() {
			throw new Error("not implemented");
		}
		compose(...args) {
			const interceptors = Array.isArray(args[0]) ? args[0] : args;
			let dispatch = this.dispatch.bind(this);
			for (const interceptor of interceptors) {
				if (interceptor == null) continue;
				if (typeof interceptor !== "function") throw new TypeError(`invalid interceptor, expected function received ${typeof interceptor}`);
				dispatch = interceptor(dispatch);
				if (dispatch == null || typeof dispatch !== "function" || dispatch.length !== 2) throw new TypeError("invalid interceptor");
			}
			return new ComposedDispatcher(this, dispatch);
		}
	};
	var ComposedDispatcher = class extends Dispatcher {
		#dispatcher = null;
		#dispatch = null;
		constructor(dispatcher, dispatch) {
			super();
			this.#dispatcher = dispatcher;
			this.#dispatch = dispatch;
		}
		dispatch(...args) {
			this.#dispatch(...args);
		}
		close(...args) {
			return this.#dispatcher.close(...args);
		}
		destroy(...args) {
			return this.#dispatcher.destroy(...args);
		}
	};
	module.exports = Dispatcher;
}));
// node_modules/undici/lib/dispatcher/dispatcher-base.js
var require_dispatcher_base = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const buffer = require("node:buffer");
	const Dispatcher = require_dispatcher();
	const { ClientDestroyedError, ClientClosedError, InvalidArgumentError } = require_util$2.require_errors();
	const { kDestroy, kClose, kClosed, kDestroyed, kDispatch, kInterceptors } = require_util$2.require_symbols();
	const kOnDestroyed = Symbol("onDestroyed");
	const kOnClosed = Symbol("onClosed");
	const kInterceptedDispatch = Symbol("Intercepted Dispatch");
	const kWebSocketOptions = Symbol("webSocketOptions");
	const kEventSourceOptions = Symbol("eventSourceOptions");
	var DispatcherBase = class extends Dispatcher {
		constructor(opts) {
			super();
			this[kDestroyed] = false;
			this[kOnDestroyed] = null;
			this[kClosed] = false;
			this[kOnClosed] = [];
			this[kWebSocketOptions] = opts?.webSocket ?? {};
			this[kEventSourceOptions] = opts?.eventSource ?? {};
		}
		get webSocketOptions() {
			return {
				maxFragments: this[kWebSocketOptions].maxFragments ?? 131072,
				maxPayloadSize: this[kWebSocketOptions].maxPayloadSize ?? 134217728
			};
		}
		get eventSourceOptions() {
			return { maxEventSize: this[kEventSourceOptions].maxEventSize ?? buffer.kStringMaxLength };
		}
		get destroyed() {
			return this[kDestroyed];
		}
		get closed() {
			return this[kClosed];
		}
		get interceptors() {
			return this[kInterceptors];
		}
		set interceptors(newInterceptors) {
			if (newInterceptors) {
				for (let i = newInterceptors.length - 1; i >= 0; i--) if (typeof this[kInterceptors][i] !== "function") throw new InvalidArgumentError("interceptor must be an function");
			}
			this[kInterceptors] = newInterceptors;
		}
		close(callback) {
			if (callback === void 0) return new Promise((resolve, reject) => {
				this.close((err, data) => {
					return err ? reject(err) : resolve(data);
				});
			});
			if (typeof callback !== "function") throw new InvalidArgumentError("invalid callback");
			if (this[kDestroyed]) {
				queueMicrotask(() => callback(new ClientDestroyedError(), null));
				return;
			}
			if (this[kClosed]) {
				if (this[kOnClosed]) this[kOnClosed].push(callback);
				else queueMicrotask(() => callback(null, null));
				return;
			}
			this[kClosed] = true;
			this[kOnClosed].push(callback);
			const onClosed = () => {
				const callbacks = this[kOnClosed];
				this[kOnClosed] = null;
				for (let i = 0; i < callbacks.length; i++) callbacks[i](null, null);
			};
			this[kClose]().then(() => this.destroy()).then(() => {
				queueMicrotask(onClosed);
			});
		}
		destroy(err, callback) {
			if (typeof err === "function") {
				callback = err;
				err = null;
			}
			if (callback === void 0) return new Promise((resolve, reject) => {
				this.destroy(err, (err, data) => {
					return err ? /* istanbul ignore next: should never error */ reject(err) : resolve(data);
				});
			});
			if (typeof callback !== "function") throw new InvalidArgumentError("invalid callback");
			if (this[kDestroyed]) {
				if (this[kOnDestroyed]) this[kOnDestroyed].push(callback);
				else queueMicrotask(() => callback(null, null));
				return;
			}
			if (!err) err = new ClientDestroyedError();
			this[kDestroyed] = true;
			this[kOnDestroyed] = this[kOnDestroyed] || [];
			this[kOnDestroyed].push(callback);
			const onDestroyed = () => {
				const callbacks = this[kOnDestroyed];
				this[kOnDestroyed] = null;
				for (let i = 0; i < callbacks.length; i++) callbacks[i](null, null);
			};
			this[kDestroy](err).then(() => {
				queueMicrotask(onDestroyed);
			});
		}
		[kInterceptedDispatch](opts, handler) {
			if (!this[kInterceptors] || this[kInterceptors].length === 0) {
				this[kInterceptedDispatch] = this[kDispatch];
				return this[kDispatch](opts, handler);
			}
			let dispatch = this[kDispatch].bind(this);
			for (let i = this[kInterceptors].length - 1; i >= 0; i--) dispatch = this[kInterceptors][i](dispatch);
			this[kInterceptedDispatch] = dispatch;
			return dispatch(opts, handler);
		}
		dispatch(opts, handler) {
			if (!handler || typeof handler !== "object") throw new InvalidArgumentError("handler must be an object");
			try {
				if (!opts || typeof opts !== "object") throw new InvalidArgumentError("opts must be an object.");
				if (this[kDestroyed] || this[kOnDestroyed]) throw new ClientDestroyedError();
				if (this[kClosed]) throw new ClientClosedError();
				return this[kInterceptedDispatch](opts, handler);
			} catch (err) {
				if (typeof handler.onError !== "function") throw new InvalidArgumentError("invalid onError method");
				handler.onError(err);
				return false;
			}
		}
	};
	module.exports = DispatcherBase;
}));
// node_modules/undici/lib/dispatcher/fixed-queue.js
var require_fixed_queue = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const kSize = 2048;
	const kMask = 2047;
	var FixedCircularBuffer = class {
		constructor() {
			this.bottom = 0;
			this.top = 0;
			this.list = new Array(kSize);
			this.next = null;
		}
		isEmpty() {
			return this.top === this.bottom;
		}
		isFull() {
			return (this.top + 1 & kMask) === this.bottom;
		}
		push(data) {
			this.list[this.top] = data;
			this.top = this.top + 1 & kMask;
		}
		shift() {
			const nextItem = this.list[this.bottom];
			if (nextItem === void 0) return null;
			this.list[this.bottom] = void 0;
			this.bottom = this.bottom + 1 & kMask;
			return nextItem;
		}
	};
	module.exports = class FixedQueue {
		constructor() {
			this.head = this.tail = new FixedCircularBuffer();
		}
		isEmpty() {
			return this.head.isEmpty();
		}
		push(data) {
			if (this.head.isFull()) this.head = this.head.next = new FixedCircularBuffer();
			this.head.push(data);
		}
		shift() {
			const tail = this.tail;
			const next = tail.shift();
			if (tail.isEmpty() && tail.next !== null) this.tail = tail.next;
			return next;
		}
	};
}));
// node_modules/undici/lib/dispatcher/pool-stats.js
var require_pool_stats = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const { kFree, kConnected, kPending, kQueued, kRunning, kSize } = require_util$2.require_symbols();
	const kPool = Symbol("pool");
	var PoolStats = class {
		constructor(pool) {
			this[kPool] = pool;
		}
		get connected() {
			return this[kPool][kConnected];
		}
		get free() {
			return this[kPool][kFree];
		}
		get pending() {
			return this[kPool][kPending];
		}
		get queued() {
			return this[kPool][kQueued];
		}
		get running() {
			return this[kPool][kRunning];
		}
		get size() {
			return this[kPool][kSize];
		}
	};
	module.exports = PoolStats;
}));
// node_modules/undici/lib/dispatcher/pool-base.js
var require_pool_base = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const DispatcherBase = require_dispatcher_base();
	const FixedQueue = require_fixed_queue();
	const { kConnected, kSize, kRunning, kPending, kQueued, kBusy, kFree, kUrl, kClose, kDestroy, kDispatch } = require_util$2.require_symbols();
	const PoolStats = require_pool_stats();
	const kClients = Symbol("clients");
	const kNeedDrain = Symbol("needDrain");
	const kQueue = Symbol("queue");
	const kClosedResolve = Symbol("closed resolve");
	const kOnDrain = Symbol("onDrain");
	const kOnConnect = Symbol("onConnect");
	const kOnDisconnect = Symbol("onDisconnect");
	const kOnConnectionError = Symbol("onConnectionError");
	const kGetDispatcher = Symbol("get dispatcher");
	const kAddClient = Symbol("add client");
	const kRemoveClient = Symbol("remove client");
	const kStats = Symbol("stats");
	var PoolBase = class extends DispatcherBase {
		constructor(opts) {
			super(opts);
			this[kQueue] = new FixedQueue();
			this[kClients] = [];
			this[kQueued] = 0;
			const pool = this;
			this[kOnDrain] = function onDrain(origin, targets) {
				const queue = pool[kQueue];
				let needDrain = false;
				while (!needDrain) {
					const item = queue.shift();
					if (!item) break;
					pool[kQueued]--;
					needDrain = !this.dispatch(item.opts, item.handler);
				}
				this[kNeedDrain] = needDrain;
				if (!this[kNeedDrain] && pool[kNeedDrain]) {
					pool[kNeedDrain] = false;
					pool.emit("drain", origin, [pool, ...targets]);
				}
				if (pool[kClosedResolve] && queue.isEmpty()) Promise.all(pool[kClients].map((c) => c.close())).then(pool[kClosedResolve]);
			};
			this[kOnConnect] = (origin, targets) => {
				pool.emit("connect", origin, [pool, ...targets]);
			};
			this[kOnDisconnect] = (origin, targets, err) => {
				pool.emit("disconnect", origin, [pool, ...targets], err);
			};
			this[kOnConnectionError] = (origin, targets, err) => {
				pool.emit("connectionError", origin, [pool, ...targets], err);
			};
			this[kStats] = new PoolStats(this);
		}
		get [kBusy]() {
			return this[kNeedDrain];
		}
		get [kConnected]() {
			return this[kClients].filter((client) => client[kConnected]).length;
		}
		get [kFree]() {
			return this[kClients].filter((client) => client[kConnected] && !client[kNeedDrain]).length;
		}
		get [kPending]() {
			let ret = this[kQueued];
			for (const { [kPending]: pending } of this[kClients]) ret += pending;
			return ret;
		}
		get [kRunning]() {
			let ret = 0;
			for (const { [kRunning]: running } of this[kClients]) ret += running;
			return ret;
		}
		get [kSize]() {
			let ret = this[kQueued];
			for (const { [kSize]: size } of this[kClients]) ret += size;
			return ret;
		}
		get stats() {
			return this[kStats];
		}
		async [kClose]() {
			if (this[kQueue].isEmpty()) await Promise.all(this[kClients].map((c) => c.close()));
			else await new Promise((resolve) => {
				this[kClosedResolve] = resolve;
			});
		}
		async [kDestroy](err) {
			while (true) {
				const item = this[kQueue].shift();
				if (!item) break;
				item.handler.onError(err);
			}
			await Promise.all(this[kClients].map((c) => c.destroy(err)));
		}
		[kDispatch](opts, handler) {
			const dispatcher = this[kGetDispatcher]();
			if (!dispatcher) {
				this[kNeedDrain] = true;
				this[kQueue].push({
					opts,
					handler
				});
				this[kQueued]++;
			} else if (!dispatcher.dispatch(opts, handler)) {
				dispatcher[kNeedDrain] = true;
				this[kNeedDrain] = !this[kGetDispatcher]();
			}
			return !this[kNeedDrain];
		}
		[kAddClient](client) {
			client.on("drain", this[kOnDrain]).on("connect", this[kOnConnect]).on("disconnect", this[kOnDisconnect]).on("connectionError", this[kOnConnectionError]);
			this[kClients].push(client);
			if (this[kNeedDrain]) queueMicrotask(() => {
				if (this[kNeedDrain]) this[kOnDrain](client[kUrl], [this, client]);
			});
			return this;
		}
		[kRemoveClient](client) {
			client.close(() => {
				const idx = this[kClients].indexOf(client);
				if (idx !== -1) this[kClients].splice(idx, 1);
			});
			this[kNeedDrain] = this[kClients].some((dispatcher) => !dispatcher[kNeedDrain] && dispatcher.closed !== true && dispatcher.destroyed !== true);
		}
	};
	module.exports = {
		PoolBase,
		kClients,
		kNeedDrain,
		kAddClient,
		kRemoveClient,
		kGetDispatcher
	};
}));
// node_modules/undici/lib/core/diagnostics.js
var require_diagnostics = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const diagnosticsChannel = require("node:diagnostics_channel");
	const util = require("node:util");
	const undiciDebugLog = util.debuglog("undici");
	const fetchDebuglog = util.debuglog("fetch");
	const websocketDebuglog = util.debuglog("websocket");
	let isClientSet = false;
	const channels = {
		beforeConnect: diagnosticsChannel.channel("undici:client:beforeConnect"),
		connected: diagnosticsChannel.channel("undici:client:connected"),
		connectError: diagnosticsChannel.channel("undici:client:connectError"),
		sendHeaders: diagnosticsChannel.channel("undici:client:sendHeaders"),
		create: diagnosticsChannel.channel("undici:request:create"),
		bodySent: diagnosticsChannel.channel("undici:request:bodySent"),
		headers: diagnosticsChannel.channel("undici:request:headers"),
		trailers: diagnosticsChannel.channel("undici:request:trailers"),
		error: diagnosticsChannel.channel("undici:request:error"),
		open: diagnosticsChannel.channel("undici:websocket:open"),
		close: diagnosticsChannel.channel("undici:websocket:close"),
		socketError: diagnosticsChannel.channel("undici:websocket:socket_error"),
		ping: diagnosticsChannel.channel("undici:websocket:ping"),
		pong: diagnosticsChannel.channel("undici:websocket:pong")
	};
	if (undiciDebugLog.enabled || fetchDebuglog.enabled) {
		const debuglog = fetchDebuglog.enabled ? fetchDebuglog : undiciDebugLog;
		diagnosticsChannel.channel("undici:client:beforeConnect").subscribe((evt) => {
			const { connectParams: { version, protocol, port, host } } = evt;
			debuglog("connecting to %s using %s%s", `${host}${port ? `:${port}` : ""}`, protocol, version);
		});
		diagnosticsChannel.channel("undici:client:connected").subscribe((evt) => {
			const { connectParams: { version, protocol, port, host } } = evt;
			debuglog("connected to %s using %s%s", `${host}${port ? `:${port}` : ""}`, protocol, version);
		});
		diagnosticsChannel.channel("undici:client:connectError").subscribe((evt) => {
			const { connectParams: { version, protocol, port, host }, error } = evt;
			debuglog("connection to %s using %s%s errored - %s", `${host}${port ? `:${port}` : ""}`, protocol, version, error.message);
		});
		diagnosticsChannel.channel("undici:client:sendHeaders").subscribe((evt) => {
			const { request: { method, path, origin } } = evt;
			debuglog("sending request to %s %s/%s", method, origin, path);
		});
		diagnosticsChannel.channel("undici:request:headers").subscribe((evt) => {
			const { request: { method, path, origin }, response: { statusCode } } = evt;
			debuglog("received response to %s %s/%s - HTTP %d", method, origin, path, statusCode);
		});
		diagnosticsChannel.channel("undici:request:trailers").subscribe((evt) => {
			const { request: { method, path, origin } } = evt;
			debuglog("trailers received from %s %s/%s", method, origin, path);
		});
		diagnosticsChannel.channel("undici:request:error").subscribe((evt) => {
			const { request: { method, path, origin }, error } = evt;
			debuglog("request to %s %s/%s errored - %s", method, origin, path, error.message);
		});
		isClientSet = true;
	}
	if (websocketDebuglog.enabled) {
		if (!isClientSet) {
			const debuglog = undiciDebugLog.enabled ? undiciDebugLog : websocketDebuglog;
			diagnosticsChannel.channel("undici:client:beforeConnect").subscribe((evt) => {
				const { connectParams: { version, protocol, port, host } } = evt;
				debuglog("connecting to %s%s using %s%s", host, port ? `:${port}` : "", protocol, version);
			});
			diagnosticsChannel.channel("undici:client:connected").subscribe((evt) => {
				const { connectParams: { version, protocol, port, host } } = evt;
				debuglog("connected to %s%s using %s%s", host, port ? `:${port}` : "", protocol, version);
			});
			diagnosticsChannel.channel("undici:client:connectError").subscribe((evt) => {
				const { connectParams: { version, protocol, port, host }, error } = evt;
				debuglog("connection to %s%s using %s%s errored - %s", host, port ? `:${port}` : "", protocol, version, error.message);
			});
			diagnosticsChannel.channel("undici:client:sendHeaders").subscribe((evt) => {
				const { request: { method, path, origin } } = evt;
				debuglog("sending request to %s %s/%s", method, origin, path);
			});
		}
		diagnosticsChannel.channel("undici:websocket:open").subscribe((evt) => {
			const { address: { address, port } } = evt;
			websocketDebuglog("connection opened %s%s", address, port ? `:${port}` : "");
		});
		diagnosticsChannel.channel("undici:websocket:close").subscribe((evt) => {
			const { websocket, code, reason } = evt;
			websocketDebuglog("closed connection to %s - %s %s", websocket.url, code, reason);
		});
		diagnosticsChannel.channel("undici:websocket:socket_error").subscribe((err) => {
			websocketDebuglog("connection errored - %s", err.message);
		});
		diagnosticsChannel.channel("undici:websocket:ping").subscribe((evt) => {
			websocketDebuglog("ping received");
		});
		diagnosticsChannel.channel("undici:websocket:pong").subscribe((evt) => {
			websocketDebuglog("pong received");
		});
	}
	module.exports = { channels };
}));
// node_modules/undici/lib/core/request.js
var require_request = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const { InvalidArgumentError, NotSupportedError } = require_util$2.require_errors();
	const assert = require_util$2.require__lazy_assert();
	const { isValidHTTPToken, isValidHeaderValue, isStream, destroy, isBuffer, isFormDataLike, isIterable, isBlobLike, buildURL, validateHandler, getServerName, normalizedMethodRecords } = require_util$2.require_util();
	const { channels } = require_diagnostics();
	const { headerNameLowerCasedRecord } = require_util$2.require_constants();
	const invalidPathRegex = /[^\u0021-\u00ff]/;
	const kHandler = Symbol("handler");
	var Request = class {
		constructor(origin, { path, method, body, headers, query, idempotent, blocking, upgrade, headersTimeout, bodyTimeout, reset, throwOnError, expectContinue, servername }, handler) {
			if (typeof path !== "string") throw new InvalidArgumentError("path must be a string");
			else if (path[0] !== "/" && !(path.startsWith("http://") || path.startsWith("https://")) && method !== "CONNECT") throw new InvalidArgumentError("path must be an absolute URL or start with a slash");
			else if (invalidPathRegex.test(path)) throw new InvalidArgumentError("invalid request path");
			if (typeof method !== "string") throw new InvalidArgumentError("method must be a string");
			else if (normalizedMethodRecords[method] === void 0 && !isValidHTTPToken(method)) throw new InvalidArgumentError("invalid request method");
			if (upgrade && typeof upgrade !== "string") throw new InvalidArgumentError("upgrade must be a string");
			if (upgrade && !isValidHeaderValue(upgrade)) throw new InvalidArgumentError("invalid upgrade header");
			if (headersTimeout != null && (!Number.isFinite(headersTimeout) || headersTimeout < 0)) throw new InvalidArgumentError("invalid headersTimeout");
			if (bodyTimeout != null && (!Number.isFinite(bodyTimeout) || bodyTimeout < 0)) throw new InvalidArgumentError("invalid bodyTimeout");
			if (reset != null && typeof reset !== "boolean") throw new InvalidArgumentError("invalid reset");
			if (expectContinue != null && typeof expectContinue !== "boolean") throw new InvalidArgumentError("invalid expectContinue");
			this.headersTimeout = headersTimeout;
			this.bodyTimeout = bodyTimeout;
			this.throwOnError = throwOnError === true;
			this.method = method;
			this.abort = null;
			if (body == null) this.body = null;
			else if (isStream(body)) {
				this.body = body;
				const rState = this.body._readableState;
				if (!rState || !rState.autoDestroy) {
					this.endHandler = function autoDestroy() {
						destroy(this);
					};
					this.body.on("end", this.endHandler);
				}
				this.errorHandler = (err) => {
					if (this.abort) this.abort(err);
					else this.error = err;
				};
				this.body.on("error", this.errorHandler);
			} else if (isBuffer(body)) this.body = body.byteLength ? body : null;
			else if (ArrayBuffer.isView(body)) this.body = body.buffer.byteLength ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : null;
			else if (body instanceof ArrayBuffer) this.body = body.byteLength ? Buffer.from(body) : null;
			else if (typeof body === "string") this.body = body.length ? Buffer.from(body) : null;
			else if (isFormDataLike(body) || isIterable(body) || isBlobLike(body)) this.body = body;
			else throw new InvalidArgumentError("body must be a string, a Buffer, a Readable stream, an iterable, or an async iterable");
			this.completed = false;
			this.aborted = false;
			this.upgrade = upgrade || null;
			this.path = query ? buildURL(path, query) : path;
			this.origin = origin;
			this.idempotent = idempotent == null ? method === "HEAD" || method === "GET" : idempotent;
			this.blocking = blocking == null ? false : blocking;
			this.reset = reset == null ? null : reset;
			this.host = null;
			this.contentLength = null;
			this.contentType = null;
			this.headers = [];
			this.expectContinue = expectContinue != null ? expectContinue : false;
			if (Array.isArray(headers)) {
				if (headers.length % 2 !== 0) throw new InvalidArgumentError("headers array must be even");
				for (let i = 0; i < headers.length; i += 2) processHeader(this, headers[i], headers[i + 1]);
			} else if (headers && typeof headers === "object") {
				if (headers[Symbol.iterator]) for (const header of headers) {
					if (!Array.isArray(header) || header.length !== 2) throw new InvalidArgumentError("headers must be in key-value pair format");
					processHeader(this, header[0], header[1]);
				}
				else {
					const keys = Object.keys(headers);
					for (let i = 0; i < keys.length; ++i) processHeader(this, keys[i], headers[keys[i]]);
				}
			} else if (headers != null) throw new InvalidArgumentError("headers must be an object or an array");
			validateHandler(handler, method, upgrade);
			this.servername = servername || getServerName(this.host);
			this[kHandler] = handler;
			if (channels.create.hasSubscribers) channels.create.publish({ request: this });
		}
		onBodySent(chunk) {
			if (this[kHandler].onBodySent) try {
				return this[kHandler].onBodySent(chunk);
			} catch (err) {
				this.abort(err);
			}
		}
		onRequestSent() {
			if (channels.bodySent.hasSubscribers) channels.bodySent.publish({ request: this });
			if (this[kHandler].onRequestSent) try {
				return this[kHandler].onRequestSent();
			} catch (err) {
				this.abort(err);
			}
		}
		onConnect(abort) {
			assert(!this.aborted);
			assert(!this.completed);
			if (this.error) abort(this.error);
			else {
				this.abort = abort;
				return this[kHandler].onConnect(abort);
			}
		}
		onResponseStarted() {
			return this[kHandler].onResponseStarted?.();
		}
		onHeaders(statusCode, headers, resume, statusText) {
			assert(!this.aborted);
			assert(!this.completed);
			if (channels.headers.hasSubscribers) channels.headers.publish({
				request: this,
				response: {
					statusCode,
					headers,
					statusText
				}
			});
			try {
				return this[kHandler].onHeaders(statusCode, headers, resume, statusText);
			} catch (err) {
				this.abort(err);
			}
		}
		onData(chunk) {
			assert(!this.aborted);
			assert(!this.completed);
			try {
				return this[kHandler].onData(chunk);
			} catch (err) {
				this.abort(err);
				return false;
			}
		}
		/**
		* @param {number|null} statusCode
		* @param {Buffer[]|null} headers
		* @param {import('node:stream').Duplex} socket
		* @param {string} [statusText]
		*/
		onUpgrade(statusCode, headers, socket, statusText = "") {
			this.onFinally();
			assert(!this.aborted);
			assert(!this.completed);
			if (statusCode !== null) this.#publishUpgradeHeaders(statusCode, headers, statusText);
			const result = this[kHandler].onUpgrade(statusCode, headers, socket);
			if (!this.aborted) {
				this.completed = true;
				if (statusCode !== null) this.#publishUpgradeTrailers();
			}
			return result;
		}
		/**
		* @param {number} statusCode
		* @param {import('node:http2').IncomingHttpHeaders} headers
		* @param {(headers: import('node:http2').IncomingHttpHeaders) => Buffer[]} parseHeaders
		* @param {string} [statusText]
		*/
		onUpgradeResponse(statusCode, headers, parseHeaders, statusText = "") {
			assert(!this.aborted);
			assert(this.completed);
			if (channels.headers.hasSubscribers) this.#publishUpgradeHeaders(statusCode, parseHeaders(headers), statusText);
			this.#publishUpgradeTrailers();
		}
		/**
		* @param {Error} error
		*/
		onUpgradeError(error) {
			assert(!this.aborted);
			assert(this.completed);
			if (channels.error.hasSubscribers) channels.error.publish({
				request: this,
				error
			});
		}
		/**
		* @param {number} statusCode
		* @param {Buffer[]} headers
		* @param {string} statusText
		*/
		#publishUpgradeHeaders(statusCode, headers, statusText) {
			if (channels.headers.hasSubscribers) channels.headers.publish({
				request: this,
				response: {
					statusCode,
					headers,
					statusText
				}
			});
		}
		#publishUpgradeTrailers() {
			if (channels.trailers.hasSubscribers) channels.trailers.publish({
				request: this,
				trailers: []
			});
		}
		onComplete(trailers) {
			this.onFinally();
			assert(!this.aborted);
			this.completed = true;
			if (channels.trailers.hasSubscribers) channels.trailers.publish({
				request: this,
				trailers
			});
			try {
				return this[kHandler].onComplete(trailers);
			} catch (err) {
				this.onError(err);
			}
		}
		onError(error) {
			this.onFinally();
			if (channels.error.hasSubscribers) channels.error.publish({
				request: this,
				error
			});
			if (this.aborted) return;
			this.aborted = true;
			return this[kHandler].onError(error);
		}
		onFinally() {
			if (this.errorHandler) {
				this.body.off("error", this.errorHandler);
				this.errorHandler = null;
			}
			if (this.endHandler) {
				this.body.off("end", this.endHandler);
				this.endHandler = null;
			}
		}
		addHeader(key, value) {
			processHeader(this, key, value);
			return this;
		}
	};
	function processHeader(request, key, val) {
		if (val && typeof val === "object" && !Array.isArray(val)) throw new InvalidArgumentError(`invalid ${key} header`);
		else if (val === void 0) return;
		let headerName = headerNameLowerCasedRecord[key];
		if (headerName === void 0) {
			headerName = key.toLowerCase();
			if (headerNameLowerCasedRecord[headerName] === void 0 && !isValidHTTPToken(headerName)) throw new InvalidArgumentError("invalid header key");
		}
		if (Array.isArray(val)) {
			const arr = [];
			for (let i = 0; i < val.length; i++) if (typeof val[i] === "string") {
				if (!isValidHeaderValue(val[i])) throw new InvalidArgumentError(`invalid ${key} header`);
				arr.push(val[i]);
			} else if (val[i] === null) arr.push("");
			else if (typeof val[i] === "object") throw new InvalidArgumentError(`invalid ${key} header`);
			else {
				const str = `${val[i]}`;
				if (!isValidHeaderValue(str)) throw new InvalidArgumentError(`invalid ${key} header`);
				arr.push(str);
			}
			val = arr;
		} else if (typeof val === "string") {
			if (!isValidHeaderValue(val)) throw new InvalidArgumentError(`invalid ${key} header`);
		} else if (val === null) val = "";
		else {
			val = `${val}`;
			if (!isValidHeaderValue(val)) throw new InvalidArgumentError(`invalid ${key} header`);
		}
		if (headerName === "host") {
			if (request.host !== null) throw new InvalidArgumentError("duplicate host header");
			if (typeof val !== "string") throw new InvalidArgumentError("invalid host header");
			request.host = val;
		} else if (headerName === "content-length") {
			if (request.contentLength !== null) throw new InvalidArgumentError("duplicate content-length header");
			request.contentLength = parseInt(val, 10);
			if (!Number.isFinite(request.contentLength)) throw new InvalidArgumentError("invalid content-length header");
		} else if (request.contentType === null && headerName === "content-type") {
			request.contentType = val;
			request.headers.push(key, val);
		} else if (headerName === "transfer-encoding" || headerName === "keep-alive" || headerName === "upgrade") throw new InvalidArgumentError(`invalid ${headerName} header`);
		else if (headerName === "connection") {
			const value = typeof val === "string" ? val.toLowerCase() : null;
			if (value !== "close" && value !== "keep-alive") throw new InvalidArgumentError("invalid connection header");
			if (value === "close") request.reset = true;
		} else if (headerName === "expect") throw new NotSupportedError("expect header not supported");
		else request.headers.push(key, val);
	}
	module.exports = Request;
}));
// node_modules/undici/lib/util/timers.js
var require_timers = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	/**
	* This module offers an optimized timer implementation designed for scenarios
	* where high precision is not critical.
	*
	* The timer achieves faster performance by using a low-resolution approach,
	* with an accuracy target of within 500ms. This makes it particularly useful
	* for timers with delays of 1 second or more, where exact timing is less
	* crucial.
	*
	* It's important to note that Node.js timers are inherently imprecise, as
	* delays can occur due to the event loop being blocked by other operations.
	* Consequently, timers may trigger later than their scheduled time.
	*/
	/**
	* The fastNow variable contains the internal fast timer clock value.
	*
	* @type {number}
	*/
	let fastNow = 0;
	/**
	* RESOLUTION_MS represents the target resolution time in milliseconds.
	*
	* @type {number}
	* @default 1000
	*/
	const RESOLUTION_MS = 1e3;
	/**
	* TICK_MS defines the desired interval in milliseconds between each tick.
	* The target value is set to half the resolution time, minus 1 ms, to account
	* for potential event loop overhead.
	*
	* @type {number}
	* @default 499
	*/
	const TICK_MS = 499;
	/**
	* fastNowTimeout is a Node.js timer used to manage and process
	* the FastTimers stored in the `fastTimers` array.
	*
	* @type {NodeJS.Timeout}
	*/
	let fastNowTimeout;
	/**
	* The kFastTimer symbol is used to identify FastTimer instances.
	*
	* @type {Symbol}
	*/
	const kFastTimer = Symbol("kFastTimer");
	/**
	* The fastTimers array contains all active FastTimers.
	*
	* @type {FastTimer[]}
	*/
	const fastTimers = [];
	/**
	* These constants represent the various states of a FastTimer.
	*/
	/**
	* The `NOT_IN_LIST` constant indicates that the FastTimer is not included
	* in the `fastTimers` array. Timers with this status will not be processed
	* during the next tick by the `onTick` function.
	*
	* A FastTimer can be re-added to the `fastTimers` array by invoking the
	* `refresh` method on the FastTimer instance.
	*
	* @type {-2}
	*/
	const NOT_IN_LIST = -2;
	/**
	* The `TO_BE_CLEARED` constant indicates that the FastTimer is scheduled
	* for removal from the `fastTimers` array. A FastTimer in this state will
	* be removed in the next tick by the `onTick` function and will no longer
	* be processed.
	*
	* This status is also set when the `clear` method is called on the FastTimer instance.
	*
	* @type {-1}
	*/
	const TO_BE_CLEARED = -1;
	/**
	* The `PENDING` constant signifies that the FastTimer is awaiting processing
	* in the next tick by the `onTick` function. Timers with this status will have
	* their `_idleStart` value set and their status updated to `ACTIVE` in the next tick.
	*
	* @type {0}
	*/
	const PENDING = 0;
	/**
	* The `ACTIVE` constant indicates that the FastTimer is active and waiting
	* for its timer to expire. During the next tick, the `onTick` function will
	* check if the timer has expired, and if so, it will execute the associated callback.
	*
	* @type {1}
	*/
	const ACTIVE = 1;
	/**
	* The onTick function processes the fastTimers array.
	*
	* @returns {void}
	*/
	function onTick() {
		/**
		* Increment the fastNow value by the TICK_MS value, despite the actual time
		* that has passed since the last tick. This approach ensures independence
		* from the system clock and delays caused by a blocked event loop.
		*
		* @type {number}
		*/
		fastNow += TICK_MS;
		/**
		* The `idx` variable is used to iterate over the `fastTimers` array.
		* Expired timers are removed by replacing them with the last element in the array.
		* Consequently, `idx` is only incremented when the current element is not removed.
		*
		* @type {number}
		*/
		let idx = 0;
		/**
		* The len variable will contain the length of the fastTimers array
		* and will be decremented when a FastTimer should be removed from the
		* fastTimers array.
		*
		* @type {number}
		*/
		let len = fastTimers.length;
		while (idx < len) {
			/**
			* @type {FastTimer}
			*/
			const timer = fastTimers[idx];
			if (timer._state === PENDING) {
				timer._idleStart = fastNow - TICK_MS;
				timer._state = ACTIVE;
			} else if (timer._state === ACTIVE && fastNow >= timer._idleStart + timer._idleTimeout) {
				timer._state = TO_BE_CLEARED;
				timer._idleStart = -1;
				timer._onTimeout(timer._timerArg);
			}
			if (timer._state === TO_BE_CLEARED) {
				timer._state = NOT_IN_LIST;
				if (--len !== 0) fastTimers[idx] = fastTimers[len];
			} else ++idx;
		}
		fastTimers.length = len;
		if (fastTimers.length !== 0) refreshTimeout();
	}
	function refreshTimeout() {
		if (fastNowTimeout) fastNowTimeout.refresh();
		else {
			clearTimeout(fastNowTimeout);
			fastNowTimeout = setTimeout(onTick, TICK_MS);
			if (fastNowTimeout.unref) fastNowTimeout.unref();
		}
	}
	/**
	* The `FastTimer` class is a data structure designed to store and manage
	* timer information.
	*/
	var FastTimer = class {
		[kFastTimer] = true;
		/**
		* The state of the timer, which can be one of the following:
		* - NOT_IN_LIST (-2)
		* - TO_BE_CLEARED (-1)
		* - PENDING (0)
		* - ACTIVE (1)
		*
		* @type {-2|-1|0|1}
		* @private
		*/
		_state = NOT_IN_LIST;
		/**
		* The number of milliseconds to wait before calling the callback.
		*
		* @type {number}
		* @private
		*/
		_idleTimeout = -1;
		/**
		* The time in milliseconds when the timer was started. This value is used to
		* calculate when the timer should expire.
		*
		* @type {number}
		* @default -1
		* @private
		*/
		_idleStart = -1;
		/**
		* The function to be executed when the timer expires.
		* @type {Function}
		* @private
		*/
		_onTimeout;
		/**
		* The argument to be passed to the callback when the timer expires.
		*
		* @type {*}
		* @private
		*/
		_timerArg;
		/**
		* @constructor
		* @param {Function} callback A function to be executed after the timer
		* expires.
		* @param {number} delay The time, in milliseconds that the timer should wait
		* before the specified function or code is executed.
		* @param {*} arg
		*/
		constructor(callback, delay, arg) {
			this._onTimeout = callback;
			this._idleTimeout = delay;
			this._timerArg = arg;
			this.refresh();
		}
		/**
		* Sets the timer's start time to the current time, and reschedules the timer
		* to call its callback at the previously specified duration adjusted to the
		* current time.
		* Using this on a timer that has already called its callback will reactivate
		* the timer.
		*
		* @returns {void}
		*/
		refresh() {
			if (this._state === NOT_IN_LIST) fastTimers.push(this);
			if (!fastNowTimeout || fastTimers.length === 1) refreshTimeout();
			this._state = PENDING;
		}
		/**
		* The `clear` method cancels the timer, preventing it from executing.
		*
		* @returns {void}
		* @private
		*/
		clear() {
			this._state = TO_BE_CLEARED;
			this._idleStart = -1;
		}
	};
	/**
	* This module exports a setTimeout and clearTimeout function that can be
	* used as a drop-in replacement for the native functions.
	*/
	module.exports = {
		/**
		* The setTimeout() method sets a timer which executes a function once the
		* timer expires.
		* @param {Function} callback A function to be executed after the timer
		* expires.
		* @param {number} delay The time, in milliseconds that the timer should
		* wait before the specified function or code is executed.
		* @param {*} [arg] An optional argument to be passed to the callback function
		* when the timer expires.
		* @returns {NodeJS.Timeout|FastTimer}
		*/
		setTimeout(callback, delay, arg) {
			return delay <= RESOLUTION_MS ? setTimeout(callback, delay, arg) : new FastTimer(callback, delay, arg);
		},
		/**
		* The clearTimeout method cancels an instantiated Timer previously created
		* by calling setTimeout.
		*
		* @param {NodeJS.Timeout|FastTimer} timeout
		*/
		clearTimeout(timeout) {
			if (timeout[kFastTimer])
 /**
			* @type {FastTimer}
			*/
			timeout.clear();
			else clearTimeout(timeout);
		},
		/**
		* The setFastTimeout() method sets a fastTimer which executes a function once
		* the timer expires.
		* @param {Function} callback A function to be executed after the timer
		* expires.
		* @param {number} delay The time, in milliseconds that the timer should
		* wait before the specified function or code is executed.
		* @param {*} [arg] An optional argument to be passed to the callback function
		* when the timer expires.
		* @returns {FastTimer}
		*/
		setFastTimeout(callback, delay, arg) {
			return new FastTimer(callback, delay, arg);
		},
		/**
		* The clearTimeout method cancels an instantiated FastTimer previously
		* created by calling setFastTimeout.
		*
		* @param {FastTimer} timeout
		*/
		clearFastTimeout(timeout) {
			timeout.clear();
		},
		/**
		* The now method returns the value of the internal fast timer clock.
		*
		* @returns {number}
		*/
		now() {
			return fastNow;
		},
		/**
		* Trigger the onTick function to process the fastTimers array.
		* Exported for testing purposes only.
		* Marking as deprecated to discourage any use outside of testing.
		* @deprecated
		* @param {number} [delay=0] The delay in milliseconds to add to the now value.
		*/
		tick(delay = 0) {
			fastNow += delay - RESOLUTION_MS + 1;
			onTick();
			onTick();
		},
		/**
		* Reset FastTimers.
		* Exported for testing purposes only.
		* Marking as deprecated to discourage any use outside of testing.
		* @deprecated
		*/
		reset() {
			fastNow = 0;
			fastTimers.length = 0;
			clearTimeout(fastNowTimeout);
			fastNowTimeout = null;
		},
		/**
		* Exporting for testing purposes only.
		* Marking as deprecated to discourage any use outside of testing.
		* @deprecated
		*/
		kFastTimer
	};
}));
// node_modules/undici/lib/core/connect.js
var require_connect = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const net = require("node:net");
	const assert = require_util$2.require__lazy_assert();
	const util = require_util$2.require_util();
	const { InvalidArgumentError, ConnectTimeoutError } = require_util$2.require_errors();
	const timers = require_timers();
	function noop() {}
	let tls;
	let SessionCache;
	if (global.FinalizationRegistry && !(process.env.NODE_V8_COVERAGE || process.env.UNDICI_NO_FG)) SessionCache = class WeakSessionCache {
		constructor(maxCachedSessions) {
			this._maxCachedSessions = maxCachedSessions;
			this._sessionCache = /* @__PURE__ */ new Map();
			this._sessionRegistry = new global.FinalizationRegistry((key) => {
				if (this._sessionCache.size < this._maxCachedSessions) return;
				const ref = this._sessionCache.get(key);
				if (ref !== void 0 && ref.deref() === void 0) this._sessionCache.delete(key);
			});
		}
		get(sessionKey) {
			const ref = this._sessionCache.get(sessionKey);
			return ref ? ref.deref() : null;
		}
		set(sessionKey, session) {
			if (this._maxCachedSessions === 0) return;
			this._sessionCache.set(sessionKey, new WeakRef(session));
			this._sessionRegistry.register(session, sessionKey);
		}
	};
	else SessionCache = class SimpleSessionCache {
		constructor(maxCachedSessions) {
			this._maxCachedSessions = maxCachedSessions;
			this._sessionCache = /* @__PURE__ */ new Map();
		}
		get(sessionKey) {
			return this._sessionCache.get(sessionKey);
		}
		set(sessionKey, session) {
			if (this._maxCachedSessions === 0) return;
			if (this._sessionCache.size >= this._maxCachedSessions) {
				const { value: oldestKey } = this._sessionCache.keys().next();
				this._sessionCache.delete(oldestKey);
			}
			this._sessionCache.set(sessionKey, session);
		}
	};
	function buildConnector({ allowH2, maxCachedSessions, socketPath, timeout, session: customSession, ...opts }) {
		if (maxCachedSessions != null && (!Number.isInteger(maxCachedSessions) || maxCachedSessions < 0)) throw new InvalidArgumentError("maxCachedSessions must be a positive integer or zero");
		const options = {
			path: socketPath,
			...opts
		};
		const sessionCache = new SessionCache(maxCachedSessions == null ? 100 : maxCachedSessions);
		timeout = timeout == null ? 1e4 : timeout;
		allowH2 = allowH2 != null ? allowH2 : false;
		return function connect({ hostname, host, protocol, port, servername, localAddress, httpSocket }, callback) {
			let socket;
			if (protocol === "https:") {
				if (!tls) tls = require("node:tls");
				servername = servername || options.servername || util.getServerName(host) || null;
				const sessionKey = servername || hostname;
				assert(sessionKey);
				const session = customSession || sessionCache.get(sessionKey) || null;
				port = port || 443;
				socket = tls.connect({
					highWaterMark: 16384,
					...options,
					servername,
					session,
					localAddress,
					ALPNProtocols: allowH2 ? ["http/1.1", "h2"] : ["http/1.1"],
					socket: httpSocket,
					port,
					host: hostname
				});
				socket.on("session", function(session) {
					sessionCache.set(sessionKey, session);
				});
			} else {
				assert(!httpSocket, "httpSocket can only be sent on TLS update");
				port = port || 80;
				socket = net.connect({
					highWaterMark: 65536,
					...options,
					localAddress,
					port,
					host: hostname
				});
			}
			if (options.keepAlive == null || options.keepAlive) {
				const keepAliveInitialDelay = options.keepAliveInitialDelay === void 0 ? 6e4 : options.keepAliveInitialDelay;
				socket.setKeepAlive(true, keepAliveInitialDelay);
			}
			const clearConnectTimeout = setupConnectTimeout(new WeakRef(socket), {
				timeout,
				hostname,
				port
			});
			socket.setNoDelay(true).once(protocol === "https:" ? "secureConnect" : "connect", function() {
				queueMicrotask(clearConnectTimeout);
				if (callback) {
					const cb = callback;
					callback = null;
					cb(null, this);
				}
			}).on("error", function(err) {
				queueMicrotask(clearConnectTimeout);
				if (callback) {
					const cb = callback;
					callback = null;
					cb(err);
				}
			});
			return socket;
		};
	}
	/**
	* @param {WeakRef<net.Socket>} socketWeakRef
	* @param {object} opts
	* @param {number} opts.timeout
	* @param {string} opts.hostname
	* @param {number} opts.port
	* @returns {() => void}
	*/
	const setupConnectTimeout = process.platform === "win32" ? (socketWeakRef, opts) => {
		if (!opts.timeout) return noop;
		let s1 = null;
		let s2 = null;
		const fastTimer = timers.setFastTimeout(() => {
			s1 = setImmediate(() => {
				s2 = setImmediate(() => onConnectTimeout(socketWeakRef.deref(), opts));
			});
		}, opts.timeout);
		return () => {
			timers.clearFastTimeout(fastTimer);
			clearImmediate(s1);
			clearImmediate(s2);
		};
	} : (socketWeakRef, opts) => {
		if (!opts.timeout) return noop;
		let s1 = null;
		const fastTimer = timers.setFastTimeout(() => {
			s1 = setImmediate(() => {
				onConnectTimeout(socketWeakRef.deref(), opts);
			});
		}, opts.timeout);
		return () => {
			timers.clearFastTimeout(fastTimer);
			clearImmediate(s1);
		};
	};
	/**
	* @param {net.Socket} socket
	* @param {object} opts
	* @param {number} opts.timeout
	* @param {string} opts.hostname
	* @param {number} opts.port
	*/
	function onConnectTimeout(socket, opts) {
		if (socket == null) return;
		let message = "Connect Timeout Error";
		if (Array.isArray(socket.autoSelectFamilyAttemptedAddresses)) message += ` (attempted addresses: ${socket.autoSelectFamilyAttemptedAddresses.join(", ")},`;
		else message += ` (attempted address: ${opts.hostname}:${opts.port},`;
		message += ` timeout: ${opts.timeout}ms)`;
		util.destroy(socket, new ConnectTimeoutError(message));
	}
	module.exports = buildConnector;
}));
// node_modules/undici/lib/llhttp/utils.js
var require_utils = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports) => {
	Object.defineProperty(exports, "__esModule", { value: true });
	exports.enumToMap = void 0;
	function enumToMap(obj) {
		const res = {};
		Object.keys(obj).forEach((key) => {
			const value = obj[key];
			if (typeof value === "number") res[key] = value;
		});
		return res;
	}
	exports.enumToMap = enumToMap;
}));
// node_modules/undici/lib/llhttp/constants.js
var require_constants = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports) => {
	Object.defineProperty(exports, "__esModule", { value: true });
	exports.SPECIAL_HEADERS = exports.HEADER_STATE = exports.MINOR = exports.MAJOR = exports.CONNECTION_TOKEN_CHARS = exports.HEADER_CHARS = exports.TOKEN = exports.STRICT_TOKEN = exports.HEX = exports.URL_CHAR = exports.STRICT_URL_CHAR = exports.USERINFO_CHARS = exports.MARK = exports.ALPHANUM = exports.NUM = exports.HEX_MAP = exports.NUM_MAP = exports.ALPHA = exports.FINISH = exports.H_METHOD_MAP = exports.METHOD_MAP = exports.METHODS_RTSP = exports.METHODS_ICE = exports.METHODS_HTTP = exports.METHODS = exports.LENIENT_FLAGS = exports.FLAGS = exports.TYPE = exports.ERROR = void 0;
	const utils_1 = require_utils();
	(function(ERROR) {
		ERROR[ERROR["OK"] = 0] = "OK";
		ERROR[ERROR["INTERNAL"] = 1] = "INTERNAL";
		ERROR[ERROR["STRICT"] = 2] = "STRICT";
		ERROR[ERROR["LF_EXPECTED"] = 3] = "LF_EXPECTED";
		ERROR[ERROR["UNEXPECTED_CONTENT_LENGTH"] = 4] = "UNEXPECTED_CONTENT_LENGTH";
		ERROR[ERROR["CLOSED_CONNECTION"] = 5] = "CLOSED_CONNECTION";
		ERROR[ERROR["INVALID_METHOD"] = 6] = "INVALID_METHOD";
		ERROR[ERROR["INVALID_URL"] = 7] = "INVALID_URL";
		ERROR[ERROR["INVALID_CONSTANT"] = 8] = "INVALID_CONSTANT";
		ERROR[ERROR["INVALID_VERSION"] = 9] = "INVALID_VERSION";
		ERROR[ERROR["INVALID_HEADER_TOKEN"] = 10] = "INVALID_HEADER_TOKEN";
		ERROR[ERROR["INVALID_CONTENT_LENGTH"] = 11] = "INVALID_CONTENT_LENGTH";
		ERROR[ERROR["INVALID_CHUNK_SIZE"] = 12] = "INVALID_CHUNK_SIZE";
		ERROR[ERROR["INVALID_STATUS"] = 13] = "INVALID_STATUS";
		ERROR[ERROR["INVALID_EOF_STATE"] = 14] = "INVALID_EOF_STATE";
		ERROR[ERROR["INVALID_TRANSFER_ENCODING"] = 15] = "INVALID_TRANSFER_ENCODING";
		ERROR[ERROR["CB_MESSAGE_BEGIN"] = 16] = "CB_MESSAGE_BEGIN";
		ERROR[ERROR["CB_HEADERS_COMPLETE"] = 17] = "CB_HEADERS_COMPLETE";
		ERROR[ERROR["CB_MESSAGE_COMPLETE"] = 18] = "CB_MESSAGE_COMPLETE";
		ERROR[ERROR["CB_CHUNK_HEADER"] = 19] = "CB_CHUNK_HEADER";
		ERROR[ERROR["CB_CHUNK_COMPLETE"] = 20] = "CB_CHUNK_COMPLETE";
		ERROR[ERROR["PAUSED"] = 21] = "PAUSED";
		ERROR[ERROR["PAUSED_UPGRADE"] = 22] = "PAUSED_UPGRADE";
		ERROR[ERROR["PAUSED_H2_UPGRADE"] = 23] = "PAUSED_H2_UPGRADE";
		ERROR[ERROR["USER"] = 24] = "USER";
	})(exports.ERROR || (exports.ERROR = {}));
	(function(TYPE) {
		TYPE[TYPE["BOTH"] = 0] = "BOTH";
		TYPE[TYPE["REQUEST"] = 1] = "REQUEST";
		TYPE[TYPE["RESPONSE"] = 2] = "RESPONSE";
	})(exports.TYPE || (exports.TYPE = {}));
	(function(FLAGS) {
		FLAGS[FLAGS["CONNECTION_KEEP_ALIVE"] = 1] = "CONNECTION_KEEP_ALIVE";
		FLAGS[FLAGS["CONNECTION_CLOSE"] = 2] = "CONNECTION_CLOSE";
		FLAGS[FLAGS["CONNECTION_UPGRADE"] = 4] = "CONNECTION_UPGRADE";
		FLAGS[FLAGS["CHUNKED"] = 8] = "CHUNKED";
		FLAGS[FLAGS["UPGRADE"] = 16] = "UPGRADE";
		FLAGS[FLAGS["CONTENT_LENGTH"] = 32] = "CONTENT_LENGTH";
		FLAGS[FLAGS["SKIPBODY"] = 64] = "SKIPBODY";
		FLAGS[FLAGS["TRAILING"] = 128] = "TRAILING";
		FLAGS[FLAGS["TRANSFER_ENCODING"] = 512] = "TRANSFER_ENCODING";
	})(exports.FLAGS || (exports.FLAGS = {}));
	(function(LENIENT_FLAGS) {
		LENIENT_FLAGS[LENIENT_FLAGS["HEADERS"] = 1] = "HEADERS";
		LENIENT_FLAGS[LENIENT_FLAGS["CHUNKED_LENGTH"] = 2] = "CHUNKED_LENGTH";
		LENIENT_FLAGS[LENIENT_FLAGS["KEEP_ALIVE"] = 4] = "KEEP_ALIVE";
	})(exports.LENIENT_FLAGS || (exports.LENIENT_FLAGS = {}));
	var METHODS;
	(function(METHODS) {
		METHODS[METHODS["DELETE"] = 0] = "DELETE";
		METHODS[METHODS["GET"] = 1] = "GET";
		METHODS[METHODS["HEAD"] = 2] = "HEAD";
		METHODS[METHODS["POST"] = 3] = "POST";
		METHODS[METHODS["PUT"] = 4] = "PUT";
		METHODS[METHODS["CONNECT"] = 5] = "CONNECT";
		METHODS[METHODS["OPTIONS"] = 6] = "OPTIONS";
		METHODS[METHODS["TRACE"] = 7] = "TRACE";
		METHODS[METHODS["COPY"] = 8] = "COPY";
		METHODS[METHODS["LOCK"] = 9] = "LOCK";
		METHODS[METHODS["MKCOL"] = 10] = "MKCOL";
		METHODS[METHODS["MOVE"] = 11] = "MOVE";
		METHODS[METHODS["PROPFIND"] = 12] = "PROPFIND";
		METHODS[METHODS["PROPPATCH"] = 13] = "PROPPATCH";
		METHODS[METHODS["SEARCH"] = 14] = "SEARCH";
		METHODS[METHODS["UNLOCK"] = 15] = "UNLOCK";
		METHODS[METHODS["BIND"] = 16] = "BIND";
		METHODS[METHODS["REBIND"] = 17] = "REBIND";
		METHODS[METHODS["UNBIND"] = 18] = "UNBIND";
		METHODS[METHODS["ACL"] = 19] = "ACL";
		METHODS[METHODS["REPORT"] = 20] = "REPORT";
		METHODS[METHODS["MKACTIVITY"] = 21] = "MKACTIVITY";
		METHODS[METHODS["CHECKOUT"] = 22] = "CHECKOUT";
		METHODS[METHODS["MERGE"] = 23] = "MERGE";
		METHODS[METHODS["M-SEARCH"] = 24] = "M-SEARCH";
		METHODS[METHODS["NOTIFY"] = 25] = "NOTIFY";
		METHODS[METHODS["SUBSCRIBE"] = 26] = "SUBSCRIBE";
		METHODS[METHODS["UNSUBSCRIBE"] = 27] = "UNSUBSCRIBE";
		METHODS[METHODS["PATCH"] = 28] = "PATCH";
		METHODS[METHODS["PURGE"] = 29] = "PURGE";
		METHODS[METHODS["MKCALENDAR"] = 30] = "MKCALENDAR";
		METHODS[METHODS["LINK"] = 31] = "LINK";
		METHODS[METHODS["UNLINK"] = 32] = "UNLINK";
		METHODS[METHODS["SOURCE"] = 33] = "SOURCE";
		METHODS[METHODS["PRI"] = 34] = "PRI";
		METHODS[METHODS["DESCRIBE"] = 35] = "DESCRIBE";
		METHODS[METHODS["ANNOUNCE"] = 36] = "ANNOUNCE";
		METHODS[METHODS["SETUP"] = 37] = "SETUP";
		METHODS[METHODS["PLAY"] = 38] = "PLAY";
		METHODS[METHODS["PAUSE"] = 39] = "PAUSE";
		METHODS[METHODS["TEARDOWN"] = 40] = "TEARDOWN";
		METHODS[METHODS["GET_PARAMETER"] = 41] = "GET_PARAMETER";
		METHODS[METHODS["SET_PARAMETER"] = 42] = "SET_PARAMETER";
		METHODS[METHODS["REDIRECT"] = 43] = "REDIRECT";
		METHODS[METHODS["RECORD"] = 44] = "RECORD";
		METHODS[METHODS["FLUSH"] = 45] = "FLUSH";
	})(METHODS = exports.METHODS || (exports.METHODS = {}));
	exports.METHODS_HTTP = [
		METHODS.DELETE,
		METHODS.GET,
		METHODS.HEAD,
		METHODS.POST,
		METHODS.PUT,
		METHODS.CONNECT,
		METHODS.OPTIONS,
		METHODS.TRACE,
		METHODS.COPY,
		METHODS.LOCK,
		METHODS.MKCOL,
		METHODS.MOVE,
		METHODS.PROPFIND,
		METHODS.PROPPATCH,
		METHODS.SEARCH,
		METHODS.UNLOCK,
		METHODS.BIND,
		METHODS.REBIND,
		METHODS.UNBIND,
		METHODS.ACL,
		METHODS.REPORT,
		METHODS.MKACTIVITY,
		METHODS.CHECKOUT,
		METHODS.MERGE,
		METHODS["M-SEARCH"],
		METHODS.NOTIFY,
		METHODS.SUBSCRIBE,
		METHODS.UNSUBSCRIBE,
		METHODS.PATCH,
		METHODS.PURGE,
		METHODS.MKCALENDAR,
		METHODS.LINK,
		METHODS.UNLINK,
		METHODS.PRI,
		METHODS.SOURCE
	];
	exports.METHODS_ICE = [METHODS.SOURCE];
	exports.METHODS_RTSP = [
		METHODS.OPTIONS,
		METHODS.DESCRIBE,
		METHODS.ANNOUNCE,
		METHODS.SETUP,
		METHODS.PLAY,
		METHODS.PAUSE,
		METHODS.TEARDOWN,
		METHODS.GET_PARAMETER,
		METHODS.SET_PARAMETER,
		METHODS.REDIRECT,
		METHODS.RECORD,
		METHODS.FLUSH,
		METHODS.GET,
		METHODS.POST
	];
	exports.METHOD_MAP = utils_1.enumToMap(METHODS);
	exports.H_METHOD_MAP = {};
	Object.keys(exports.METHOD_MAP).forEach((key) => {
		if (/^H/.test(key)) exports.H_METHOD_MAP[key] = exports.METHOD_MAP[key];
	});
	(function(FINISH) {
		FINISH[FINISH["SAFE"] = 0] = "SAFE";
		FINISH[FINISH["SAFE_WITH_CB"] = 1] = "SAFE_WITH_CB";
		FINISH[FINISH["UNSAFE"] = 2] = "UNSAFE";
	})(exports.FINISH || (exports.FINISH = {}));
	exports.ALPHA = [];
	for (let i = "A".charCodeAt(0); i <= "Z".charCodeAt(0); i++) {
		exports.ALPHA.push(String.fromCharCode(i));
		exports.ALPHA.push(String.fromCharCode(i + 32));
	}
	exports.NUM_MAP = {
		0: 0,
		1: 1,
		2: 2,
		3: 3,
		4: 4,
		5: 5,
		6: 6,
		7: 7,
		8: 8,
		9: 9
	};
	exports.HEX_MAP = {
		0: 0,
		1: 1,
		2: 2,
		3: 3,
		4: 4,
		5: 5,
		6: 6,
		7: 7,
		8: 8,
		9: 9,
		A: 10,
		B: 11,
		C: 12,
		D: 13,
		E: 14,
		F: 15,
		a: 10,
		b: 11,
		c: 12,
		d: 13,
		e: 14,
		f: 15
	};
	exports.NUM = [
		"0",
		"1",
		"2",
		"3",
		"4",
		"5",
		"6",
		"7",
		"8",
		"9"
	];
	exports.ALPHANUM = exports.ALPHA.concat(exports.NUM);
	exports.MARK = [
		"-",
		"_",
		".",
		"!",
		"~",
		"*",
		"'",
		"(",
		")"
	];
	exports.USERINFO_CHARS = exports.ALPHANUM.concat(exports.MARK).concat([
		"%",
		";",
		":",
		"&",
		"=",
		"+",
		"$",
		","
	]);
	exports.STRICT_URL_CHAR = [
		"!",
		"\"",
		"$",
		"%",
		"&",
		"'",
		"(",
		")",
		"*",
		"+",
		",",
		"-",
		".",
		"/",
		":",
		";",
		"<",
		"=",
		">",
		"@",
		"[",
		"\\",
		"]",
		"^",
		"_",
		"`",
		"{",
		"|",
		"}",
		"~"
	].concat(exports.ALPHANUM);
	exports.URL_CHAR = exports.STRICT_URL_CHAR.concat(["	", "\f"]);
	for (let i = 128; i <= 255; i++) exports.URL_CHAR.push(i);
	exports.HEX = exports.NUM.concat([
		"a",
		"b",
		"c",
		"d",
		"e",
		"f",
		"A",
		"B",
		"C",
		"D",
		"E",
		"F"
	]);
	exports.STRICT_TOKEN = [
		"!",
		"#",
		"$",
		"%",
		"&",
		"'",
		"*",
		"+",
		"-",
		".",
		"^",
		"_",
		"`",
		"|",
		"~"
	].concat(exports.ALPHANUM);
	exports.TOKEN = exports.STRICT_TOKEN.concat([" "]);
	exports.HEADER_CHARS = ["	"];
	for (let i = 32; i <= 255; i++) if (i !== 127) exports.HEADER_CHARS.push(i);
	exports.CONNECTION_TOKEN_CHARS = exports.HEADER_CHARS.filter((c) => c !== 44);
	exports.MAJOR = exports.NUM_MAP;
	exports.MINOR = exports.MAJOR;
	var HEADER_STATE;
	(function(HEADER_STATE) {
		HEADER_STATE[HEADER_STATE["GENERAL"] = 0] = "GENERAL";
		HEADER_STATE[HEADER_STATE["CONNECTION"] = 1] = "CONNECTION";
		HEADER_STATE[HEADER_STATE["CONTENT_LENGTH"] = 2] = "CONTENT_LENGTH";
		HEADER_STATE[HEADER_STATE["TRANSFER_ENCODING"] = 3] = "TRANSFER_ENCODING";
		HEADER_STATE[HEADER_STATE["UPGRADE"] = 4] = "UPGRADE";
		HEADER_STATE[HEADER_STATE["CONNECTION_KEEP_ALIVE"] = 5] = "CONNECTION_KEEP_ALIVE";
		HEADER_STATE[HEADER_STATE["CONNECTION_CLOSE"] = 6] = "CONNECTION_CLOSE";
		HEADER_STATE[HEADER_STATE["CONNECTION_UPGRADE"] = 7] = "CONNECTION_UPGRADE";
		HEADER_STATE[HEADER_STATE["TRANSFER_ENCODING_CHUNKED"] = 8] = "TRANSFER_ENCODING_CHUNKED";
	})(HEADER_STATE = exports.HEADER_STATE || (exports.HEADER_STATE = {}));
	exports.SPECIAL_HEADERS = {
		"connection": HEADER_STATE.CONNECTION,
		"content-length": HEADER_STATE.CONTENT_LENGTH,
		"proxy-connection": HEADER_STATE.CONNECTION,
		"transfer-encoding": HEADER_STATE.TRANSFER_ENCODING,
		"upgrade": HEADER_STATE.UPGRADE
	};
}));
// node_modules/undici/lib/llhttp/llhttp_simd-wasm.js
var require_llhttp_simd_wasm = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const { Buffer } = require("node:buffer");
	module.exports = Buffer.from("AGFzbQEAAAABJwdgAX8Bf2ADf39/AX9gAX8AYAJ/fwBgBH9/f38Bf2AAAGADf39/AALLAQgDZW52GHdhc21fb25faGVhZGVyc19jb21wbGV0ZQAEA2VudhV3YXNtX29uX21lc3NhZ2VfYmVnaW4AAANlbnYLd2FzbV9vbl91cmwAAQNlbnYOd2FzbV9vbl9zdGF0dXMAAQNlbnYUd2FzbV9vbl9oZWFkZXJfZmllbGQAAQNlbnYUd2FzbV9vbl9oZWFkZXJfdmFsdWUAAQNlbnYMd2FzbV9vbl9ib2R5AAEDZW52GHdhc21fb25fbWVzc2FnZV9jb21wbGV0ZQAAAy0sBQYAAAIAAAAAAAACAQIAAgICAAADAAAAAAMDAwMBAQEBAQEBAQEAAAIAAAAEBQFwARISBQMBAAIGCAF/AUGA1AQLB9EFIgZtZW1vcnkCAAtfaW5pdGlhbGl6ZQAIGV9faW5kaXJlY3RfZnVuY3Rpb25fdGFibGUBAAtsbGh0dHBfaW5pdAAJGGxsaHR0cF9zaG91bGRfa2VlcF9hbGl2ZQAvDGxsaHR0cF9hbGxvYwALBm1hbGxvYwAxC2xsaHR0cF9mcmVlAAwEZnJlZQAMD2xsaHR0cF9nZXRfdHlwZQANFWxsaHR0cF9nZXRfaHR0cF9tYWpvcgAOFWxsaHR0cF9nZXRfaHR0cF9taW5vcgAPEWxsaHR0cF9nZXRfbWV0aG9kABAWbGxodHRwX2dldF9zdGF0dXNfY29kZQAREmxsaHR0cF9nZXRfdXBncmFkZQASDGxsaHR0cF9yZXNldAATDmxsaHR0cF9leGVjdXRlABQUbGxodHRwX3NldHRpbmdzX2luaXQAFQ1sbGh0dHBfZmluaXNoABYMbGxodHRwX3BhdXNlABcNbGxodHRwX3Jlc3VtZQAYG2xsaHR0cF9yZXN1bWVfYWZ0ZXJfdXBncmFkZQAZEGxsaHR0cF9nZXRfZXJybm8AGhdsbGh0dHBfZ2V0X2Vycm9yX3JlYXNvbgAbF2xsaHR0cF9zZXRfZXJyb3JfcmVhc29uABwUbGxodHRwX2dldF9lcnJvcl9wb3MAHRFsbGh0dHBfZXJybm9fbmFtZQAeEmxsaHR0cF9tZXRob2RfbmFtZQAfEmxsaHR0cF9zdGF0dXNfbmFtZQAgGmxsaHR0cF9zZXRfbGVuaWVudF9oZWFkZXJzACEhbGxodHRwX3NldF9sZW5pZW50X2NodW5rZWRfbGVuZ3RoACIdbGxodHRwX3NldF9sZW5pZW50X2tlZXBfYWxpdmUAIyRsbGh0dHBfc2V0X2xlbmllbnRfdHJhbnNmZXJfZW5jb2RpbmcAJBhsbGh0dHBfbWVzc2FnZV9uZWVkc19lb2YALgkXAQBBAQsRAQIDBAUKBgcrLSwqKSglJyYK77MCLBYAQYjQACgCAARAAAtBiNAAQQE2AgALFAAgABAwIAAgAjYCOCAAIAE6ACgLFAAgACAALwEyIAAtAC4gABAvEAALHgEBf0HAABAyIgEQMCABQYAINgI4IAEgADoAKCABC48MAQd/AkAgAEUNACAAQQhrIgEgAEEEaygCACIAQXhxIgRqIQUCQCAAQQFxDQAgAEEDcUUNASABIAEoAgAiAGsiAUGc0AAoAgBJDQEgACAEaiEEAkACQEGg0AAoAgAgAUcEQCAAQf8BTQRAIABBA3YhAyABKAIIIgAgASgCDCICRgRAQYzQAEGM0AAoAgBBfiADd3E2AgAMBQsgAiAANgIIIAAgAjYCDAwECyABKAIYIQYgASABKAIMIgBHBEAgACABKAIIIgI2AgggAiAANgIMDAMLIAFBFGoiAygCACICRQRAIAEoAhAiAkUNAiABQRBqIQMLA0AgAyEHIAIiAEEUaiIDKAIAIgINACAAQRBqIQMgACgCECICDQALIAdBADYCAAwCCyAFKAIEIgBBA3FBA0cNAiAFIABBfnE2AgRBlNAAIAQ2AgAgBSAENgIAIAEgBEEBcjYCBAwDC0EAIQALIAZFDQACQCABKAIcIgJBAnRBvNIAaiIDKAIAIAFGBEAgAyAANgIAIAANAUGQ0ABBkNAAKAIAQX4gAndxNgIADAILIAZBEEEUIAYoAhAgAUYbaiAANgIAIABFDQELIAAgBjYCGCABKAIQIgIEQCAAIAI2AhAgAiAANgIYCyABQRRqKAIAIgJFDQAgAEEUaiACNgIAIAIgADYCGAsgASAFTw0AIAUoAgQiAEEBcUUNAAJAAkACQAJAIABBAnFFBEBBpNAAKAIAIAVGBEBBpNAAIAE2AgBBmNAAQZjQACgCACAEaiIANgIAIAEgAEEBcjYCBCABQaDQACgCAEcNBkGU0ABBADYCAEGg0ABBADYCAAwGC0Gg0AAoAgAgBUYEQEGg0AAgATYCAEGU0ABBlNAAKAIAIARqIgA2AgAgASAAQQFyNgIEIAAgAWogADYCAAwGCyAAQXhxIARqIQQgAEH/AU0EQCAAQQN2IQMgBSgCCCIAIAUoAgwiAkYEQEGM0ABBjNAAKAIAQX4gA3dxNgIADAULIAIgADYCCCAAIAI2AgwMBAsgBSgCGCEGIAUgBSgCDCIARwRAQZzQACgCABogACAFKAIIIgI2AgggAiAANgIMDAMLIAVBFGoiAygCACICRQRAIAUoAhAiAkUNAiAFQRBqIQMLA0AgAyEHIAIiAEEUaiIDKAIAIgINACAAQRBqIQMgACgCECICDQALIAdBADYCAAwCCyAFIABBfnE2AgQgASAEaiAENgIAIAEgBEEBcjYCBAwDC0EAIQALIAZFDQACQCAFKAIcIgJBAnRBvNIAaiIDKAIAIAVGBEAgAyAANgIAIAANAUGQ0ABBkNAAKAIAQX4gAndxNgIADAILIAZBEEEUIAYoAhAgBUYbaiAANgIAIABFDQELIAAgBjYCGCAFKAIQIgIEQCAAIAI2AhAgAiAANgIYCyAFQRRqKAIAIgJFDQAgAEEUaiACNgIAIAIgADYCGAsgASAEaiAENgIAIAEgBEEBcjYCBCABQaDQACgCAEcNAEGU0AAgBDYCAAwBCyAEQf8BTQRAIARBeHFBtNAAaiEAAn9BjNAAKAIAIgJBASAEQQN2dCIDcUUEQEGM0AAgAiADcjYCACAADAELIAAoAggLIgIgATYCDCAAIAE2AgggASAANgIMIAEgAjYCCAwBC0EfIQIgBEH///8HTQRAIARBJiAEQQh2ZyIAa3ZBAXEgAEEBdGtBPmohAgsgASACNgIcIAFCADcCECACQQJ0QbzSAGohAAJAQZDQACgCACIDQQEgAnQiB3FFBEAgACABNgIAQZDQACADIAdyNgIAIAEgADYCGCABIAE2AgggASABNgIMDAELIARBGSACQQF2a0EAIAJBH0cbdCECIAAoAgAhAAJAA0AgACIDKAIEQXhxIARGDQEgAkEddiEAIAJBAXQhAiADIABBBHFqQRBqIgcoAgAiAA0ACyAHIAE2AgAgASADNgIYIAEgATYCDCABIAE2AggMAQsgAygCCCIAIAE2AgwgAyABNgIIIAFBADYCGCABIAM2AgwgASAANgIIC0Gs0ABBrNAAKAIAQQFrIgBBfyAAGzYCAAsLBwAgAC0AKAsHACAALQAqCwcAIAAtACsLBwAgAC0AKQsHACAALwEyCwcAIAAtAC4LQAEEfyAAKAIYIQEgAC0ALSECIAAtACghAyAAKAI4IQQgABAwIAAgBDYCOCAAIAM6ACggACACOgAtIAAgATYCGAu74gECB38DfiABIAJqIQQCQCAAIgIoAgwiAA0AIAIoAgQEQCACIAE2AgQLIwBBEGsiCCQAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACfwJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAIAIoAhwiA0EBaw7dAdoBAdkBAgMEBQYHCAkKCwwNDtgBDxDXARES1gETFBUWFxgZGhvgAd8BHB0e1QEfICEiIyQl1AEmJygpKiss0wHSAS0u0QHQAS8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRtsBR0hJSs8BzgFLzQFMzAFNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AAYEBggGDAYQBhQGGAYcBiAGJAYoBiwGMAY0BjgGPAZABkQGSAZMBlAGVAZYBlwGYAZkBmgGbAZwBnQGeAZ8BoAGhAaIBowGkAaUBpgGnAagBqQGqAasBrAGtAa4BrwGwAbEBsgGzAbQBtQG2AbcBywHKAbgByQG5AcgBugG7AbwBvQG+Ab8BwAHBAcIBwwHEAcUBxgEA3AELQQAMxgELQQ4MxQELQQ0MxAELQQ8MwwELQRAMwgELQRMMwQELQRQMwAELQRUMvwELQRYMvgELQRgMvQELQRkMvAELQRoMuwELQRsMugELQRwMuQELQR0MuAELQQgMtwELQR4MtgELQSAMtQELQR8MtAELQQcMswELQSEMsgELQSIMsQELQSMMsAELQSQMrwELQRIMrgELQREMrQELQSUMrAELQSYMqwELQScMqgELQSgMqQELQcMBDKgBC0EqDKcBC0ErDKYBC0EsDKUBC0EtDKQBC0EuDKMBC0EvDKIBC0HEAQyhAQtBMAygAQtBNAyfAQtBDAyeAQtBMQydAQtBMgycAQtBMwybAQtBOQyaAQtBNQyZAQtBxQEMmAELQQsMlwELQToMlgELQTYMlQELQQoMlAELQTcMkwELQTgMkgELQTwMkQELQTsMkAELQT0MjwELQQkMjgELQSkMjQELQT4MjAELQT8MiwELQcAADIoBC0HBAAyJAQtBwgAMiAELQcMADIcBC0HEAAyGAQtBxQAMhQELQcYADIQBC0EXDIMBC0HHAAyCAQtByAAMgQELQckADIABC0HKAAx/C0HLAAx+C0HNAAx9C0HMAAx8C0HOAAx7C0HPAAx6C0HQAAx5C0HRAAx4C0HSAAx3C0HTAAx2C0HUAAx1C0HWAAx0C0HVAAxzC0EGDHILQdcADHELQQUMcAtB2AAMbwtBBAxuC0HZAAxtC0HaAAxsC0HbAAxrC0HcAAxqC0EDDGkLQd0ADGgLQd4ADGcLQd8ADGYLQeEADGULQeAADGQLQeIADGMLQeMADGILQQIMYQtB5AAMYAtB5QAMXwtB5gAMXgtB5wAMXQtB6AAMXAtB6QAMWwtB6gAMWgtB6wAMWQtB7AAMWAtB7QAMVwtB7gAMVgtB7wAMVQtB8AAMVAtB8QAMUwtB8gAMUgtB8wAMUQtB9AAMUAtB9QAMTwtB9gAMTgtB9wAMTQtB+AAMTAtB+QAMSwtB+gAMSgtB+wAMSQtB/AAMSAtB/QAMRwtB/gAMRgtB/wAMRQtBgAEMRAtBgQEMQwtBggEMQgtBgwEMQQtBhAEMQAtBhQEMPwtBhgEMPgtBhwEMPQtBiAEMPAtBiQEMOwtBigEMOgtBiwEMOQtBjAEMOAtBjQEMNwtBjgEMNgtBjwEMNQtBkAEMNAtBkQEMMwtBkgEMMgtBkwEMMQtBlAEMMAtBlQEMLwtBlgEMLgtBlwEMLQtBmAEMLAtBmQEMKwtBmgEMKgtBmwEMKQtBnAEMKAtBnQEMJwtBngEMJgtBnwEMJQtBoAEMJAtBoQEMIwtBogEMIgtBowEMIQtBpAEMIAtBpQEMHwtBpgEMHgtBpwEMHQtBqAEMHAtBqQEMGwtBqgEMGgtBqwEMGQtBrAEMGAtBrQEMFwtBrgEMFgtBAQwVC0GvAQwUC0GwAQwTC0GxAQwSC0GzAQwRC0GyAQwQC0G0AQwPC0G1AQwOC0G2AQwNC0G3AQwMC0G4AQwLC0G5AQwKC0G6AQwJC0G7AQwIC0HGAQwHC0G8AQwGC0G9AQwFC0G+AQwEC0G/AQwDC0HAAQwCC0HCAQwBC0HBAQshAwNAAkACQAJAAkACQAJAAkACQAJAIAICfwJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJ/AkACQAJAAkACQAJAAkACQAJAAkACQAJAAkAgAgJ/AkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACfwJAAkACfwJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACfwJAAkACQAJAAn8CQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQCADDsYBAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHyAhIyUmKCorLC8wMTIzNDU2Nzk6Ozw9lANAQkRFRklLTk9QUVJTVFVWWFpbXF1eX2BhYmNkZWZnaGpsb3Bxc3V2eHl6e3x/gAGBAYIBgwGEAYUBhgGHAYgBiQGKAYsBjAGNAY4BjwGQAZEBkgGTAZQBlQGWAZcBmAGZAZoBmwGcAZ0BngGfAaABoQGiAaMBpAGlAaYBpwGoAakBqgGrAawBrQGuAa8BsAGxAbIBswG0AbUBtgG3AbgBuQG6AbsBvAG9Ab4BvwHAAcEBwgHDAcQBxQHGAccByAHJAcsBzAHNAc4BzwGKA4kDiAOHA4QDgwOAA/sC+gL5AvgC9wL0AvMC8gLLAsECsALZAQsgASAERw3wAkHdASEDDLMDCyABIARHDcgBQcMBIQMMsgMLIAEgBEcNe0H3ACEDDLEDCyABIARHDXBB7wAhAwywAwsgASAERw1pQeoAIQMMrwMLIAEgBEcNZUHoACEDDK4DCyABIARHDWJB5gAhAwytAwsgASAERw0aQRghAwysAwsgASAERw0VQRIhAwyrAwsgASAERw1CQcUAIQMMqgMLIAEgBEcNNEE/IQMMqQMLIAEgBEcNMkE8IQMMqAMLIAEgBEcNK0ExIQMMpwMLIAItAC5BAUYNnwMMwQILQQAhAAJAAkACQCACLQAqRQ0AIAItACtFDQAgAi8BMCIDQQJxRQ0BDAILIAIvATAiA0EBcUUNAQtBASEAIAItAChBAUYNACACLwEyIgVB5ABrQeQASQ0AIAVBzAFGDQAgBUGwAkYNACADQcAAcQ0AQQAhACADQYgEcUGABEYNACADQShxQQBHIQALIAJBADsBMCACQQA6AC8gAEUN3wIgAkIANwMgDOACC0EAIQACQCACKAI4IgNFDQAgAygCLCIDRQ0AIAIgAxEAACEACyAARQ3MASAAQRVHDd0CIAJBBDYCHCACIAE2AhQgAkGwGDYCECACQRU2AgxBACEDDKQDCyABIARGBEBBBiEDDKQDCyABQQFqIQFBACEAAkAgAigCOCIDRQ0AIAMoAlQiA0UNACACIAMRAAAhAAsgAA3ZAgwcCyACQgA3AyBBEiEDDIkDCyABIARHDRZBHSEDDKEDCyABIARHBEAgAUEBaiEBQRAhAwyIAwtBByEDDKADCyACIAIpAyAiCiAEIAFrrSILfSIMQgAgCiAMWhs3AyAgCiALWA3UAkEIIQMMnwMLIAEgBEcEQCACQQk2AgggAiABNgIEQRQhAwyGAwtBCSEDDJ4DCyACKQMgQgBSDccBIAIgAi8BMEGAAXI7ATAMQgsgASAERw0/QdAAIQMMnAMLIAEgBEYEQEELIQMMnAMLIAFBAWohAUEAIQACQCACKAI4IgNFDQAgAygCUCIDRQ0AIAIgAxEAACEACyAADc8CDMYBC0EAIQACQCACKAI4IgNFDQAgAygCSCIDRQ0AIAIgAxEAACEACyAARQ3GASAAQRVHDc0CIAJBCzYCHCACIAE2AhQgAkGCGTYCECACQRU2AgxBACEDDJoDC0EAIQACQCACKAI4IgNFDQAgAygCSCIDRQ0AIAIgAxEAACEACyAARQ0MIABBFUcNygIgAkEaNgIcIAIgATYCFCACQYIZNgIQIAJBFTYCDEEAIQMMmQMLQQAhAAJAIAIoAjgiA0UNACADKAJMIgNFDQAgAiADEQAAIQALIABFDcQBIABBFUcNxwIgAkELNgIcIAIgATYCFCACQZEXNgIQIAJBFTYCDEEAIQMMmAMLIAEgBEYEQEEPIQMMmAMLIAEtAAAiAEE7Rg0HIABBDUcNxAIgAUEBaiEBDMMBC0EAIQACQCACKAI4IgNFDQAgAygCTCIDRQ0AIAIgAxEAACEACyAARQ3DASAAQRVHDcICIAJBDzYCHCACIAE2AhQgAkGRFzYCECACQRU2AgxBACEDDJYDCwNAIAEtAABB8DVqLQAAIgBBAUcEQCAAQQJHDcECIAIoAgQhAEEAIQMgAkEANgIEIAIgACABQQFqIgEQLSIADcICDMUBCyAEIAFBAWoiAUcNAAtBEiEDDJUDC0EAIQACQCACKAI4IgNFDQAgAygCTCIDRQ0AIAIgAxEAACEACyAARQ3FASAAQRVHDb0CIAJBGzYCHCACIAE2AhQgAkGRFzYCECACQRU2AgxBACEDDJQDCyABIARGBEBBFiEDDJQDCyACQQo2AgggAiABNgIEQQAhAAJAIAIoAjgiA0UNACADKAJIIgNFDQAgAiADEQAAIQALIABFDcIBIABBFUcNuQIgAkEVNgIcIAIgATYCFCACQYIZNgIQIAJBFTYCDEEAIQMMkwMLIAEgBEcEQANAIAEtAABB8DdqLQAAIgBBAkcEQAJAIABBAWsOBMQCvQIAvgK9AgsgAUEBaiEBQQghAwz8AgsgBCABQQFqIgFHDQALQRUhAwyTAwtBFSEDDJIDCwNAIAEtAABB8DlqLQAAIgBBAkcEQCAAQQFrDgTFArcCwwK4ArcCCyAEIAFBAWoiAUcNAAtBGCEDDJEDCyABIARHBEAgAkELNgIIIAIgATYCBEEHIQMM+AILQRkhAwyQAwsgAUEBaiEBDAILIAEgBEYEQEEaIQMMjwMLAkAgAS0AAEENaw4UtQG/Ab8BvwG/Ab8BvwG/Ab8BvwG/Ab8BvwG/Ab8BvwG/Ab8BvwEAvwELQQAhAyACQQA2AhwgAkGvCzYCECACQQI2AgwgAiABQQFqNgIUDI4DCyABIARGBEBBGyEDDI4DCyABLQAAIgBBO0cEQCAAQQ1HDbECIAFBAWohAQy6AQsgAUEBaiEBC0EiIQMM8wILIAEgBEYEQEEcIQMMjAMLQgAhCgJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkAgAS0AAEEwaw43wQLAAgABAgMEBQYH0AHQAdAB0AHQAdAB0AEICQoLDA3QAdAB0AHQAdAB0AHQAdAB0AHQAdAB0AHQAdAB0AHQAdAB0AHQAdAB0AHQAdAB0AHQAdABDg8QERIT0AELQgIhCgzAAgtCAyEKDL8CC0IEIQoMvgILQgUhCgy9AgtCBiEKDLwCC0IHIQoMuwILQgghCgy6AgtCCSEKDLkCC0IKIQoMuAILQgshCgy3AgtCDCEKDLYCC0INIQoMtQILQg4hCgy0AgtCDyEKDLMCC0IKIQoMsgILQgshCgyxAgtCDCEKDLACC0INIQoMrwILQg4hCgyuAgtCDyEKDK0CC0IAIQoCQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAIAEtAABBMGsON8ACvwIAAQIDBAUGB74CvgK+Ar4CvgK+Ar4CCAkKCwwNvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ar4CvgK+Ag4PEBESE74CC0ICIQoMvwILQgMhCgy+AgtCBCEKDL0CC0IFIQoMvAILQgYhCgy7AgtCByEKDLoCC0IIIQoMuQILQgkhCgy4AgtCCiEKDLcCC0ILIQoMtgILQgwhCgy1AgtCDSEKDLQCC0IOIQoMswILQg8hCgyyAgtCCiEKDLECC0ILIQoMsAILQgwhCgyvAgtCDSEKDK4CC0IOIQoMrQILQg8hCgysAgsgAiACKQMgIgogBCABa60iC30iDEIAIAogDFobNwMgIAogC1gNpwJBHyEDDIkDCyABIARHBEAgAkEJNgIIIAIgATYCBEElIQMM8AILQSAhAwyIAwtBASEFIAIvATAiA0EIcUUEQCACKQMgQgBSIQULAkAgAi0ALgRAQQEhACACLQApQQVGDQEgA0HAAHFFIAVxRQ0BC0EAIQAgA0HAAHENAEECIQAgA0EIcQ0AIANBgARxBEACQCACLQAoQQFHDQAgAi0ALUEKcQ0AQQUhAAwCC0EEIQAMAQsgA0EgcUUEQAJAIAItAChBAUYNACACLwEyIgBB5ABrQeQASQ0AIABBzAFGDQAgAEGwAkYNAEEEIQAgA0EocUUNAiADQYgEcUGABEYNAgtBACEADAELQQBBAyACKQMgUBshAAsgAEEBaw4FvgIAsAEBpAKhAgtBESEDDO0CCyACQQE6AC8MhAMLIAEgBEcNnQJBJCEDDIQDCyABIARHDRxBxgAhAwyDAwtBACEAAkAgAigCOCIDRQ0AIAMoAkQiA0UNACACIAMRAAAhAAsgAEUNJyAAQRVHDZgCIAJB0AA2AhwgAiABNgIUIAJBkRg2AhAgAkEVNgIMQQAhAwyCAwsgASAERgRAQSghAwyCAwtBACEDIAJBADYCBCACQQw2AgggAiABIAEQKiIARQ2UAiACQSc2AhwgAiABNgIUIAIgADYCDAyBAwsgASAERgRAQSkhAwyBAwsgAS0AACIAQSBGDRMgAEEJRw2VAiABQQFqIQEMFAsgASAERwRAIAFBAWohAQwWC0EqIQMM/wILIAEgBEYEQEErIQMM/wILIAEtAAAiAEEJRyAAQSBHcQ2QAiACLQAsQQhHDd0CIAJBADoALAzdAgsgASAERgRAQSwhAwz+AgsgAS0AAEEKRw2OAiABQQFqIQEMsAELIAEgBEcNigJBLyEDDPwCCwNAIAEtAAAiAEEgRwRAIABBCmsOBIQCiAKIAoQChgILIAQgAUEBaiIBRw0AC0ExIQMM+wILQTIhAyABIARGDfoCIAIoAgAiACAEIAFraiEHIAEgAGtBA2ohBgJAA0AgAEHwO2otAAAgAS0AACIFQSByIAUgBUHBAGtB/wFxQRpJG0H/AXFHDQEgAEEDRgRAQQYhAQziAgsgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAc2AgAM+wILIAJBADYCAAyGAgtBMyEDIAQgASIARg35AiAEIAFrIAIoAgAiAWohByAAIAFrQQhqIQYCQANAIAFB9DtqLQAAIAAtAAAiBUEgciAFIAVBwQBrQf8BcUEaSRtB/wFxRw0BIAFBCEYEQEEFIQEM4QILIAFBAWohASAEIABBAWoiAEcNAAsgAiAHNgIADPoCCyACQQA2AgAgACEBDIUCC0E0IQMgBCABIgBGDfgCIAQgAWsgAigCACIBaiEHIAAgAWtBBWohBgJAA0AgAUHQwgBqLQAAIAAtAAAiBUEgciAFIAVBwQBrQf8BcUEaSRtB/wFxRw0BIAFBBUYEQEEHIQEM4AILIAFBAWohASAEIABBAWoiAEcNAAsgAiAHNgIADPkCCyACQQA2AgAgACEBDIQCCyABIARHBEADQCABLQAAQYA+ai0AACIAQQFHBEAgAEECRg0JDIECCyAEIAFBAWoiAUcNAAtBMCEDDPgCC0EwIQMM9wILIAEgBEcEQANAIAEtAAAiAEEgRwRAIABBCmsOBP8B/gH+Af8B/gELIAQgAUEBaiIBRw0AC0E4IQMM9wILQTghAwz2AgsDQCABLQAAIgBBIEcgAEEJR3EN9gEgBCABQQFqIgFHDQALQTwhAwz1AgsDQCABLQAAIgBBIEcEQAJAIABBCmsOBPkBBAT5AQALIABBLEYN9QEMAwsgBCABQQFqIgFHDQALQT8hAwz0AgtBwAAhAyABIARGDfMCIAIoAgAiACAEIAFraiEFIAEgAGtBBmohBgJAA0AgAEGAQGstAAAgAS0AAEEgckcNASAAQQZGDdsCIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADPQCCyACQQA2AgALQTYhAwzZAgsgASAERgRAQcEAIQMM8gILIAJBDDYCCCACIAE2AgQgAi0ALEEBaw4E+wHuAewB6wHUAgsgAUEBaiEBDPoBCyABIARHBEADQAJAIAEtAAAiAEEgciAAIABBwQBrQf8BcUEaSRtB/wFxIgBBCUYNACAAQSBGDQACQAJAAkACQCAAQeMAaw4TAAMDAwMDAwMBAwMDAwMDAwMDAgMLIAFBAWohAUExIQMM3AILIAFBAWohAUEyIQMM2wILIAFBAWohAUEzIQMM2gILDP4BCyAEIAFBAWoiAUcNAAtBNSEDDPACC0E1IQMM7wILIAEgBEcEQANAIAEtAABBgDxqLQAAQQFHDfcBIAQgAUEBaiIBRw0AC0E9IQMM7wILQT0hAwzuAgtBACEAAkAgAigCOCIDRQ0AIAMoAkAiA0UNACACIAMRAAAhAAsgAEUNASAAQRVHDeYBIAJBwgA2AhwgAiABNgIUIAJB4xg2AhAgAkEVNgIMQQAhAwztAgsgAUEBaiEBC0E8IQMM0gILIAEgBEYEQEHCACEDDOsCCwJAA0ACQCABLQAAQQlrDhgAAswCzALRAswCzALMAswCzALMAswCzALMAswCzALMAswCzALMAswCzALMAgDMAgsgBCABQQFqIgFHDQALQcIAIQMM6wILIAFBAWohASACLQAtQQFxRQ3+AQtBLCEDDNACCyABIARHDd4BQcQAIQMM6AILA0AgAS0AAEGQwABqLQAAQQFHDZwBIAQgAUEBaiIBRw0AC0HFACEDDOcCCyABLQAAIgBBIEYN/gEgAEE6Rw3AAiACKAIEIQBBACEDIAJBADYCBCACIAAgARApIgAN3gEM3QELQccAIQMgBCABIgBGDeUCIAQgAWsgAigCACIBaiEHIAAgAWtBBWohBgNAIAFBkMIAai0AACAALQAAIgVBIHIgBSAFQcEAa0H/AXFBGkkbQf8BcUcNvwIgAUEFRg3CAiABQQFqIQEgBCAAQQFqIgBHDQALIAIgBzYCAAzlAgtByAAhAyAEIAEiAEYN5AIgBCABayACKAIAIgFqIQcgACABa0EJaiEGA0AgAUGWwgBqLQAAIAAtAAAiBUEgciAFIAVBwQBrQf8BcUEaSRtB/wFxRw2+AkECIAFBCUYNwgIaIAFBAWohASAEIABBAWoiAEcNAAsgAiAHNgIADOQCCyABIARGBEBByQAhAwzkAgsCQAJAIAEtAAAiAEEgciAAIABBwQBrQf8BcUEaSRtB/wFxQe4Aaw4HAL8CvwK/Ar8CvwIBvwILIAFBAWohAUE+IQMMywILIAFBAWohAUE/IQMMygILQcoAIQMgBCABIgBGDeICIAQgAWsgAigCACIBaiEGIAAgAWtBAWohBwNAIAFBoMIAai0AACAALQAAIgVBIHIgBSAFQcEAa0H/AXFBGkkbQf8BcUcNvAIgAUEBRg2+AiABQQFqIQEgBCAAQQFqIgBHDQALIAIgBjYCAAziAgtBywAhAyAEIAEiAEYN4QIgBCABayACKAIAIgFqIQcgACABa0EOaiEGA0AgAUGiwgBqLQAAIAAtAAAiBUEgciAFIAVBwQBrQf8BcUEaSRtB/wFxRw27AiABQQ5GDb4CIAFBAWohASAEIABBAWoiAEcNAAsgAiAHNgIADOECC0HMACEDIAQgASIARg3gAiAEIAFrIAIoAgAiAWohByAAIAFrQQ9qIQYDQCABQcDCAGotAAAgAC0AACIFQSByIAUgBUHBAGtB/wFxQRpJG0H/AXFHDboCQQMgAUEPRg2+AhogAUEBaiEBIAQgAEEBaiIARw0ACyACIAc2AgAM4AILQc0AIQMgBCABIgBGDd8CIAQgAWsgAigCACIBaiEHIAAgAWtBBWohBgNAIAFB0MIAai0AACAALQAAIgVBIHIgBSAFQcEAa0H/AXFBGkkbQf8BcUcNuQJBBCABQQVGDb0CGiABQQFqIQEgBCAAQQFqIgBHDQALIAIgBzYCAAzfAgsgASAERgRAQc4AIQMM3wILAkACQAJAAkAgAS0AACIAQSByIAAgAEHBAGtB/wFxQRpJG0H/AXFB4wBrDhMAvAK8ArwCvAK8ArwCvAK8ArwCvAK8ArwCAbwCvAK8AgIDvAILIAFBAWohAUHBACEDDMgCCyABQQFqIQFBwgAhAwzHAgsgAUEBaiEBQcMAIQMMxgILIAFBAWohAUHEACEDDMUCCyABIARHBEAgAkENNgIIIAIgATYCBEHFACEDDMUCC0HPACEDDN0CCwJAAkAgAS0AAEEKaw4EAZABkAEAkAELIAFBAWohAQtBKCEDDMMCCyABIARGBEBB0QAhAwzcAgsgAS0AAEEgRw0AIAFBAWohASACLQAtQQFxRQ3QAQtBFyEDDMECCyABIARHDcsBQdIAIQMM2QILQdMAIQMgASAERg3YAiACKAIAIgAgBCABa2ohBiABIABrQQFqIQUDQCABLQAAIABB1sIAai0AAEcNxwEgAEEBRg3KASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBjYCAAzYAgsgASAERgRAQdUAIQMM2AILIAEtAABBCkcNwgEgAUEBaiEBDMoBCyABIARGBEBB1gAhAwzXAgsCQAJAIAEtAABBCmsOBADDAcMBAcMBCyABQQFqIQEMygELIAFBAWohAUHKACEDDL0CC0EAIQACQCACKAI4IgNFDQAgAygCPCIDRQ0AIAIgAxEAACEACyAADb8BQc0AIQMMvAILIAItAClBIkYNzwIMiQELIAQgASIFRgRAQdsAIQMM1AILQQAhAEEBIQFBASEGQQAhAwJAAn8CQAJAAkACQAJAAkACQCAFLQAAQTBrDgrFAcQBAAECAwQFBgjDAQtBAgwGC0EDDAULQQQMBAtBBQwDC0EGDAILQQcMAQtBCAshA0EAIQFBACEGDL0BC0EJIQNBASEAQQAhAUEAIQYMvAELIAEgBEYEQEHdACEDDNMCCyABLQAAQS5HDbgBIAFBAWohAQyIAQsgASAERw22AUHfACEDDNECCyABIARHBEAgAkEONgIIIAIgATYCBEHQACEDDLgCC0HgACEDDNACC0HhACEDIAEgBEYNzwIgAigCACIAIAQgAWtqIQUgASAAa0EDaiEGA0AgAS0AACAAQeLCAGotAABHDbEBIABBA0YNswEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMzwILQeIAIQMgASAERg3OAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYDQCABLQAAIABB5sIAai0AAEcNsAEgAEECRg2vASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAzOAgtB4wAhAyABIARGDc0CIAIoAgAiACAEIAFraiEFIAEgAGtBA2ohBgNAIAEtAAAgAEHpwgBqLQAARw2vASAAQQNGDa0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADM0CCyABIARGBEBB5QAhAwzNAgsgAUEBaiEBQQAhAAJAIAIoAjgiA0UNACADKAIwIgNFDQAgAiADEQAAIQALIAANqgFB1gAhAwyzAgsgASAERwRAA0AgAS0AACIAQSBHBEACQAJAAkAgAEHIAGsOCwABswGzAbMBswGzAbMBswGzAQKzAQsgAUEBaiEBQdIAIQMMtwILIAFBAWohAUHTACEDDLYCCyABQQFqIQFB1AAhAwy1AgsgBCABQQFqIgFHDQALQeQAIQMMzAILQeQAIQMMywILA0AgAS0AAEHwwgBqLQAAIgBBAUcEQCAAQQJrDgOnAaYBpQGkAQsgBCABQQFqIgFHDQALQeYAIQMMygILIAFBAWogASAERw0CGkHnACEDDMkCCwNAIAEtAABB8MQAai0AACIAQQFHBEACQCAAQQJrDgSiAaEBoAEAnwELQdcAIQMMsQILIAQgAUEBaiIBRw0AC0HoACEDDMgCCyABIARGBEBB6QAhAwzIAgsCQCABLQAAIgBBCmsOGrcBmwGbAbQBmwGbAZsBmwGbAZsBmwGbAZsBmwGbAZsBmwGbAZsBmwGbAZsBpAGbAZsBAJkBCyABQQFqCyEBQQYhAwytAgsDQCABLQAAQfDGAGotAABBAUcNfSAEIAFBAWoiAUcNAAtB6gAhAwzFAgsgAUEBaiABIARHDQIaQesAIQMMxAILIAEgBEYEQEHsACEDDMQCCyABQQFqDAELIAEgBEYEQEHtACEDDMMCCyABQQFqCyEBQQQhAwyoAgsgASAERgRAQe4AIQMMwQILAkACQAJAIAEtAABB8MgAai0AAEEBaw4HkAGPAY4BAHwBAo0BCyABQQFqIQEMCwsgAUEBagyTAQtBACEDIAJBADYCHCACQZsSNgIQIAJBBzYCDCACIAFBAWo2AhQMwAILAkADQCABLQAAQfDIAGotAAAiAEEERwRAAkACQCAAQQFrDgeUAZMBkgGNAQAEAY0BC0HaACEDDKoCCyABQQFqIQFB3AAhAwypAgsgBCABQQFqIgFHDQALQe8AIQMMwAILIAFBAWoMkQELIAQgASIARgRAQfAAIQMMvwILIAAtAABBL0cNASAAQQFqIQEMBwsgBCABIgBGBEBB8QAhAwy+AgsgAC0AACIBQS9GBEAgAEEBaiEBQd0AIQMMpQILIAFBCmsiA0EWSw0AIAAhAUEBIAN0QYmAgAJxDfkBC0EAIQMgAkEANgIcIAIgADYCFCACQYwcNgIQIAJBBzYCDAy8AgsgASAERwRAIAFBAWohAUHeACEDDKMCC0HyACEDDLsCCyABIARGBEBB9AAhAwy7AgsCQCABLQAAQfDMAGotAABBAWsOA/cBcwCCAQtB4QAhAwyhAgsgASAERwRAA0AgAS0AAEHwygBqLQAAIgBBA0cEQAJAIABBAWsOAvkBAIUBC0HfACEDDKMCCyAEIAFBAWoiAUcNAAtB8wAhAwy6AgtB8wAhAwy5AgsgASAERwRAIAJBDzYCCCACIAE2AgRB4AAhAwygAgtB9QAhAwy4AgsgASAERgRAQfYAIQMMuAILIAJBDzYCCCACIAE2AgQLQQMhAwydAgsDQCABLQAAQSBHDY4CIAQgAUEBaiIBRw0AC0H3ACEDDLUCCyABIARGBEBB+AAhAwy1AgsgAS0AAEEgRw16IAFBAWohAQxbC0EAIQACQCACKAI4IgNFDQAgAygCOCIDRQ0AIAIgAxEAACEACyAADXgMgAILIAEgBEYEQEH6ACEDDLMCCyABLQAAQcwARw10IAFBAWohAUETDHYLQfsAIQMgASAERg2xAiACKAIAIgAgBCABa2ohBSABIABrQQVqIQYDQCABLQAAIABB8M4Aai0AAEcNcyAAQQVGDXUgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMsQILIAEgBEYEQEH8ACEDDLECCwJAAkAgAS0AAEHDAGsODAB0dHR0dHR0dHR0AXQLIAFBAWohAUHmACEDDJgCCyABQQFqIQFB5wAhAwyXAgtB/QAhAyABIARGDa8CIAIoAgAiACAEIAFraiEFIAEgAGtBAmohBgJAA0AgAS0AACAAQe3PAGotAABHDXIgAEECRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADLACCyACQQA2AgAgBkEBaiEBQRAMcwtB/gAhAyABIARGDa4CIAIoAgAiACAEIAFraiEFIAEgAGtBBWohBgJAA0AgAS0AACAAQfbOAGotAABHDXEgAEEFRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADK8CCyACQQA2AgAgBkEBaiEBQRYMcgtB/wAhAyABIARGDa0CIAIoAgAiACAEIAFraiEFIAEgAGtBA2ohBgJAA0AgAS0AACAAQfzOAGotAABHDXAgAEEDRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADK4CCyACQQA2AgAgBkEBaiEBQQUMcQsgASAERgRAQYABIQMMrQILIAEtAABB2QBHDW4gAUEBaiEBQQgMcAsgASAERgRAQYEBIQMMrAILAkACQCABLQAAQc4Aaw4DAG8BbwsgAUEBaiEBQesAIQMMkwILIAFBAWohAUHsACEDDJICCyABIARGBEBBggEhAwyrAgsCQAJAIAEtAABByABrDggAbm5ubm5uAW4LIAFBAWohAUHqACEDDJICCyABQQFqIQFB7QAhAwyRAgtBgwEhAyABIARGDakCIAIoAgAiACAEIAFraiEFIAEgAGtBAmohBgJAA0AgAS0AACAAQYDPAGotAABHDWwgAEECRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADKoCCyACQQA2AgAgBkEBaiEBQQAMbQtBhAEhAyABIARGDagCIAIoAgAiACAEIAFraiEFIAEgAGtBBGohBgJAA0AgAS0AACAAQYPPAGotAABHDWsgAEEERg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADKkCCyACQQA2AgAgBkEBaiEBQSMMbAsgASAERgRAQYUBIQMMqAILAkACQCABLQAAQcwAaw4IAGtra2trawFrCyABQQFqIQFB7wAhAwyPAgsgAUEBaiEBQfAAIQMMjgILIAEgBEYEQEGGASEDDKcCCyABLQAAQcUARw1oIAFBAWohAQxgC0GHASEDIAEgBEYNpQIgAigCACIAIAQgAWtqIQUgASAAa0EDaiEGAkADQCABLQAAIABBiM8Aai0AAEcNaCAAQQNGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMpgILIAJBADYCACAGQQFqIQFBLQxpC0GIASEDIAEgBEYNpAIgAigCACIAIAQgAWtqIQUgASAAa0EIaiEGAkADQCABLQAAIABB0M8Aai0AAEcNZyAAQQhGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMpQILIAJBADYCACAGQQFqIQFBKQxoCyABIARGBEBBiQEhAwykAgtBASABLQAAQd8ARw1nGiABQQFqIQEMXgtBigEhAyABIARGDaICIAIoAgAiACAEIAFraiEFIAEgAGtBAWohBgNAIAEtAAAgAEGMzwBqLQAARw1kIABBAUYN+gEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMogILQYsBIQMgASAERg2hAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEGOzwBqLQAARw1kIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyiAgsgAkEANgIAIAZBAWohAUECDGULQYwBIQMgASAERg2gAiACKAIAIgAgBCABa2ohBSABIABrQQFqIQYCQANAIAEtAAAgAEHwzwBqLQAARw1jIABBAUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyhAgsgAkEANgIAIAZBAWohAUEfDGQLQY0BIQMgASAERg2fAiACKAIAIgAgBCABa2ohBSABIABrQQFqIQYCQANAIAEtAAAgAEHyzwBqLQAARw1iIABBAUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAygAgsgAkEANgIAIAZBAWohAUEJDGMLIAEgBEYEQEGOASEDDJ8CCwJAAkAgAS0AAEHJAGsOBwBiYmJiYgFiCyABQQFqIQFB+AAhAwyGAgsgAUEBaiEBQfkAIQMMhQILQY8BIQMgASAERg2dAiACKAIAIgAgBCABa2ohBSABIABrQQVqIQYCQANAIAEtAAAgAEGRzwBqLQAARw1gIABBBUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyeAgsgAkEANgIAIAZBAWohAUEYDGELQZABIQMgASAERg2cAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEGXzwBqLQAARw1fIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAydAgsgAkEANgIAIAZBAWohAUEXDGALQZEBIQMgASAERg2bAiACKAIAIgAgBCABa2ohBSABIABrQQZqIQYCQANAIAEtAAAgAEGazwBqLQAARw1eIABBBkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAycAgsgAkEANgIAIAZBAWohAUEVDF8LQZIBIQMgASAERg2aAiACKAIAIgAgBCABa2ohBSABIABrQQVqIQYCQANAIAEtAAAgAEGhzwBqLQAARw1dIABBBUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAybAgsgAkEANgIAIAZBAWohAUEeDF4LIAEgBEYEQEGTASEDDJoCCyABLQAAQcwARw1bIAFBAWohAUEKDF0LIAEgBEYEQEGUASEDDJkCCwJAAkAgAS0AAEHBAGsODwBcXFxcXFxcXFxcXFxcAVwLIAFBAWohAUH+ACEDDIACCyABQQFqIQFB/wAhAwz/AQsgASAERgRAQZUBIQMMmAILAkACQCABLQAAQcEAaw4DAFsBWwsgAUEBaiEBQf0AIQMM/wELIAFBAWohAUGAASEDDP4BC0GWASEDIAEgBEYNlgIgAigCACIAIAQgAWtqIQUgASAAa0EBaiEGAkADQCABLQAAIABBp88Aai0AAEcNWSAAQQFGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMlwILIAJBADYCACAGQQFqIQFBCwxaCyABIARGBEBBlwEhAwyWAgsCQAJAAkACQCABLQAAQS1rDiMAW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1sBW1tbW1sCW1tbA1sLIAFBAWohAUH7ACEDDP8BCyABQQFqIQFB/AAhAwz+AQsgAUEBaiEBQYEBIQMM/QELIAFBAWohAUGCASEDDPwBC0GYASEDIAEgBEYNlAIgAigCACIAIAQgAWtqIQUgASAAa0EEaiEGAkADQCABLQAAIABBqc8Aai0AAEcNVyAAQQRGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMlQILIAJBADYCACAGQQFqIQFBGQxYC0GZASEDIAEgBEYNkwIgAigCACIAIAQgAWtqIQUgASAAa0EFaiEGAkADQCABLQAAIABBrs8Aai0AAEcNViAAQQVGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMlAILIAJBADYCACAGQQFqIQFBBgxXC0GaASEDIAEgBEYNkgIgAigCACIAIAQgAWtqIQUgASAAa0EBaiEGAkADQCABLQAAIABBtM8Aai0AAEcNVSAAQQFGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMkwILIAJBADYCACAGQQFqIQFBHAxWC0GbASEDIAEgBEYNkQIgAigCACIAIAQgAWtqIQUgASAAa0EBaiEGAkADQCABLQAAIABBts8Aai0AAEcNVCAAQQFGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAMkgILIAJBADYCACAGQQFqIQFBJwxVCyABIARGBEBBnAEhAwyRAgsCQAJAIAEtAABB1ABrDgIAAVQLIAFBAWohAUGGASEDDPgBCyABQQFqIQFBhwEhAwz3AQtBnQEhAyABIARGDY8CIAIoAgAiACAEIAFraiEFIAEgAGtBAWohBgJAA0AgAS0AACAAQbjPAGotAABHDVIgAEEBRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADJACCyACQQA2AgAgBkEBaiEBQSYMUwtBngEhAyABIARGDY4CIAIoAgAiACAEIAFraiEFIAEgAGtBAWohBgJAA0AgAS0AACAAQbrPAGotAABHDVEgAEEBRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADI8CCyACQQA2AgAgBkEBaiEBQQMMUgtBnwEhAyABIARGDY0CIAIoAgAiACAEIAFraiEFIAEgAGtBAmohBgJAA0AgAS0AACAAQe3PAGotAABHDVAgAEECRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADI4CCyACQQA2AgAgBkEBaiEBQQwMUQtBoAEhAyABIARGDYwCIAIoAgAiACAEIAFraiEFIAEgAGtBA2ohBgJAA0AgAS0AACAAQbzPAGotAABHDU8gAEEDRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADI0CCyACQQA2AgAgBkEBaiEBQQ0MUAsgASAERgRAQaEBIQMMjAILAkACQCABLQAAQcYAaw4LAE9PT09PT09PTwFPCyABQQFqIQFBiwEhAwzzAQsgAUEBaiEBQYwBIQMM8gELIAEgBEYEQEGiASEDDIsCCyABLQAAQdAARw1MIAFBAWohAQxGCyABIARGBEBBowEhAwyKAgsCQAJAIAEtAABByQBrDgcBTU1NTU0ATQsgAUEBaiEBQY4BIQMM8QELIAFBAWohAUEiDE0LQaQBIQMgASAERg2IAiACKAIAIgAgBCABa2ohBSABIABrQQFqIQYCQANAIAEtAAAgAEHAzwBqLQAARw1LIABBAUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyJAgsgAkEANgIAIAZBAWohAUEdDEwLIAEgBEYEQEGlASEDDIgCCwJAAkAgAS0AAEHSAGsOAwBLAUsLIAFBAWohAUGQASEDDO8BCyABQQFqIQFBBAxLCyABIARGBEBBpgEhAwyHAgsCQAJAAkACQAJAIAEtAABBwQBrDhUATU1NTU1NTU1NTQFNTQJNTQNNTQRNCyABQQFqIQFBiAEhAwzxAQsgAUEBaiEBQYkBIQMM8AELIAFBAWohAUGKASEDDO8BCyABQQFqIQFBjwEhAwzuAQsgAUEBaiEBQZEBIQMM7QELQacBIQMgASAERg2FAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEHtzwBqLQAARw1IIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyGAgsgAkEANgIAIAZBAWohAUERDEkLQagBIQMgASAERg2EAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEHCzwBqLQAARw1HIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyFAgsgAkEANgIAIAZBAWohAUEsDEgLQakBIQMgASAERg2DAiACKAIAIgAgBCABa2ohBSABIABrQQRqIQYCQANAIAEtAAAgAEHFzwBqLQAARw1GIABBBEYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyEAgsgAkEANgIAIAZBAWohAUErDEcLQaoBIQMgASAERg2CAiACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEHKzwBqLQAARw1FIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyDAgsgAkEANgIAIAZBAWohAUEUDEYLIAEgBEYEQEGrASEDDIICCwJAAkACQAJAIAEtAABBwgBrDg8AAQJHR0dHR0dHR0dHRwNHCyABQQFqIQFBkwEhAwzrAQsgAUEBaiEBQZQBIQMM6gELIAFBAWohAUGVASEDDOkBCyABQQFqIQFBlgEhAwzoAQsgASAERgRAQawBIQMMgQILIAEtAABBxQBHDUIgAUEBaiEBDD0LQa0BIQMgASAERg3/ASACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEHNzwBqLQAARw1CIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAyAAgsgAkEANgIAIAZBAWohAUEODEMLIAEgBEYEQEGuASEDDP8BCyABLQAAQdAARw1AIAFBAWohAUElDEILQa8BIQMgASAERg39ASACKAIAIgAgBCABa2ohBSABIABrQQhqIQYCQANAIAEtAAAgAEHQzwBqLQAARw1AIABBCEYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAz+AQsgAkEANgIAIAZBAWohAUEqDEELIAEgBEYEQEGwASEDDP0BCwJAAkAgAS0AAEHVAGsOCwBAQEBAQEBAQEABQAsgAUEBaiEBQZoBIQMM5AELIAFBAWohAUGbASEDDOMBCyABIARGBEBBsQEhAwz8AQsCQAJAIAEtAABBwQBrDhQAPz8/Pz8/Pz8/Pz8/Pz8/Pz8/AT8LIAFBAWohAUGZASEDDOMBCyABQQFqIQFBnAEhAwziAQtBsgEhAyABIARGDfoBIAIoAgAiACAEIAFraiEFIAEgAGtBA2ohBgJAA0AgAS0AACAAQdnPAGotAABHDT0gAEEDRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADPsBCyACQQA2AgAgBkEBaiEBQSEMPgtBswEhAyABIARGDfkBIAIoAgAiACAEIAFraiEFIAEgAGtBBmohBgJAA0AgAS0AACAAQd3PAGotAABHDTwgAEEGRg0BIABBAWohACAEIAFBAWoiAUcNAAsgAiAFNgIADPoBCyACQQA2AgAgBkEBaiEBQRoMPQsgASAERgRAQbQBIQMM+QELAkACQAJAIAEtAABBxQBrDhEAPT09PT09PT09AT09PT09Aj0LIAFBAWohAUGdASEDDOEBCyABQQFqIQFBngEhAwzgAQsgAUEBaiEBQZ8BIQMM3wELQbUBIQMgASAERg33ASACKAIAIgAgBCABa2ohBSABIABrQQVqIQYCQANAIAEtAAAgAEHkzwBqLQAARw06IABBBUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAz4AQsgAkEANgIAIAZBAWohAUEoDDsLQbYBIQMgASAERg32ASACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEHqzwBqLQAARw05IABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAz3AQsgAkEANgIAIAZBAWohAUEHDDoLIAEgBEYEQEG3ASEDDPYBCwJAAkAgAS0AAEHFAGsODgA5OTk5OTk5OTk5OTkBOQsgAUEBaiEBQaEBIQMM3QELIAFBAWohAUGiASEDDNwBC0G4ASEDIAEgBEYN9AEgAigCACIAIAQgAWtqIQUgASAAa0ECaiEGAkADQCABLQAAIABB7c8Aai0AAEcNNyAAQQJGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAM9QELIAJBADYCACAGQQFqIQFBEgw4C0G5ASEDIAEgBEYN8wEgAigCACIAIAQgAWtqIQUgASAAa0EBaiEGAkADQCABLQAAIABB8M8Aai0AAEcNNiAAQQFGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAM9AELIAJBADYCACAGQQFqIQFBIAw3C0G6ASEDIAEgBEYN8gEgAigCACIAIAQgAWtqIQUgASAAa0EBaiEGAkADQCABLQAAIABB8s8Aai0AAEcNNSAAQQFGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAM8wELIAJBADYCACAGQQFqIQFBDww2CyABIARGBEBBuwEhAwzyAQsCQAJAIAEtAABByQBrDgcANTU1NTUBNQsgAUEBaiEBQaUBIQMM2QELIAFBAWohAUGmASEDDNgBC0G8ASEDIAEgBEYN8AEgAigCACIAIAQgAWtqIQUgASAAa0EHaiEGAkADQCABLQAAIABB9M8Aai0AAEcNMyAAQQdGDQEgAEEBaiEAIAQgAUEBaiIBRw0ACyACIAU2AgAM8QELIAJBADYCACAGQQFqIQFBGww0CyABIARGBEBBvQEhAwzwAQsCQAJAAkAgAS0AAEHCAGsOEgA0NDQ0NDQ0NDQBNDQ0NDQ0AjQLIAFBAWohAUGkASEDDNgBCyABQQFqIQFBpwEhAwzXAQsgAUEBaiEBQagBIQMM1gELIAEgBEYEQEG+ASEDDO8BCyABLQAAQc4ARw0wIAFBAWohAQwsCyABIARGBEBBvwEhAwzuAQsCQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQCABLQAAQcEAaw4VAAECAz8EBQY/Pz8HCAkKCz8MDQ4PPwsgAUEBaiEBQegAIQMM4wELIAFBAWohAUHpACEDDOIBCyABQQFqIQFB7gAhAwzhAQsgAUEBaiEBQfIAIQMM4AELIAFBAWohAUHzACEDDN8BCyABQQFqIQFB9gAhAwzeAQsgAUEBaiEBQfcAIQMM3QELIAFBAWohAUH6ACEDDNwBCyABQQFqIQFBgwEhAwzbAQsgAUEBaiEBQYQBIQMM2gELIAFBAWohAUGFASEDDNkBCyABQQFqIQFBkgEhAwzYAQsgAUEBaiEBQZgBIQMM1wELIAFBAWohAUGgASEDDNYBCyABQQFqIQFBowEhAwzVAQsgAUEBaiEBQaoBIQMM1AELIAEgBEcEQCACQRA2AgggAiABNgIEQasBIQMM1AELQcABIQMM7AELQQAhAAJAIAIoAjgiA0UNACADKAI0IgNFDQAgAiADEQAAIQALIABFDV4gAEEVRw0HIAJB0QA2AhwgAiABNgIUIAJBsBc2AhAgAkEVNgIMQQAhAwzrAQsgAUEBaiABIARHDQgaQcIBIQMM6gELA0ACQCABLQAAQQprDgQIAAALAAsgBCABQQFqIgFHDQALQcMBIQMM6QELIAEgBEcEQCACQRE2AgggAiABNgIEQQEhAwzQAQtBxAEhAwzoAQsgASAERgRAQcUBIQMM6AELAkACQCABLQAAQQprDgQBKCgAKAsgAUEBagwJCyABQQFqDAULIAEgBEYEQEHGASEDDOcBCwJAAkAgAS0AAEEKaw4XAQsLAQsLCwsLCwsLCwsLCwsLCwsLCwALCyABQQFqIQELQbABIQMMzQELIAEgBEYEQEHIASEDDOYBCyABLQAAQSBHDQkgAkEAOwEyIAFBAWohAUGzASEDDMwBCwNAIAEhAAJAIAEgBEcEQCABLQAAQTBrQf8BcSIDQQpJDQEMJwtBxwEhAwzmAQsCQCACLwEyIgFBmTNLDQAgAiABQQpsIgU7ATIgBUH+/wNxIANB//8Dc0sNACAAQQFqIQEgAiADIAVqIgM7ATIgA0H//wNxQegHSQ0BCwtBACEDIAJBADYCHCACQcEJNgIQIAJBDTYCDCACIABBAWo2AhQM5AELIAJBADYCHCACIAE2AhQgAkHwDDYCECACQRs2AgxBACEDDOMBCyACKAIEIQAgAkEANgIEIAIgACABECYiAA0BIAFBAWoLIQFBrQEhAwzIAQsgAkHBATYCHCACIAA2AgwgAiABQQFqNgIUQQAhAwzgAQsgAigCBCEAIAJBADYCBCACIAAgARAmIgANASABQQFqCyEBQa4BIQMMxQELIAJBwgE2AhwgAiAANgIMIAIgAUEBajYCFEEAIQMM3QELIAJBADYCHCACIAE2AhQgAkGXCzYCECACQQ02AgxBACEDDNwBCyACQQA2AhwgAiABNgIUIAJB4xA2AhAgAkEJNgIMQQAhAwzbAQsgAkECOgAoDKwBC0EAIQMgAkEANgIcIAJBrws2AhAgAkECNgIMIAIgAUEBajYCFAzZAQtBAiEDDL8BC0ENIQMMvgELQSYhAwy9AQtBFSEDDLwBC0EWIQMMuwELQRghAwy6AQtBHCEDDLkBC0EdIQMMuAELQSAhAwy3AQtBISEDDLYBC0EjIQMMtQELQcYAIQMMtAELQS4hAwyzAQtBPSEDDLIBC0HLACEDDLEBC0HOACEDDLABC0HYACEDDK8BC0HZACEDDK4BC0HbACEDDK0BC0HxACEDDKwBC0H0ACEDDKsBC0GNASEDDKoBC0GXASEDDKkBC0GpASEDDKgBC0GvASEDDKcBC0GxASEDDKYBCyACQQA2AgALQQAhAyACQQA2AhwgAiABNgIUIAJB8Rs2AhAgAkEGNgIMDL0BCyACQQA2AgAgBkEBaiEBQSQLOgApIAIoAgQhACACQQA2AgQgAiAAIAEQJyIARQRAQeUAIQMMowELIAJB+QA2AhwgAiABNgIUIAIgADYCDEEAIQMMuwELIABBFUcEQCACQQA2AhwgAiABNgIUIAJBzA42AhAgAkEgNgIMQQAhAwy7AQsgAkH4ADYCHCACIAE2AhQgAkHKGDYCECACQRU2AgxBACEDDLoBCyACQQA2AhwgAiABNgIUIAJBjhs2AhAgAkEGNgIMQQAhAwy5AQsgAkEANgIcIAIgATYCFCACQf4RNgIQIAJBBzYCDEEAIQMMuAELIAJBADYCHCACIAE2AhQgAkGMHDYCECACQQc2AgxBACEDDLcBCyACQQA2AhwgAiABNgIUIAJBww82AhAgAkEHNgIMQQAhAwy2AQsgAkEANgIcIAIgATYCFCACQcMPNgIQIAJBBzYCDEEAIQMMtQELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0RIAJB5QA2AhwgAiABNgIUIAIgADYCDEEAIQMMtAELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0gIAJB0wA2AhwgAiABNgIUIAIgADYCDEEAIQMMswELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0iIAJB0gA2AhwgAiABNgIUIAIgADYCDEEAIQMMsgELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0OIAJB5QA2AhwgAiABNgIUIAIgADYCDEEAIQMMsQELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0dIAJB0wA2AhwgAiABNgIUIAIgADYCDEEAIQMMsAELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0fIAJB0gA2AhwgAiABNgIUIAIgADYCDEEAIQMMrwELIABBP0cNASABQQFqCyEBQQUhAwyUAQtBACEDIAJBADYCHCACIAE2AhQgAkH9EjYCECACQQc2AgwMrAELIAJBADYCHCACIAE2AhQgAkHcCDYCECACQQc2AgxBACEDDKsBCyACKAIEIQAgAkEANgIEIAIgACABECUiAEUNByACQeUANgIcIAIgATYCFCACIAA2AgxBACEDDKoBCyACKAIEIQAgAkEANgIEIAIgACABECUiAEUNFiACQdMANgIcIAIgATYCFCACIAA2AgxBACEDDKkBCyACKAIEIQAgAkEANgIEIAIgACABECUiAEUNGCACQdIANgIcIAIgATYCFCACIAA2AgxBACEDDKgBCyACQQA2AhwgAiABNgIUIAJBxgo2AhAgAkEHNgIMQQAhAwynAQsgAigCBCEAIAJBADYCBCACIAAgARAlIgBFDQMgAkHlADYCHCACIAE2AhQgAiAANgIMQQAhAwymAQsgAigCBCEAIAJBADYCBCACIAAgARAlIgBFDRIgAkHTADYCHCACIAE2AhQgAiAANgIMQQAhAwylAQsgAigCBCEAIAJBADYCBCACIAAgARAlIgBFDRQgAkHSADYCHCACIAE2AhQgAiAANgIMQQAhAwykAQsgAigCBCEAIAJBADYCBCACIAAgARAlIgBFDQAgAkHlADYCHCACIAE2AhQgAiAANgIMQQAhAwyjAQtB1QAhAwyJAQsgAEEVRwRAIAJBADYCHCACIAE2AhQgAkG5DTYCECACQRo2AgxBACEDDKIBCyACQeQANgIcIAIgATYCFCACQeMXNgIQIAJBFTYCDEEAIQMMoQELIAJBADYCACAGQQFqIQEgAi0AKSIAQSNrQQtJDQQCQCAAQQZLDQBBASAAdEHKAHFFDQAMBQtBACEDIAJBADYCHCACIAE2AhQgAkH3CTYCECACQQg2AgwMoAELIAJBADYCACAGQQFqIQEgAi0AKUEhRg0DIAJBADYCHCACIAE2AhQgAkGbCjYCECACQQg2AgxBACEDDJ8BCyACQQA2AgALQQAhAyACQQA2AhwgAiABNgIUIAJBkDM2AhAgAkEINgIMDJ0BCyACQQA2AgAgBkEBaiEBIAItAClBI0kNACACQQA2AhwgAiABNgIUIAJB0wk2AhAgAkEINgIMQQAhAwycAQtB0QAhAwyCAQsgAS0AAEEwayIAQf8BcUEKSQRAIAIgADoAKiABQQFqIQFBzwAhAwyCAQsgAigCBCEAIAJBADYCBCACIAAgARAoIgBFDYYBIAJB3gA2AhwgAiABNgIUIAIgADYCDEEAIQMMmgELIAIoAgQhACACQQA2AgQgAiAAIAEQKCIARQ2GASACQdwANgIcIAIgATYCFCACIAA2AgxBACEDDJkBCyACKAIEIQAgAkEANgIEIAIgACAFECgiAEUEQCAFIQEMhwELIAJB2gA2AhwgAiAFNgIUIAIgADYCDAyYAQtBACEBQQEhAwsgAiADOgArIAVBAWohAwJAAkACQCACLQAtQRBxDQACQAJAAkAgAi0AKg4DAQACBAsgBkUNAwwCCyAADQEMAgsgAUUNAQsgAigCBCEAIAJBADYCBCACIAAgAxAoIgBFBEAgAyEBDAILIAJB2AA2AhwgAiADNgIUIAIgADYCDEEAIQMMmAELIAIoAgQhACACQQA2AgQgAiAAIAMQKCIARQRAIAMhAQyHAQsgAkHZADYCHCACIAM2AhQgAiAANgIMQQAhAwyXAQtBzAAhAwx9CyAAQRVHBEAgAkEANgIcIAIgATYCFCACQZQNNgIQIAJBITYCDEEAIQMMlgELIAJB1wA2AhwgAiABNgIUIAJByRc2AhAgAkEVNgIMQQAhAwyVAQtBACEDIAJBADYCHCACIAE2AhQgAkGAETYCECACQQk2AgwMlAELIAIoAgQhACACQQA2AgQgAiAAIAEQJSIARQ0AIAJB0wA2AhwgAiABNgIUIAIgADYCDEEAIQMMkwELQckAIQMMeQsgAkEANgIcIAIgATYCFCACQcEoNgIQIAJBBzYCDCACQQA2AgBBACEDDJEBCyACKAIEIQBBACEDIAJBADYCBCACIAAgARAlIgBFDQAgAkHSADYCHCACIAE2AhQgAiAANgIMDJABC0HIACEDDHYLIAJBADYCACAFIQELIAJBgBI7ASogAUEBaiEBQQAhAAJAIAIoAjgiA0UNACADKAIwIgNFDQAgAiADEQAAIQALIAANAQtBxwAhAwxzCyAAQRVGBEAgAkHRADYCHCACIAE2AhQgAkHjFzYCECACQRU2AgxBACEDDIwBC0EAIQMgAkEANgIcIAIgATYCFCACQbkNNgIQIAJBGjYCDAyLAQtBACEDIAJBADYCHCACIAE2AhQgAkGgGTYCECACQR42AgwMigELIAEtAABBOkYEQCACKAIEIQBBACEDIAJBADYCBCACIAAgARApIgBFDQEgAkHDADYCHCACIAA2AgwgAiABQQFqNgIUDIoBC0EAIQMgAkEANgIcIAIgATYCFCACQbERNgIQIAJBCjYCDAyJAQsgAUEBaiEBQTshAwxvCyACQcMANgIcIAIgADYCDCACIAFBAWo2AhQMhwELQQAhAyACQQA2AhwgAiABNgIUIAJB8A42AhAgAkEcNgIMDIYBCyACIAIvATBBEHI7ATAMZgsCQCACLwEwIgBBCHFFDQAgAi0AKEEBRw0AIAItAC1BCHFFDQMLIAIgAEH3+wNxQYAEcjsBMAwECyABIARHBEACQANAIAEtAABBMGsiAEH/AXFBCk8EQEE1IQMMbgsgAikDICIKQpmz5syZs+bMGVYNASACIApCCn4iCjcDICAKIACtQv8BgyILQn+FVg0BIAIgCiALfDcDICAEIAFBAWoiAUcNAAtBOSEDDIUBCyACKAIEIQBBACEDIAJBADYCBCACIAAgAUEBaiIBECoiAA0MDHcLQTkhAwyDAQsgAi0AMEEgcQ0GQcUBIQMMaQtBACEDIAJBADYCBCACIAEgARAqIgBFDQQgAkE6NgIcIAIgADYCDCACIAFBAWo2AhQMgQELIAItAChBAUcNACACLQAtQQhxRQ0BC0E3IQMMZgsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQKiIABEAgAkE7NgIcIAIgADYCDCACIAFBAWo2AhQMfwsgAUEBaiEBDG4LIAJBCDoALAwECyABQQFqIQEMbQtBACEDIAJBADYCHCACIAE2AhQgAkHkEjYCECACQQQ2AgwMewsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQKiIARQ1sIAJBNzYCHCACIAE2AhQgAiAANgIMDHoLIAIgAi8BMEEgcjsBMAtBMCEDDF8LIAJBNjYCHCACIAE2AhQgAiAANgIMDHcLIABBLEcNASABQQFqIQBBASEBAkACQAJAAkACQCACLQAsQQVrDgQDAQIEAAsgACEBDAQLQQIhAQwBC0EEIQELIAJBAToALCACIAIvATAgAXI7ATAgACEBDAELIAIgAi8BMEEIcjsBMCAAIQELQTkhAwxcCyACQQA6ACwLQTQhAwxaCyABIARGBEBBLSEDDHMLAkACQANAAkAgAS0AAEEKaw4EAgAAAwALIAQgAUEBaiIBRw0AC0EtIQMMdAsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQKiIARQ0CIAJBLDYCHCACIAE2AhQgAiAANgIMDHMLIAIoAgQhAEEAIQMgAkEANgIEIAIgACABECoiAEUEQCABQQFqIQEMAgsgAkEsNgIcIAIgADYCDCACIAFBAWo2AhQMcgsgAS0AAEENRgRAIAIoAgQhAEEAIQMgAkEANgIEIAIgACABECoiAEUEQCABQQFqIQEMAgsgAkEsNgIcIAIgADYCDCACIAFBAWo2AhQMcgsgAi0ALUEBcQRAQcQBIQMMWQsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQKiIADQEMZQtBLyEDDFcLIAJBLjYCHCACIAE2AhQgAiAANgIMDG8LQQAhAyACQQA2AhwgAiABNgIUIAJB8BQ2AhAgAkEDNgIMDG4LQQEhAwJAAkACQAJAIAItACxBBWsOBAMBAgAECyACIAIvATBBCHI7ATAMAwtBAiEDDAELQQQhAwsgAkEBOgAsIAIgAi8BMCADcjsBMAtBKiEDDFMLQQAhAyACQQA2AhwgAiABNgIUIAJB4Q82AhAgAkEKNgIMDGsLQQEhAwJAAkACQAJAAkACQCACLQAsQQJrDgcFBAQDAQIABAsgAiACLwEwQQhyOwEwDAMLQQIhAwwBC0EEIQMLIAJBAToALCACIAIvATAgA3I7ATALQSshAwxSC0EAIQMgAkEANgIcIAIgATYCFCACQasSNgIQIAJBCzYCDAxqC0EAIQMgAkEANgIcIAIgATYCFCACQf0NNgIQIAJBHTYCDAxpCyABIARHBEADQCABLQAAQSBHDUggBCABQQFqIgFHDQALQSUhAwxpC0ElIQMMaAsgAi0ALUEBcQRAQcMBIQMMTwsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQKSIABEAgAkEmNgIcIAIgADYCDCACIAFBAWo2AhQMaAsgAUEBaiEBDFwLIAFBAWohASACLwEwIgBBgAFxBEBBACEAAkAgAigCOCIDRQ0AIAMoAlQiA0UNACACIAMRAAAhAAsgAEUNBiAAQRVHDR8gAkEFNgIcIAIgATYCFCACQfkXNgIQIAJBFTYCDEEAIQMMZwsCQCAAQaAEcUGgBEcNACACLQAtQQJxDQBBACEDIAJBADYCHCACIAE2AhQgAkGWEzYCECACQQQ2AgwMZwsgAgJ/IAIvATBBFHFBFEYEQEEBIAItAChBAUYNARogAi8BMkHlAEYMAQsgAi0AKUEFRgs6AC5BACEAAkAgAigCOCIDRQ0AIAMoAiQiA0UNACACIAMRAAAhAAsCQAJAAkACQAJAIAAOFgIBAAQEBAQEBAQEBAQEBAQEBAQEBAMECyACQQE6AC4LIAIgAi8BMEHAAHI7ATALQSchAwxPCyACQSM2AhwgAiABNgIUIAJBpRY2AhAgAkEVNgIMQQAhAwxnC0EAIQMgAkEANgIcIAIgATYCFCACQdULNgIQIAJBETYCDAxmC0EAIQACQCACKAI4IgNFDQAgAygCLCIDRQ0AIAIgAxEAACEACyAADQELQQ4hAwxLCyAAQRVGBEAgAkECNgIcIAIgATYCFCACQbAYNgIQIAJBFTYCDEEAIQMMZAtBACEDIAJBADYCHCACIAE2AhQgAkGnDjYCECACQRI2AgwMYwtBACEDIAJBADYCHCACIAE2AhQgAkGqHDYCECACQQ82AgwMYgsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEgCqdqIgEQKyIARQ0AIAJBBTYCHCACIAE2AhQgAiAANgIMDGELQQ8hAwxHC0EAIQMgAkEANgIcIAIgATYCFCACQc0TNgIQIAJBDDYCDAxfC0IBIQoLIAFBAWohAQJAIAIpAyAiC0L//////////w9YBEAgAiALQgSGIAqENwMgDAELQQAhAyACQQA2AhwgAiABNgIUIAJBrQk2AhAgAkEMNgIMDF4LQSQhAwxEC0EAIQMgAkEANgIcIAIgATYCFCACQc0TNgIQIAJBDDYCDAxcCyACKAIEIQBBACEDIAJBADYCBCACIAAgARAsIgBFBEAgAUEBaiEBDFILIAJBFzYCHCACIAA2AgwgAiABQQFqNgIUDFsLIAIoAgQhAEEAIQMgAkEANgIEAkAgAiAAIAEQLCIARQRAIAFBAWohAQwBCyACQRY2AhwgAiAANgIMIAIgAUEBajYCFAxbC0EfIQMMQQtBACEDIAJBADYCHCACIAE2AhQgAkGaDzYCECACQSI2AgwMWQsgAigCBCEAQQAhAyACQQA2AgQgAiAAIAEQLSIARQRAIAFBAWohAQxQCyACQRQ2AhwgAiAANgIMIAIgAUEBajYCFAxYCyACKAIEIQBBACEDIAJBADYCBAJAIAIgACABEC0iAEUEQCABQQFqIQEMAQsgAkETNgIcIAIgADYCDCACIAFBAWo2AhQMWAtBHiEDDD4LQQAhAyACQQA2AhwgAiABNgIUIAJBxgw2AhAgAkEjNgIMDFYLIAIoAgQhAEEAIQMgAkEANgIEIAIgACABEC0iAEUEQCABQQFqIQEMTgsgAkERNgIcIAIgADYCDCACIAFBAWo2AhQMVQsgAkEQNgIcIAIgATYCFCACIAA2AgwMVAtBACEDIAJBADYCHCACIAE2AhQgAkHGDDYCECACQSM2AgwMUwtBACEDIAJBADYCHCACIAE2AhQgAkHAFTYCECACQQI2AgwMUgsgAigCBCEAQQAhAyACQQA2AgQCQCACIAAgARAtIgBFBEAgAUEBaiEBDAELIAJBDjYCHCACIAA2AgwgAiABQQFqNgIUDFILQRshAww4C0EAIQMgAkEANgIcIAIgATYCFCACQcYMNgIQIAJBIzYCDAxQCyACKAIEIQBBACEDIAJBADYCBAJAIAIgACABECwiAEUEQCABQQFqIQEMAQsgAkENNgIcIAIgADYCDCACIAFBAWo2AhQMUAtBGiEDDDYLQQAhAyACQQA2AhwgAiABNgIUIAJBmg82AhAgAkEiNgIMDE4LIAIoAgQhAEEAIQMgAkEANgIEAkAgAiAAIAEQLCIARQRAIAFBAWohAQwBCyACQQw2AhwgAiAANgIMIAIgAUEBajYCFAxOC0EZIQMMNAtBACEDIAJBADYCHCACIAE2AhQgAkGaDzYCECACQSI2AgwMTAsgAEEVRwRAQQAhAyACQQA2AhwgAiABNgIUIAJBgww2AhAgAkETNgIMDEwLIAJBCjYCHCACIAE2AhQgAkHkFjYCECACQRU2AgxBACEDDEsLIAIoAgQhAEEAIQMgAkEANgIEIAIgACABIAqnaiIBECsiAARAIAJBBzYCHCACIAE2AhQgAiAANgIMDEsLQRMhAwwxCyAAQRVHBEBBACEDIAJBADYCHCACIAE2AhQgAkHaDTYCECACQRQ2AgwMSgsgAkEeNgIcIAIgATYCFCACQfkXNgIQIAJBFTYCDEEAIQMMSQtBACEAAkAgAigCOCIDRQ0AIAMoAiwiA0UNACACIAMRAAAhAAsgAEUNQSAAQRVGBEAgAkEDNgIcIAIgATYCFCACQbAYNgIQIAJBFTYCDEEAIQMMSQtBACEDIAJBADYCHCACIAE2AhQgAkGnDjYCECACQRI2AgwMSAtBACEDIAJBADYCHCACIAE2AhQgAkHaDTYCECACQRQ2AgwMRwtBACEDIAJBADYCHCACIAE2AhQgAkGnDjYCECACQRI2AgwMRgsgAkEAOgAvIAItAC1BBHFFDT8LIAJBADoALyACQQE6ADRBACEDDCsLQQAhAyACQQA2AhwgAkHkETYCECACQQc2AgwgAiABQQFqNgIUDEMLAkADQAJAIAEtAABBCmsOBAACAgACCyAEIAFBAWoiAUcNAAtB3QEhAwxDCwJAAkAgAi0ANEEBRw0AQQAhAAJAIAIoAjgiA0UNACADKAJYIgNFDQAgAiADEQAAIQALIABFDQAgAEEVRw0BIAJB3AE2AhwgAiABNgIUIAJB1RY2AhAgAkEVNgIMQQAhAwxEC0HBASEDDCoLIAJBADYCHCACIAE2AhQgAkHpCzYCECACQR82AgxBACEDDEILAkACQCACLQAoQQFrDgIEAQALQcABIQMMKQtBuQEhAwwoCyACQQI6AC9BACEAAkAgAigCOCIDRQ0AIAMoAgAiA0UNACACIAMRAAAhAAsgAEUEQEHCASEDDCgLIABBFUcEQCACQQA2AhwgAiABNgIUIAJBpAw2AhAgAkEQNgIMQQAhAwxBCyACQdsBNgIcIAIgATYCFCACQfoWNgIQIAJBFTYCDEEAIQMMQAsgASAERgRAQdoBIQMMQAsgAS0AAEHIAEYNASACQQE6ACgLQawBIQMMJQtBvwEhAwwkCyABIARHBEAgAkEQNgIIIAIgATYCBEG+ASEDDCQLQdkBIQMMPAsgASAERgRAQdgBIQMMPAsgAS0AAEHIAEcNBCABQQFqIQFBvQEhAwwiCyABIARGBEBB1wEhAww7CwJAAkAgAS0AAEHFAGsOEAAFBQUFBQUFBQUFBQUFBQEFCyABQQFqIQFBuwEhAwwiCyABQQFqIQFBvAEhAwwhC0HWASEDIAEgBEYNOSACKAIAIgAgBCABa2ohBSABIABrQQJqIQYCQANAIAEtAAAgAEGD0ABqLQAARw0DIABBAkYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAw6CyACKAIEIQAgAkIANwMAIAIgACAGQQFqIgEQJyIARQRAQcYBIQMMIQsgAkHVATYCHCACIAE2AhQgAiAANgIMQQAhAww5C0HUASEDIAEgBEYNOCACKAIAIgAgBCABa2ohBSABIABrQQFqIQYCQANAIAEtAAAgAEGB0ABqLQAARw0CIABBAUYNASAAQQFqIQAgBCABQQFqIgFHDQALIAIgBTYCAAw5CyACQYEEOwEoIAIoAgQhACACQgA3AwAgAiAAIAZBAWoiARAnIgANAwwCCyACQQA2AgALQQAhAyACQQA2AhwgAiABNgIUIAJB2Bs2AhAgAkEINgIMDDYLQboBIQMMHAsgAkHTATYCHCACIAE2AhQgAiAANgIMQQAhAww0C0EAIQACQCACKAI4IgNFDQAgAygCOCIDRQ0AIAIgAxEAACEACyAARQ0AIABBFUYNASACQQA2AhwgAiABNgIUIAJBzA42AhAgAkEgNgIMQQAhAwwzC0HkACEDDBkLIAJB+AA2AhwgAiABNgIUIAJByhg2AhAgAkEVNgIMQQAhAwwxC0HSASEDIAQgASIARg0wIAQgAWsgAigCACIBaiEFIAAgAWtBBGohBgJAA0AgAC0AACABQfzPAGotAABHDQEgAUEERg0DIAFBAWohASAEIABBAWoiAEcNAAsgAiAFNgIADDELIAJBADYCHCACIAA2AhQgAkGQMzYCECACQQg2AgwgAkEANgIAQQAhAwwwCyABIARHBEAgAkEONgIIIAIgATYCBEG3ASEDDBcLQdEBIQMMLwsgAkEANgIAIAZBAWohAQtBuAEhAwwUCyABIARGBEBB0AEhAwwtCyABLQAAQTBrIgBB/wFxQQpJBEAgAiAAOgAqIAFBAWohAUG2ASEDDBQLIAIoAgQhACACQQA2AgQgAiAAIAEQKCIARQ0UIAJBzwE2AhwgAiABNgIUIAIgADYCDEEAIQMMLAsgASAERgRAQc4BIQMMLAsCQCABLQAAQS5GBEAgAUEBaiEBDAELIAIoAgQhACACQQA2AgQgAiAAIAEQKCIARQ0VIAJBzQE2AhwgAiABNgIUIAIgADYCDEEAIQMMLAtBtQEhAwwSCyAEIAEiBUYEQEHMASEDDCsLQQAhAEEBIQFBASEGQQAhAwJAAkACQAJAAkACfwJAAkACQAJAAkACQAJAIAUtAABBMGsOCgoJAAECAwQFBggLC0ECDAYLQQMMBQtBBAwEC0EFDAMLQQYMAgtBBwwBC0EICyEDQQAhAUEAIQYMAgtBCSEDQQEhAEEAIQFBACEGDAELQQAhAUEBIQMLIAIgAzoAKyAFQQFqIQMCQAJAIAItAC1BEHENAAJAAkACQCACLQAqDgMBAAIECyAGRQ0DDAILIAANAQwCCyABRQ0BCyACKAIEIQAgAkEANgIEIAIgACADECgiAEUEQCADIQEMAwsgAkHJATYCHCACIAM2AhQgAiAANgIMQQAhAwwtCyACKAIEIQAgAkEANgIEIAIgACADECgiAEUEQCADIQEMGAsgAkHKATYCHCACIAM2AhQgAiAANgIMQQAhAwwsCyACKAIEIQAgAkEANgIEIAIgACAFECgiAEUEQCAFIQEMFgsgAkHLATYCHCACIAU2AhQgAiAANgIMDCsLQbQBIQMMEQtBACEAAkAgAigCOCIDRQ0AIAMoAjwiA0UNACACIAMRAAAhAAsCQCAABEAgAEEVRg0BIAJBADYCHCACIAE2AhQgAkGUDTYCECACQSE2AgxBACEDDCsLQbIBIQMMEQsgAkHIATYCHCACIAE2AhQgAkHJFzYCECACQRU2AgxBACEDDCkLIAJBADYCACAGQQFqIQFB9QAhAwwPCyACLQApQQVGBEBB4wAhAwwPC0HiACEDDA4LIAAhASACQQA2AgALIAJBADoALEEJIQMMDAsgAkEANgIAIAdBAWohAUHAACEDDAsLQQELOgAsIAJBADYCACAGQQFqIQELQSkhAwwIC0E4IQMMBwsCQCABIARHBEADQCABLQAAQYA+ai0AACIAQQFHBEAgAEECRw0DIAFBAWohAQwFCyAEIAFBAWoiAUcNAAtBPiEDDCELQT4hAwwgCwsgAkEAOgAsDAELQQshAwwEC0E6IQMMAwsgAUEBaiEBQS0hAwwCCyACIAE6ACwgAkEANgIAIAZBAWohAUEMIQMMAQsgAkEANgIAIAZBAWohAUEKIQMMAAsAC0EAIQMgAkEANgIcIAIgATYCFCACQc0QNgIQIAJBCTYCDAwXC0EAIQMgAkEANgIcIAIgATYCFCACQekKNgIQIAJBCTYCDAwWC0EAIQMgAkEANgIcIAIgATYCFCACQbcQNgIQIAJBCTYCDAwVC0EAIQMgAkEANgIcIAIgATYCFCACQZwRNgIQIAJBCTYCDAwUC0EAIQMgAkEANgIcIAIgATYCFCACQc0QNgIQIAJBCTYCDAwTC0EAIQMgAkEANgIcIAIgATYCFCACQekKNgIQIAJBCTYCDAwSC0EAIQMgAkEANgIcIAIgATYCFCACQbcQNgIQIAJBCTYCDAwRC0EAIQMgAkEANgIcIAIgATYCFCACQZwRNgIQIAJBCTYCDAwQC0EAIQMgAkEANgIcIAIgATYCFCACQZcVNgIQIAJBDzYCDAwPC0EAIQMgAkEANgIcIAIgATYCFCACQZcVNgIQIAJBDzYCDAwOC0EAIQMgAkEANgIcIAIgATYCFCACQcASNgIQIAJBCzYCDAwNC0EAIQMgAkEANgIcIAIgATYCFCACQZUJNgIQIAJBCzYCDAwMC0EAIQMgAkEANgIcIAIgATYCFCACQeEPNgIQIAJBCjYCDAwLC0EAIQMgAkEANgIcIAIgATYCFCACQfsPNgIQIAJBCjYCDAwKC0EAIQMgAkEANgIcIAIgATYCFCACQfEZNgIQIAJBAjYCDAwJC0EAIQMgAkEANgIcIAIgATYCFCACQcQUNgIQIAJBAjYCDAwIC0EAIQMgAkEANgIcIAIgATYCFCACQfIVNgIQIAJBAjYCDAwHCyACQQI2AhwgAiABNgIUIAJBnBo2AhAgAkEWNgIMQQAhAwwGC0EBIQMMBQtB1AAhAyABIARGDQQgCEEIaiEJIAIoAgAhBQJAAkAgASAERwRAIAVB2MIAaiEHIAQgBWogAWshACAFQX9zQQpqIgUgAWohBgNAIAEtAAAgBy0AAEcEQEECIQcMAwsgBUUEQEEAIQcgBiEBDAMLIAVBAWshBSAHQQFqIQcgBCABQQFqIgFHDQALIAAhBSAEIQELIAlBATYCACACIAU2AgAMAQsgAkEANgIAIAkgBzYCAAsgCSABNgIEIAgoAgwhACAIKAIIDgMBBAIACwALIAJBADYCHCACQbUaNgIQIAJBFzYCDCACIABBAWo2AhRBACEDDAILIAJBADYCHCACIAA2AhQgAkHKGjYCECACQQk2AgxBACEDDAELIAEgBEYEQEEiIQMMAQsgAkEJNgIIIAIgATYCBEEhIQMLIAhBEGokACADRQRAIAIoAgwhAAwBCyACIAM2AhxBACEAIAIoAgQiAUUNACACIAEgBCACKAIIEQEAIgFFDQAgAiAENgIUIAIgATYCDCABIQALIAALvgIBAn8gAEEAOgAAIABB3ABqIgFBAWtBADoAACAAQQA6AAIgAEEAOgABIAFBA2tBADoAACABQQJrQQA6AAAgAEEAOgADIAFBBGtBADoAAEEAIABrQQNxIgEgAGoiAEEANgIAQdwAIAFrQXxxIgIgAGoiAUEEa0EANgIAAkAgAkEJSQ0AIABBADYCCCAAQQA2AgQgAUEIa0EANgIAIAFBDGtBADYCACACQRlJDQAgAEEANgIYIABBADYCFCAAQQA2AhAgAEEANgIMIAFBEGtBADYCACABQRRrQQA2AgAgAUEYa0EANgIAIAFBHGtBADYCACACIABBBHFBGHIiAmsiAUEgSQ0AIAAgAmohAANAIABCADcDGCAAQgA3AxAgAEIANwMIIABCADcDACAAQSBqIQAgAUEgayIBQR9LDQALCwtWAQF/AkAgACgCDA0AAkACQAJAAkAgAC0ALw4DAQADAgsgACgCOCIBRQ0AIAEoAiwiAUUNACAAIAERAAAiAQ0DC0EADwsACyAAQcMWNgIQQQ4hAQsgAQsaACAAKAIMRQRAIABB0Rs2AhAgAEEVNgIMCwsUACAAKAIMQRVGBEAgAEEANgIMCwsUACAAKAIMQRZGBEAgAEEANgIMCwsHACAAKAIMCwcAIAAoAhALCQAgACABNgIQCwcAIAAoAhQLFwAgAEEkTwRAAAsgAEECdEGgM2ooAgALFwAgAEEuTwRAAAsgAEECdEGwNGooAgALvwkBAX9B6yghAQJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAIABB5ABrDvQDY2IAAWFhYWFhYQIDBAVhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhBgcICQoLDA0OD2FhYWFhEGFhYWFhYWFhYWFhEWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYRITFBUWFxgZGhthYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2YTc4OTphYWFhYWFhYTthYWE8YWFhYT0+P2FhYWFhYWFhQGFhQWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYUJDREVGR0hJSktMTU5PUFFSU2FhYWFhYWFhVFVWV1hZWlthXF1hYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFeYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhX2BhC0HhJw8LQaQhDwtByywPC0H+MQ8LQcAkDwtBqyQPC0GNKA8LQeImDwtBgDAPC0G5Lw8LQdckDwtB7x8PC0HhHw8LQfofDwtB8iAPC0GoLw8LQa4yDwtBiDAPC0HsJw8LQYIiDwtBjh0PC0HQLg8LQcojDwtBxTIPC0HfHA8LQdIcDwtBxCAPC0HXIA8LQaIfDwtB7S4PC0GrMA8LQdQlDwtBzC4PC0H6Lg8LQfwrDwtB0jAPC0HxHQ8LQbsgDwtB9ysPC0GQMQ8LQdcxDwtBoi0PC0HUJw8LQeArDwtBnywPC0HrMQ8LQdUfDwtByjEPC0HeJQ8LQdQeDwtB9BwPC0GnMg8LQbEdDwtBoB0PC0G5MQ8LQbwwDwtBkiEPC0GzJg8LQeksDwtBrB4PC0HUKw8LQfcmDwtBgCYPC0GwIQ8LQf4eDwtBjSMPC0GJLQ8LQfciDwtBoDEPC0GuHw8LQcYlDwtB6B4PC0GTIg8LQcIvDwtBwx0PC0GLLA8LQeEdDwtBjS8PC0HqIQ8LQbQtDwtB0i8PC0HfMg8LQdIyDwtB8DAPC0GpIg8LQfkjDwtBmR4PC0G1LA8LQZswDwtBkjIPC0G2Kw8LQcIiDwtB+DIPC0GeJQ8LQdAiDwtBuh4PC0GBHg8LAAtB1iEhAQsgAQsWACAAIAAtAC1B/gFxIAFBAEdyOgAtCxkAIAAgAC0ALUH9AXEgAUEAR0EBdHI6AC0LGQAgACAALQAtQfsBcSABQQBHQQJ0cjoALQsZACAAIAAtAC1B9wFxIAFBAEdBA3RyOgAtCz4BAn8CQCAAKAI4IgNFDQAgAygCBCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABBxhE2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCCCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABB9go2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCDCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABB7Ro2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCECIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABBlRA2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCFCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABBqhs2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCGCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABB7RM2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCKCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABB9gg2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCHCIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABBwhk2AhBBGCEECyAECz4BAn8CQCAAKAI4IgNFDQAgAygCICIDRQ0AIAAgASACIAFrIAMRAQAiBEF/Rw0AIABBlBQ2AhBBGCEECyAEC1kBAn8CQCAALQAoQQFGDQAgAC8BMiIBQeQAa0HkAEkNACABQcwBRg0AIAFBsAJGDQAgAC8BMCIAQcAAcQ0AQQEhAiAAQYgEcUGABEYNACAAQShxRSECCyACC4wBAQJ/AkACQAJAIAAtACpFDQAgAC0AK0UNACAALwEwIgFBAnFFDQEMAgsgAC8BMCIBQQFxRQ0BC0EBIQIgAC0AKEEBRg0AIAAvATIiAEHkAGtB5ABJDQAgAEHMAUYNACAAQbACRg0AIAFBwABxDQBBACECIAFBiARxQYAERg0AIAFBKHFBAEchAgsgAgtzACAAQRBq/QwAAAAAAAAAAAAAAAAAAAAA/QsDACAA/QwAAAAAAAAAAAAAAAAAAAAA/QsDACAAQTBq/QwAAAAAAAAAAAAAAAAAAAAA/QsDACAAQSBq/QwAAAAAAAAAAAAAAAAAAAAA/QsDACAAQd0BNgIcCwYAIAAQMguaLQELfyMAQRBrIgokAEGk0AAoAgAiCUUEQEHk0wAoAgAiBUUEQEHw0wBCfzcCAEHo0wBCgICEgICAwAA3AgBB5NMAIApBCGpBcHFB2KrVqgVzIgU2AgBB+NMAQQA2AgBByNMAQQA2AgALQczTAEGA1AQ2AgBBnNAAQYDUBDYCAEGw0AAgBTYCAEGs0ABBfzYCAEHQ0wBBgKwDNgIAA0AgAUHI0ABqIAFBvNAAaiICNgIAIAIgAUG00ABqIgM2AgAgAUHA0ABqIAM2AgAgAUHQ0ABqIAFBxNAAaiIDNgIAIAMgAjYCACABQdjQAGogAUHM0ABqIgI2AgAgAiADNgIAIAFB1NAAaiACNgIAIAFBIGoiAUGAAkcNAAtBjNQEQcGrAzYCAEGo0ABB9NMAKAIANgIAQZjQAEHAqwM2AgBBpNAAQYjUBDYCAEHM/wdBODYCAEGI1AQhCQsCQAJAAkACQAJAAkACQAJAAkACQAJAAkACQAJAAkACQCAAQewBTQRAQYzQACgCACIGQRAgAEETakFwcSAAQQtJGyIEQQN2IgB2IgFBA3EEQAJAIAFBAXEgAHJBAXMiAkEDdCIAQbTQAGoiASAAQbzQAGooAgAiACgCCCIDRgRAQYzQACAGQX4gAndxNgIADAELIAEgAzYCCCADIAE2AgwLIABBCGohASAAIAJBA3QiAkEDcjYCBCAAIAJqIgAgACgCBEEBcjYCBAwRC0GU0AAoAgAiCCAETw0BIAEEQAJAQQIgAHQiAkEAIAJrciABIAB0cWgiAEEDdCICQbTQAGoiASACQbzQAGooAgAiAigCCCIDRgRAQYzQACAGQX4gAHdxIgY2AgAMAQsgASADNgIIIAMgATYCDAsgAiAEQQNyNgIEIABBA3QiACAEayEFIAAgAmogBTYCACACIARqIgQgBUEBcjYCBCAIBEAgCEF4cUG00ABqIQBBoNAAKAIAIQMCf0EBIAhBA3Z0IgEgBnFFBEBBjNAAIAEgBnI2AgAgAAwBCyAAKAIICyIBIAM2AgwgACADNgIIIAMgADYCDCADIAE2AggLIAJBCGohAUGg0AAgBDYCAEGU0AAgBTYCAAwRC0GQ0AAoAgAiC0UNASALaEECdEG80gBqKAIAIgAoAgRBeHEgBGshBSAAIQIDQAJAIAIoAhAiAUUEQCACQRRqKAIAIgFFDQELIAEoAgRBeHEgBGsiAyAFSSECIAMgBSACGyEFIAEgACACGyEAIAEhAgwBCwsgACgCGCEJIAAoAgwiAyAARwRAQZzQACgCABogAyAAKAIIIgE2AgggASADNgIMDBALIABBFGoiAigCACIBRQRAIAAoAhAiAUUNAyAAQRBqIQILA0AgAiEHIAEiA0EUaiICKAIAIgENACADQRBqIQIgAygCECIBDQALIAdBADYCAAwPC0F/IQQgAEG/f0sNACAAQRNqIgFBcHEhBEGQ0AAoAgAiCEUNAEEAIARrIQUCQAJAAkACf0EAIARBgAJJDQAaQR8gBEH///8HSw0AGiAEQSYgAUEIdmciAGt2QQFxIABBAXRrQT5qCyIGQQJ0QbzSAGooAgAiAkUEQEEAIQFBACEDDAELQQAhASAEQRkgBkEBdmtBACAGQR9HG3QhAEEAIQMDQAJAIAIoAgRBeHEgBGsiByAFTw0AIAIhAyAHIgUNAEEAIQUgAiEBDAMLIAEgAkEUaigCACIHIAcgAiAAQR12QQRxakEQaigCACICRhsgASAHGyEBIABBAXQhACACDQALCyABIANyRQRAQQAhA0ECIAZ0IgBBACAAa3IgCHEiAEUNAyAAaEECdEG80gBqKAIAIQELIAFFDQELA0AgASgCBEF4cSAEayICIAVJIQAgAiAFIAAbIQUgASADIAAbIQMgASgCECIABH8gAAUgAUEUaigCAAsiAQ0ACwsgA0UNACAFQZTQACgCACAEa08NACADKAIYIQcgAyADKAIMIgBHBEBBnNAAKAIAGiAAIAMoAggiATYCCCABIAA2AgwMDgsgA0EUaiICKAIAIgFFBEAgAygCECIBRQ0DIANBEGohAgsDQCACIQYgASIAQRRqIgIoAgAiAQ0AIABBEGohAiAAKAIQIgENAAsgBkEANgIADA0LQZTQACgCACIDIARPBEBBoNAAKAIAIQECQCADIARrIgJBEE8EQCABIARqIgAgAkEBcjYCBCABIANqIAI2AgAgASAEQQNyNgIEDAELIAEgA0EDcjYCBCABIANqIgAgACgCBEEBcjYCBEEAIQBBACECC0GU0AAgAjYCAEGg0AAgADYCACABQQhqIQEMDwtBmNAAKAIAIgMgBEsEQCAEIAlqIgAgAyAEayIBQQFyNgIEQaTQACAANgIAQZjQACABNgIAIAkgBEEDcjYCBCAJQQhqIQEMDwtBACEBIAQCf0Hk0wAoAgAEQEHs0wAoAgAMAQtB8NMAQn83AgBB6NMAQoCAhICAgMAANwIAQeTTACAKQQxqQXBxQdiq1aoFczYCAEH40wBBADYCAEHI0wBBADYCAEGAgAQLIgAgBEHHAGoiBWoiBkEAIABrIgdxIgJPBEBB/NMAQTA2AgAMDwsCQEHE0wAoAgAiAUUNAEG80wAoAgAiCCACaiEAIAAgAU0gACAIS3ENAEEAIQFB/NMAQTA2AgAMDwtByNMALQAAQQRxDQQCQAJAIAkEQEHM0wAhAQNAIAEoAgAiACAJTQRAIAAgASgCBGogCUsNAwsgASgCCCIBDQALC0EAEDMiAEF/Rg0FIAIhBkHo0wAoAgAiAUEBayIDIABxBEAgAiAAayAAIANqQQAgAWtxaiEGCyAEIAZPDQUgBkH+////B0sNBUHE0wAoAgAiAwRAQbzTACgCACIHIAZqIQEgASAHTQ0GIAEgA0sNBgsgBhAzIgEgAEcNAQwHCyAGIANrIAdxIgZB/v///wdLDQQgBhAzIQAgACABKAIAIAEoAgRqRg0DIAAhAQsCQCAGIARByABqTw0AIAFBf0YNAEHs0wAoAgAiACAFIAZrakEAIABrcSIAQf7///8HSwRAIAEhAAwHCyAAEDNBf0cEQCAAIAZqIQYgASEADAcLQQAgBmsQMxoMBAsgASIAQX9HDQUMAwtBACEDDAwLQQAhAAwKCyAAQX9HDQILQcjTAEHI0wAoAgBBBHI2AgALIAJB/v///wdLDQEgAhAzIQBBABAzIQEgAEF/Rg0BIAFBf0YNASAAIAFPDQEgASAAayIGIARBOGpNDQELQbzTAEG80wAoAgAgBmoiATYCAEHA0wAoAgAgAUkEQEHA0wAgATYCAAsCQAJAAkBBpNAAKAIAIgIEQEHM0wAhAQNAIAAgASgCACIDIAEoAgQiBWpGDQIgASgCCCIBDQALDAILQZzQACgCACIBQQBHIAAgAU9xRQRAQZzQACAANgIAC0EAIQFB0NMAIAY2AgBBzNMAIAA2AgBBrNAAQX82AgBBsNAAQeTTACgCADYCAEHY0wBBADYCAANAIAFByNAAaiABQbzQAGoiAjYCACACIAFBtNAAaiIDNgIAIAFBwNAAaiADNgIAIAFB0NAAaiABQcTQAGoiAzYCACADIAI2AgAgAUHY0ABqIAFBzNAAaiICNgIAIAIgAzYCACABQdTQAGogAjYCACABQSBqIgFBgAJHDQALQXggAGtBD3EiASAAaiICIAZBOGsiAyABayIBQQFyNgIEQajQAEH00wAoAgA2AgBBmNAAIAE2AgBBpNAAIAI2AgAgACADakE4NgIEDAILIAAgAk0NACACIANJDQAgASgCDEEIcQ0AQXggAmtBD3EiACACaiIDQZjQACgCACAGaiIHIABrIgBBAXI2AgQgASAFIAZqNgIEQajQAEH00wAoAgA2AgBBmNAAIAA2AgBBpNAAIAM2AgAgAiAHakE4NgIEDAELIABBnNAAKAIASQRAQZzQACAANgIACyAAIAZqIQNBzNMAIQECQAJAAkADQCADIAEoAgBHBEAgASgCCCIBDQEMAgsLIAEtAAxBCHFFDQELQczTACEBA0AgASgCACIDIAJNBEAgAyABKAIEaiIFIAJLDQMLIAEoAgghAQwACwALIAEgADYCACABIAEoAgQgBmo2AgQgAEF4IABrQQ9xaiIJIARBA3I2AgQgA0F4IANrQQ9xaiIGIAQgCWoiBGshASACIAZGBEBBpNAAIAQ2AgBBmNAAQZjQACgCACABaiIANgIAIAQgAEEBcjYCBAwIC0Gg0AAoAgAgBkYEQEGg0AAgBDYCAEGU0ABBlNAAKAIAIAFqIgA2AgAgBCAAQQFyNgIEIAAgBGogADYCAAwICyAGKAIEIgVBA3FBAUcNBiAFQXhxIQggBUH/AU0EQCAFQQN2IQMgBigCCCIAIAYoAgwiAkYEQEGM0ABBjNAAKAIAQX4gA3dxNgIADAcLIAIgADYCCCAAIAI2AgwMBgsgBigCGCEHIAYgBigCDCIARwRAIAAgBigCCCICNgIIIAIgADYCDAwFCyAGQRRqIgIoAgAiBUUEQCAGKAIQIgVFDQQgBkEQaiECCwNAIAIhAyAFIgBBFGoiAigCACIFDQAgAEEQaiECIAAoAhAiBQ0ACyADQQA2AgAMBAtBeCAAa0EPcSIBIABqIgcgBkE4ayIDIAFrIgFBAXI2AgQgACADakE4NgIEIAIgBUE3IAVrQQ9xakE/ayIDIAMgAkEQakkbIgNBIzYCBEGo0ABB9NMAKAIANgIAQZjQACABNgIAQaTQACAHNgIAIANBEGpB1NMAKQIANwIAIANBzNMAKQIANwIIQdTTACADQQhqNgIAQdDTACAGNgIAQczTACAANgIAQdjTAEEANgIAIANBJGohAQNAIAFBBzYCACAFIAFBBGoiAUsNAAsgAiADRg0AIAMgAygCBEF+cTYCBCADIAMgAmsiBTYCACACIAVBAXI2AgQgBUH/AU0EQCAFQXhxQbTQAGohAAJ/QYzQACgCACIBQQEgBUEDdnQiA3FFBEBBjNAAIAEgA3I2AgAgAAwBCyAAKAIICyIBIAI2AgwgACACNgIIIAIgADYCDCACIAE2AggMAQtBHyEBIAVB////B00EQCAFQSYgBUEIdmciAGt2QQFxIABBAXRrQT5qIQELIAIgATYCHCACQgA3AhAgAUECdEG80gBqIQBBkNAAKAIAIgNBASABdCIGcUUEQCAAIAI2AgBBkNAAIAMgBnI2AgAgAiAANgIYIAIgAjYCCCACIAI2AgwMAQsgBUEZIAFBAXZrQQAgAUEfRxt0IQEgACgCACEDAkADQCADIgAoAgRBeHEgBUYNASABQR12IQMgAUEBdCEBIAAgA0EEcWpBEGoiBigCACIDDQALIAYgAjYCACACIAA2AhggAiACNgIMIAIgAjYCCAwBCyAAKAIIIgEgAjYCDCAAIAI2AgggAkEANgIYIAIgADYCDCACIAE2AggLQZjQACgCACIBIARNDQBBpNAAKAIAIgAgBGoiAiABIARrIgFBAXI2AgRBmNAAIAE2AgBBpNAAIAI2AgAgACAEQQNyNgIEIABBCGohAQwIC0EAIQFB/NMAQTA2AgAMBwtBACEACyAHRQ0AAkAgBigCHCICQQJ0QbzSAGoiAygCACAGRgRAIAMgADYCACAADQFBkNAAQZDQACgCAEF+IAJ3cTYCAAwCCyAHQRBBFCAHKAIQIAZGG2ogADYCACAARQ0BCyAAIAc2AhggBigCECICBEAgACACNgIQIAIgADYCGAsgBkEUaigCACICRQ0AIABBFGogAjYCACACIAA2AhgLIAEgCGohASAGIAhqIgYoAgQhBQsgBiAFQX5xNgIEIAEgBGogATYCACAEIAFBAXI2AgQgAUH/AU0EQCABQXhxQbTQAGohAAJ/QYzQACgCACICQQEgAUEDdnQiAXFFBEBBjNAAIAEgAnI2AgAgAAwBCyAAKAIICyIBIAQ2AgwgACAENgIIIAQgADYCDCAEIAE2AggMAQtBHyEFIAFB////B00EQCABQSYgAUEIdmciAGt2QQFxIABBAXRrQT5qIQULIAQgBTYCHCAEQgA3AhAgBUECdEG80gBqIQBBkNAAKAIAIgJBASAFdCIDcUUEQCAAIAQ2AgBBkNAAIAIgA3I2AgAgBCAANgIYIAQgBDYCCCAEIAQ2AgwMAQsgAUEZIAVBAXZrQQAgBUEfRxt0IQUgACgCACEAAkADQCAAIgIoAgRBeHEgAUYNASAFQR12IQAgBUEBdCEFIAIgAEEEcWpBEGoiAygCACIADQALIAMgBDYCACAEIAI2AhggBCAENgIMIAQgBDYCCAwBCyACKAIIIgAgBDYCDCACIAQ2AgggBEEANgIYIAQgAjYCDCAEIAA2AggLIAlBCGohAQwCCwJAIAdFDQACQCADKAIcIgFBAnRBvNIAaiICKAIAIANGBEAgAiAANgIAIAANAUGQ0AAgCEF+IAF3cSIINgIADAILIAdBEEEUIAcoAhAgA0YbaiAANgIAIABFDQELIAAgBzYCGCADKAIQIgEEQCAAIAE2AhAgASAANgIYCyADQRRqKAIAIgFFDQAgAEEUaiABNgIAIAEgADYCGAsCQCAFQQ9NBEAgAyAEIAVqIgBBA3I2AgQgACADaiIAIAAoAgRBAXI2AgQMAQsgAyAEaiICIAVBAXI2AgQgAyAEQQNyNgIEIAIgBWogBTYCACAFQf8BTQRAIAVBeHFBtNAAaiEAAn9BjNAAKAIAIgFBASAFQQN2dCIFcUUEQEGM0AAgASAFcjYCACAADAELIAAoAggLIgEgAjYCDCAAIAI2AgggAiAANgIMIAIgATYCCAwBC0EfIQEgBUH///8HTQRAIAVBJiAFQQh2ZyIAa3ZBAXEgAEEBdGtBPmohAQsgAiABNgIcIAJCADcCECABQQJ0QbzSAGohAEEBIAF0IgQgCHFFBEAgACACNgIAQZDQACAEIAhyNgIAIAIgADYCGCACIAI2AgggAiACNgIMDAELIAVBGSABQQF2a0EAIAFBH0cbdCEBIAAoAgAhBAJAA0AgBCIAKAIEQXhxIAVGDQEgAUEddiEEIAFBAXQhASAAIARBBHFqQRBqIgYoAgAiBA0ACyAGIAI2AgAgAiAANgIYIAIgAjYCDCACIAI2AggMAQsgACgCCCIBIAI2AgwgACACNgIIIAJBADYCGCACIAA2AgwgAiABNgIICyADQQhqIQEMAQsCQCAJRQ0AAkAgACgCHCIBQQJ0QbzSAGoiAigCACAARgRAIAIgAzYCACADDQFBkNAAIAtBfiABd3E2AgAMAgsgCUEQQRQgCSgCECAARhtqIAM2AgAgA0UNAQsgAyAJNgIYIAAoAhAiAQRAIAMgATYCECABIAM2AhgLIABBFGooAgAiAUUNACADQRRqIAE2AgAgASADNgIYCwJAIAVBD00EQCAAIAQgBWoiAUEDcjYCBCAAIAFqIgEgASgCBEEBcjYCBAwBCyAAIARqIgcgBUEBcjYCBCAAIARBA3I2AgQgBSAHaiAFNgIAIAgEQCAIQXhxQbTQAGohAUGg0AAoAgAhAwJ/QQEgCEEDdnQiAiAGcUUEQEGM0AAgAiAGcjYCACABDAELIAEoAggLIgIgAzYCDCABIAM2AgggAyABNgIMIAMgAjYCCAtBoNAAIAc2AgBBlNAAIAU2AgALIABBCGohAQsgCkEQaiQAIAELQwAgAEUEQD8AQRB0DwsCQCAAQf//A3ENACAAQQBIDQAgAEEQdkAAIgBBf0YEQEH80wBBMDYCAEF/DwsgAEEQdA8LAAsL3D8iAEGACAsJAQAAAAIAAAADAEGUCAsFBAAAAAUAQaQICwkGAAAABwAAAAgAQdwIC4otSW52YWxpZCBjaGFyIGluIHVybCBxdWVyeQBTcGFuIGNhbGxiYWNrIGVycm9yIGluIG9uX2JvZHkAQ29udGVudC1MZW5ndGggb3ZlcmZsb3cAQ2h1bmsgc2l6ZSBvdmVyZmxvdwBSZXNwb25zZSBvdmVyZmxvdwBJbnZhbGlkIG1ldGhvZCBmb3IgSFRUUC94LnggcmVxdWVzdABJbnZhbGlkIG1ldGhvZCBmb3IgUlRTUC94LnggcmVxdWVzdABFeHBlY3RlZCBTT1VSQ0UgbWV0aG9kIGZvciBJQ0UveC54IHJlcXVlc3QASW52YWxpZCBjaGFyIGluIHVybCBmcmFnbWVudCBzdGFydABFeHBlY3RlZCBkb3QAU3BhbiBjYWxsYmFjayBlcnJvciBpbiBvbl9zdGF0dXMASW52YWxpZCByZXNwb25zZSBzdGF0dXMASW52YWxpZCBjaGFyYWN0ZXIgaW4gY2h1bmsgZXh0ZW5zaW9ucwBVc2VyIGNhbGxiYWNrIGVycm9yAGBvbl9yZXNldGAgY2FsbGJhY2sgZXJyb3IAYG9uX2NodW5rX2hlYWRlcmAgY2FsbGJhY2sgZXJyb3IAYG9uX21lc3NhZ2VfYmVnaW5gIGNhbGxiYWNrIGVycm9yAGBvbl9jaHVua19leHRlbnNpb25fdmFsdWVgIGNhbGxiYWNrIGVycm9yAGBvbl9zdGF0dXNfY29tcGxldGVgIGNhbGxiYWNrIGVycm9yAGBvbl92ZXJzaW9uX2NvbXBsZXRlYCBjYWxsYmFjayBlcnJvcgBgb25fdXJsX2NvbXBsZXRlYCBjYWxsYmFjayBlcnJvcgBgb25fY2h1bmtfY29tcGxldGVgIGNhbGxiYWNrIGVycm9yAGBvbl9oZWFkZXJfdmFsdWVfY29tcGxldGVgIGNhbGxiYWNrIGVycm9yAGBvbl9tZXNzYWdlX2NvbXBsZXRlYCBjYWxsYmFjayBlcnJvcgBgb25fbWV0aG9kX2NvbXBsZXRlYCBjYWxsYmFjayBlcnJvcgBgb25faGVhZGVyX2ZpZWxkX2NvbXBsZXRlYCBjYWxsYmFjayBlcnJvcgBgb25fY2h1bmtfZXh0ZW5zaW9uX25hbWVgIGNhbGxiYWNrIGVycm9yAFVuZXhwZWN0ZWQgY2hhciBpbiB1cmwgc2VydmVyAEludmFsaWQgaGVhZGVyIHZhbHVlIGNoYXIASW52YWxpZCBoZWFkZXIgZmllbGQgY2hhcgBTcGFuIGNhbGxiYWNrIGVycm9yIGluIG9uX3ZlcnNpb24ASW52YWxpZCBtaW5vciB2ZXJzaW9uAEludmFsaWQgbWFqb3IgdmVyc2lvbgBFeHBlY3RlZCBzcGFjZSBhZnRlciB2ZXJzaW9uAEV4cGVjdGVkIENSTEYgYWZ0ZXIgdmVyc2lvbgBJbnZhbGlkIEhUVFAgdmVyc2lvbgBJbnZhbGlkIGhlYWRlciB0b2tlbgBTcGFuIGNhbGxiYWNrIGVycm9yIGluIG9uX3VybABJbnZhbGlkIGNoYXJhY3RlcnMgaW4gdXJsAFVuZXhwZWN0ZWQgc3RhcnQgY2hhciBpbiB1cmwARG91YmxlIEAgaW4gdXJsAEVtcHR5IENvbnRlbnQtTGVuZ3RoAEludmFsaWQgY2hhcmFjdGVyIGluIENvbnRlbnQtTGVuZ3RoAER1cGxpY2F0ZSBDb250ZW50LUxlbmd0aABJbnZhbGlkIGNoYXIgaW4gdXJsIHBhdGgAQ29udGVudC1MZW5ndGggY2FuJ3QgYmUgcHJlc2VudCB3aXRoIFRyYW5zZmVyLUVuY29kaW5nAEludmFsaWQgY2hhcmFjdGVyIGluIGNodW5rIHNpemUAU3BhbiBjYWxsYmFjayBlcnJvciBpbiBvbl9oZWFkZXJfdmFsdWUAU3BhbiBjYWxsYmFjayBlcnJvciBpbiBvbl9jaHVua19leHRlbnNpb25fdmFsdWUASW52YWxpZCBjaGFyYWN0ZXIgaW4gY2h1bmsgZXh0ZW5zaW9ucyB2YWx1ZQBNaXNzaW5nIGV4cGVjdGVkIExGIGFmdGVyIGhlYWRlciB2YWx1ZQBJbnZhbGlkIGBUcmFuc2Zlci1FbmNvZGluZ2AgaGVhZGVyIHZhbHVlAEludmFsaWQgY2hhcmFjdGVyIGluIGNodW5rIGV4dGVuc2lvbnMgcXVvdGUgdmFsdWUASW52YWxpZCBjaGFyYWN0ZXIgaW4gY2h1bmsgZXh0ZW5zaW9ucyBxdW90ZWQgdmFsdWUAUGF1c2VkIGJ5IG9uX2hlYWRlcnNfY29tcGxldGUASW52YWxpZCBFT0Ygc3RhdGUAb25fcmVzZXQgcGF1c2UAb25fY2h1bmtfaGVhZGVyIHBhdXNlAG9uX21lc3NhZ2VfYmVnaW4gcGF1c2UAb25fY2h1bmtfZXh0ZW5zaW9uX3ZhbHVlIHBhdXNlAG9uX3N0YXR1c19jb21wbGV0ZSBwYXVzZQBvbl92ZXJzaW9uX2NvbXBsZXRlIHBhdXNlAG9uX3VybF9jb21wbGV0ZSBwYXVzZQBvbl9jaHVua19jb21wbGV0ZSBwYXVzZQBvbl9oZWFkZXJfdmFsdWVfY29tcGxldGUgcGF1c2UAb25fbWVzc2FnZV9jb21wbGV0ZSBwYXVzZQBvbl9tZXRob2RfY29tcGxldGUgcGF1c2UAb25faGVhZGVyX2ZpZWxkX2NvbXBsZXRlIHBhdXNlAG9uX2NodW5rX2V4dGVuc2lvbl9uYW1lIHBhdXNlAFVuZXhwZWN0ZWQgc3BhY2UgYWZ0ZXIgc3RhcnQgbGluZQBTcGFuIGNhbGxiYWNrIGVycm9yIGluIG9uX2NodW5rX2V4dGVuc2lvbl9uYW1lAEludmFsaWQgY2hhcmFjdGVyIGluIGNodW5rIGV4dGVuc2lvbnMgbmFtZQBQYXVzZSBvbiBDT05ORUNUL1VwZ3JhZGUAUGF1c2Ugb24gUFJJL1VwZ3JhZGUARXhwZWN0ZWQgSFRUUC8yIENvbm5lY3Rpb24gUHJlZmFjZQBTcGFuIGNhbGxiYWNrIGVycm9yIGluIG9uX21ldGhvZABFeHBlY3RlZCBzcGFjZSBhZnRlciBtZXRob2QAU3BhbiBjYWxsYmFjayBlcnJvciBpbiBvbl9oZWFkZXJfZmllbGQAUGF1c2VkAEludmFsaWQgd29yZCBlbmNvdW50ZXJlZABJbnZhbGlkIG1ldGhvZCBlbmNvdW50ZXJlZABVbmV4cGVjdGVkIGNoYXIgaW4gdXJsIHNjaGVtYQBSZXF1ZXN0IGhhcyBpbnZhbGlkIGBUcmFuc2Zlci1FbmNvZGluZ2AAU1dJVENIX1BST1hZAFVTRV9QUk9YWQBNS0FDVElWSVRZAFVOUFJPQ0VTU0FCTEVfRU5USVRZAENPUFkATU9WRURfUEVSTUFORU5UTFkAVE9PX0VBUkxZAE5PVElGWQBGQUlMRURfREVQRU5ERU5DWQBCQURfR0FURVdBWQBQTEFZAFBVVABDSEVDS09VVABHQVRFV0FZX1RJTUVPVVQAUkVRVUVTVF9USU1FT1VUAE5FVFdPUktfQ09OTkVDVF9USU1FT1VUAENPTk5FQ1RJT05fVElNRU9VVABMT0dJTl9USU1FT1VUAE5FVFdPUktfUkVBRF9USU1FT1VUAFBPU1QATUlTRElSRUNURURfUkVRVUVTVABDTElFTlRfQ0xPU0VEX1JFUVVFU1QAQ0xJRU5UX0NMT1NFRF9MT0FEX0JBTEFOQ0VEX1JFUVVFU1QAQkFEX1JFUVVFU1QASFRUUF9SRVFVRVNUX1NFTlRfVE9fSFRUUFNfUE9SVABSRVBPUlQASU1fQV9URUFQT1QAUkVTRVRfQ09OVEVOVABOT19DT05URU5UAFBBUlRJQUxfQ09OVEVOVABIUEVfSU5WQUxJRF9DT05TVEFOVABIUEVfQ0JfUkVTRVQAR0VUAEhQRV9TVFJJQ1QAQ09ORkxJQ1QAVEVNUE9SQVJZX1JFRElSRUNUAFBFUk1BTkVOVF9SRURJUkVDVABDT05ORUNUAE1VTFRJX1NUQVRVUwBIUEVfSU5WQUxJRF9TVEFUVVMAVE9PX01BTllfUkVRVUVTVFMARUFSTFlfSElOVFMAVU5BVkFJTEFCTEVfRk9SX0xFR0FMX1JFQVNPTlMAT1BUSU9OUwBTV0lUQ0hJTkdfUFJPVE9DT0xTAFZBUklBTlRfQUxTT19ORUdPVElBVEVTAE1VTFRJUExFX0NIT0lDRVMASU5URVJOQUxfU0VSVkVSX0VSUk9SAFdFQl9TRVJWRVJfVU5LTk9XTl9FUlJPUgBSQUlMR1VOX0VSUk9SAElERU5USVRZX1BST1ZJREVSX0FVVEhFTlRJQ0FUSU9OX0VSUk9SAFNTTF9DRVJUSUZJQ0FURV9FUlJPUgBJTlZBTElEX1hfRk9SV0FSREVEX0ZPUgBTRVRfUEFSQU1FVEVSAEdFVF9QQVJBTUVURVIASFBFX1VTRVIAU0VFX09USEVSAEhQRV9DQl9DSFVOS19IRUFERVIATUtDQUxFTkRBUgBTRVRVUABXRUJfU0VSVkVSX0lTX0RPV04AVEVBUkRPV04ASFBFX0NMT1NFRF9DT05ORUNUSU9OAEhFVVJJU1RJQ19FWFBJUkFUSU9OAERJU0NPTk5FQ1RFRF9PUEVSQVRJT04ATk9OX0FVVEhPUklUQVRJVkVfSU5GT1JNQVRJT04ASFBFX0lOVkFMSURfVkVSU0lPTgBIUEVfQ0JfTUVTU0FHRV9CRUdJTgBTSVRFX0lTX0ZST1pFTgBIUEVfSU5WQUxJRF9IRUFERVJfVE9LRU4ASU5WQUxJRF9UT0tFTgBGT1JCSURERU4ARU5IQU5DRV9ZT1VSX0NBTE0ASFBFX0lOVkFMSURfVVJMAEJMT0NLRURfQllfUEFSRU5UQUxfQ09OVFJPTABNS0NPTABBQ0wASFBFX0lOVEVSTkFMAFJFUVVFU1RfSEVBREVSX0ZJRUxEU19UT09fTEFSR0VfVU5PRkZJQ0lBTABIUEVfT0sAVU5MSU5LAFVOTE9DSwBQUkkAUkVUUllfV0lUSABIUEVfSU5WQUxJRF9DT05URU5UX0xFTkdUSABIUEVfVU5FWFBFQ1RFRF9DT05URU5UX0xFTkdUSABGTFVTSABQUk9QUEFUQ0gATS1TRUFSQ0gAVVJJX1RPT19MT05HAFBST0NFU1NJTkcATUlTQ0VMTEFORU9VU19QRVJTSVNURU5UX1dBUk5JTkcATUlTQ0VMTEFORU9VU19XQVJOSU5HAEhQRV9JTlZBTElEX1RSQU5TRkVSX0VOQ09ESU5HAEV4cGVjdGVkIENSTEYASFBFX0lOVkFMSURfQ0hVTktfU0laRQBNT1ZFAENPTlRJTlVFAEhQRV9DQl9TVEFUVVNfQ09NUExFVEUASFBFX0NCX0hFQURFUlNfQ09NUExFVEUASFBFX0NCX1ZFUlNJT05fQ09NUExFVEUASFBFX0NCX1VSTF9DT01QTEVURQBIUEVfQ0JfQ0hVTktfQ09NUExFVEUASFBFX0NCX0hFQURFUl9WQUxVRV9DT01QTEVURQBIUEVfQ0JfQ0hVTktfRVhURU5TSU9OX1ZBTFVFX0NPTVBMRVRFAEhQRV9DQl9DSFVOS19FWFRFTlNJT05fTkFNRV9DT01QTEVURQBIUEVfQ0JfTUVTU0FHRV9DT01QTEVURQBIUEVfQ0JfTUVUSE9EX0NPTVBMRVRFAEhQRV9DQl9IRUFERVJfRklFTERfQ09NUExFVEUAREVMRVRFAEhQRV9JTlZBTElEX0VPRl9TVEFURQBJTlZBTElEX1NTTF9DRVJUSUZJQ0FURQBQQVVTRQBOT19SRVNQT05TRQBVTlNVUFBPUlRFRF9NRURJQV9UWVBFAEdPTkUATk9UX0FDQ0VQVEFCTEUAU0VSVklDRV9VTkFWQUlMQUJMRQBSQU5HRV9OT1RfU0FUSVNGSUFCTEUAT1JJR0lOX0lTX1VOUkVBQ0hBQkxFAFJFU1BPTlNFX0lTX1NUQUxFAFBVUkdFAE1FUkdFAFJFUVVFU1RfSEVBREVSX0ZJRUxEU19UT09fTEFSR0UAUkVRVUVTVF9IRUFERVJfVE9PX0xBUkdFAFBBWUxPQURfVE9PX0xBUkdFAElOU1VGRklDSUVOVF9TVE9SQUdFAEhQRV9QQVVTRURfVVBHUkFERQBIUEVfUEFVU0VEX0gyX1VQR1JBREUAU09VUkNFAEFOTk9VTkNFAFRSQUNFAEhQRV9VTkVYUEVDVEVEX1NQQUNFAERFU0NSSUJFAFVOU1VCU0NSSUJFAFJFQ09SRABIUEVfSU5WQUxJRF9NRVRIT0QATk9UX0ZPVU5EAFBST1BGSU5EAFVOQklORABSRUJJTkQAVU5BVVRIT1JJWkVEAE1FVEhPRF9OT1RfQUxMT1dFRABIVFRQX1ZFUlNJT05fTk9UX1NVUFBPUlRFRABBTFJFQURZX1JFUE9SVEVEAEFDQ0VQVEVEAE5PVF9JTVBMRU1FTlRFRABMT09QX0RFVEVDVEVEAEhQRV9DUl9FWFBFQ1RFRABIUEVfTEZfRVhQRUNURUQAQ1JFQVRFRABJTV9VU0VEAEhQRV9QQVVTRUQAVElNRU9VVF9PQ0NVUkVEAFBBWU1FTlRfUkVRVUlSRUQAUFJFQ09ORElUSU9OX1JFUVVJUkVEAFBST1hZX0FVVEhFTlRJQ0FUSU9OX1JFUVVJUkVEAE5FVFdPUktfQVVUSEVOVElDQVRJT05fUkVRVUlSRUQATEVOR1RIX1JFUVVJUkVEAFNTTF9DRVJUSUZJQ0FURV9SRVFVSVJFRABVUEdSQURFX1JFUVVJUkVEAFBBR0VfRVhQSVJFRABQUkVDT05ESVRJT05fRkFJTEVEAEVYUEVDVEFUSU9OX0ZBSUxFRABSRVZBTElEQVRJT05fRkFJTEVEAFNTTF9IQU5EU0hBS0VfRkFJTEVEAExPQ0tFRABUUkFOU0ZPUk1BVElPTl9BUFBMSUVEAE5PVF9NT0RJRklFRABOT1RfRVhURU5ERUQAQkFORFdJRFRIX0xJTUlUX0VYQ0VFREVEAFNJVEVfSVNfT1ZFUkxPQURFRABIRUFEAEV4cGVjdGVkIEhUVFAvAABeEwAAJhMAADAQAADwFwAAnRMAABUSAAA5FwAA8BIAAAoQAAB1EgAArRIAAIITAABPFAAAfxAAAKAVAAAjFAAAiRIAAIsUAABNFQAA1BEAAM8UAAAQGAAAyRYAANwWAADBEQAA4BcAALsUAAB0FAAAfBUAAOUUAAAIFwAAHxAAAGUVAACjFAAAKBUAAAIVAACZFQAALBAAAIsZAABPDwAA1A4AAGoQAADOEAAAAhcAAIkOAABuEwAAHBMAAGYUAABWFwAAwRMAAM0TAABsEwAAaBcAAGYXAABfFwAAIhMAAM4PAABpDgAA2A4AAGMWAADLEwAAqg4AACgXAAAmFwAAxRMAAF0WAADoEQAAZxMAAGUTAADyFgAAcxMAAB0XAAD5FgAA8xEAAM8OAADOFQAADBIAALMRAAClEQAAYRAAADIXAAC7EwBB+TULAQEAQZA2C+ABAQECAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEAQf03CwEBAEGROAteAgMCAgICAgAAAgIAAgIAAgICAgICAgICAgAEAAAAAAACAgICAgICAgICAgICAgICAgICAgICAgICAgAAAAICAgICAgICAgICAgICAgICAgICAgICAgICAgICAAIAAgBB/TkLAQEAQZE6C14CAAICAgICAAACAgACAgACAgICAgICAgICAAMABAAAAAICAgICAgICAgICAgICAgICAgICAgICAgICAAAAAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAAgACAEHwOwsNbG9zZWVlcC1hbGl2ZQBBiTwLAQEAQaA8C+ABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEAAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEAQYk+CwEBAEGgPgvnAQEBAQEBAQEBAQEBAQIBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBY2h1bmtlZABBsMAAC18BAQABAQEBAQAAAQEAAQEAAQEBAQEBAQEBAQAAAAAAAAABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQAAAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAAEAAQBBkMIACyFlY3Rpb25lbnQtbGVuZ3Rob25yb3h5LWNvbm5lY3Rpb24AQcDCAAstcmFuc2Zlci1lbmNvZGluZ3BncmFkZQ0KDQoNClNNDQoNClRUUC9DRS9UU1AvAEH5wgALBQECAAEDAEGQwwAL4AEEAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQBB+cQACwUBAgABAwBBkMUAC+ABBAEBBQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEAAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEAQfnGAAsEAQAAAQBBkccAC98BAQEAAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQBB+sgACwQBAAACAEGQyQALXwMEAAAEBAQEBAQEBAQEBAUEBAQEBAQEBAQEBAQABAAGBwQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAAEAAQABAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQAAAAEAEH6ygALBAEAAAEAQZDLAAsBAQBBqssAC0ECAAAAAAAAAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMAAAAAAAADAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwBB+swACwQBAAABAEGQzQALAQEAQZrNAAsGAgAAAAACAEGxzQALOgMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAAAAAAAAAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMAQfDOAAuWAU5PVU5DRUVDS09VVE5FQ1RFVEVDUklCRUxVU0hFVEVBRFNFQVJDSFJHRUNUSVZJVFlMRU5EQVJWRU9USUZZUFRJT05TQ0hTRUFZU1RBVENIR0VPUkRJUkVDVE9SVFJDSFBBUkFNRVRFUlVSQ0VCU0NSSUJFQVJET1dOQUNFSU5ETktDS1VCU0NSSUJFSFRUUC9BRFRQLw==", "base64");
}));
// node_modules/undici/lib/dispatcher/client-h1.js
var require_client_h1 = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const assert = require_util$2.require__lazy_assert();
	const util = require_util$2.require_util();
	const { channels } = require_diagnostics();
	const timers = require_timers();
	const { RequestContentLengthMismatchError, ResponseContentLengthMismatchError, RequestAbortedError, InvalidArgumentError, HeadersTimeoutError, HeadersOverflowError, SocketError, InformationalError, BodyTimeoutError, HTTPParserError, ResponseExceededMaxSizeError } = require_util$2.require_errors();
	const { kUrl, kReset, kClient, kParser, kBlocking, kRunning, kPending, kSize, kWriting, kQueue, kNoRef, kKeepAliveDefaultTimeout, kHostHeader, kPendingIdx, kRunningIdx, kError, kPipelining, kSocket, kKeepAliveTimeoutValue, kMaxHeadersSize, kKeepAliveMaxTimeout, kKeepAliveTimeoutThreshold, kHeadersTimeout, kBodyTimeout, kStrictContentLength, kMaxRequests, kCounter, kMaxResponseSize, kOnError, kResume, kHTTPContext } = require_util$2.require_symbols();
	const constants = require_constants();
	const EMPTY_BUF = Buffer.alloc(0);
	const FastBuffer = Buffer[Symbol.species];
	const addListener = util.addListener;
	const removeAllListeners = util.removeAllListeners;
	const kIdleSocketValidation = Symbol("kIdleSocketValidation");
	const kIdleSocketValidationTimeout = Symbol("kIdleSocketValidationTimeout");
	const kSocketUsed = Symbol("kSocketUsed");
	let extractBody;
	async function lazyllhttp() {
		const llhttpWasmData = process.env.JEST_WORKER_ID ? require("./llhttp-wasm.js") : void 0;
		let mod;
		try {
			mod = await WebAssembly.compile(require_llhttp_simd_wasm());
		} catch (e) {
			/* istanbul ignore next */
			mod = await WebAssembly.compile(llhttpWasmData || require("./llhttp-wasm.js"));
		}
		return await WebAssembly.instantiate(mod, { env: {
			wasm_on_url: (p, at, len) => {
				/* istanbul ignore next */
				return 0;
			},
			wasm_on_status: (p, at, len) => {
				assert(currentParser.ptr === p);
				const start = at - currentBufferPtr + currentBufferRef.byteOffset;
				return currentParser.onStatus(new FastBuffer(currentBufferRef.buffer, start, len)) || 0;
			},
			wasm_on_message_begin: (p) => {
				assert(currentParser.ptr === p);
				return currentParser.onMessageBegin() || 0;
			},
			wasm_on_header_field: (p, at, len) => {
				assert(currentParser.ptr === p);
				const start = at - currentBufferPtr + currentBufferRef.byteOffset;
				return currentParser.onHeaderField(new FastBuffer(currentBufferRef.buffer, start, len)) || 0;
			},
			wasm_on_header_value: (p, at, len) => {
				assert(currentParser.ptr === p);
				const start = at - currentBufferPtr + currentBufferRef.byteOffset;
				return currentParser.onHeaderValue(new FastBuffer(currentBufferRef.buffer, start, len)) || 0;
			},
			wasm_on_headers_complete: (p, statusCode, upgrade, shouldKeepAlive) => {
				assert(currentParser.ptr === p);
				return currentParser.onHeadersComplete(statusCode, Boolean(upgrade), Boolean(shouldKeepAlive)) || 0;
			},
			wasm_on_body: (p, at, len) => {
				assert(currentParser.ptr === p);
				const start = at - currentBufferPtr + currentBufferRef.byteOffset;
				return currentParser.onBody(new FastBuffer(currentBufferRef.buffer, start, len)) || 0;
			},
			wasm_on_message_complete: (p) => {
				assert(currentParser.ptr === p);
				return currentParser.onMessageComplete() || 0;
			}
		} });
	}
	let llhttpInstance = null;
	let llhttpPromise = lazyllhttp();
	llhttpPromise.catch();
	let currentParser = null;
	let currentBufferRef = null;
	let currentBufferSize = 0;
	let currentBufferPtr = null;
	const USE_FAST_TIMER = 1;
	const TIMEOUT_HEADERS = 3;
	const TIMEOUT_BODY = 5;
	const TIMEOUT_KEEP_ALIVE = 8;
	var Parser = class {
		constructor(client, socket, { exports }) {
			assert(Number.isFinite(client[kMaxHeadersSize]) && client[kMaxHeadersSize] > 0);
			this.llhttp = exports;
			this.ptr = this.llhttp.llhttp_alloc(constants.TYPE.RESPONSE);
			this.client = client;
			this.socket = socket;
			this.timeout = null;
			this.timeoutValue = null;
			this.timeoutType = null;
			this.statusCode = null;
			this.statusText = "";
			this.upgrade = false;
			this.headers = [];
			this.headersSize = 0;
			this.headersMaxSize = client[kMaxHeadersSize];
			this.shouldKeepAlive = false;
			this.paused = false;
			this.resume = this.resume.bind(this);
			this.bytesRead = 0;
			this.keepAlive = "";
			this.contentLength = "";
			this.connection = "";
			this.maxResponseSize = client[kMaxResponseSize];
		}
		setTimeout(delay, type) {
			if (delay !== this.timeoutValue || type & USE_FAST_TIMER ^ this.timeoutType & USE_FAST_TIMER) {
				if (this.timeout) {
					timers.clearTimeout(this.timeout);
					this.timeout = null;
				}
				if (delay) {
					if (type & USE_FAST_TIMER) this.timeout = timers.setFastTimeout(onParserTimeout, delay, new WeakRef(this));
					else {
						this.timeout = setTimeout(onParserTimeout, delay, new WeakRef(this));
						this.timeout.unref();
					}
				}
				this.timeoutValue = delay;
			} else if (this.timeout) {
				// istanbul ignore else: only for jest
				if (this.timeout.refresh) this.timeout.refresh();
			}
			this.timeoutType = type;
		}
		resume() {
			if (this.socket.destroyed || !this.paused) return;
			assert(this.ptr != null);
			assert(currentParser == null);
			this.llhttp.llhttp_resume(this.ptr);
			assert(this.timeoutType === TIMEOUT_BODY);
			if (this.timeout) {
				// istanbul ignore else: only for jest
				if (this.timeout.refresh) this.timeout.refresh();
			}
			this.paused = false;
			this.execute(this.socket.read() || EMPTY_BUF);
			this.readMore();
		}
		readMore() {
			while (!this.paused && this.ptr) {
				const chunk = this.socket.read();
				if (chunk === null) break;
				this.execute(chunk);
			}
		}
		execute(data) {
			assert(this.ptr != null);
			assert(currentParser == null);
			assert(!this.paused);
			const { socket, llhttp } = this;
			if (data.length > currentBufferSize) {
				if (currentBufferPtr) llhttp.free(currentBufferPtr);
				currentBufferSize = Math.ceil(data.length / 4096) * 4096;
				currentBufferPtr = llhttp.malloc(currentBufferSize);
			}
			new Uint8Array(llhttp.memory.buffer, currentBufferPtr, currentBufferSize).set(data);
			try {
				let ret;
				try {
					currentBufferRef = data;
					currentParser = this;
					ret = llhttp.llhttp_execute(this.ptr, currentBufferPtr, data.length);
				} catch (err) {
					/* istanbul ignore next: difficult to make a test case for */
					throw err;
				} finally {
					currentParser = null;
					currentBufferRef = null;
				}
				const offset = llhttp.llhttp_get_error_pos(this.ptr) - currentBufferPtr;
				if (ret !== constants.ERROR.OK) {
					const body = data.subarray(offset);
					if (ret === constants.ERROR.PAUSED_UPGRADE) this.onUpgrade(body);
					else if (ret === constants.ERROR.PAUSED) {
						this.paused = true;
						socket.unshift(body);
					} else throw this.createError(ret, body);
				}
			} catch (err) {
				util.destroy(socket, err);
			}
		}
		finish() {
			assert(currentParser === null);
			assert(this.ptr != null);
			assert(!this.paused);
			const { llhttp } = this;
			let ret;
			try {
				currentParser = this;
				ret = llhttp.llhttp_finish(this.ptr);
			} finally {
				currentParser = null;
			}
			if (ret === constants.ERROR.OK) return null;
			if (ret === constants.ERROR.PAUSED || ret === constants.ERROR.PAUSED_UPGRADE) {
				this.paused = true;
				return null;
			}
			return this.createError(ret, EMPTY_BUF);
		}
		createError(ret, data) {
			const { llhttp, contentLength, bytesRead } = this;
			if (contentLength && bytesRead !== parseInt(contentLength, 10)) return new ResponseContentLengthMismatchError();
			const ptr = llhttp.llhttp_get_error_reason(this.ptr);
			let message = "";
			if (ptr) {
				const len = new Uint8Array(llhttp.memory.buffer, ptr).indexOf(0);
				message = "Response does not match the HTTP/1.1 protocol (" + Buffer.from(llhttp.memory.buffer, ptr, len).toString() + ")";
			}
			return new HTTPParserError(message, constants.ERROR[ret], data);
		}
		destroy() {
			assert(this.ptr != null);
			assert(currentParser == null);
			this.llhttp.llhttp_free(this.ptr);
			this.ptr = null;
			this.timeout && timers.clearTimeout(this.timeout);
			this.timeout = null;
			this.timeoutValue = null;
			this.timeoutType = null;
			this.paused = false;
		}
		onStatus(buf) {
			this.statusText = buf.toString();
		}
		onMessageBegin() {
			const { socket, client } = this;
			/* istanbul ignore next: difficult to make a test case for */
			if (socket.destroyed) return -1;
			if (client[kRunning] === 0) {
				util.destroy(socket, new SocketError("bad response", util.getSocketInfo(socket)));
				return -1;
			}
			const request = client[kQueue][client[kRunningIdx]];
			if (!request) return -1;
			request.onResponseStarted();
		}
		onHeaderField(buf) {
			const len = this.headers.length;
			if ((len & 1) === 0) this.headers.push(buf);
			else this.headers[len - 1] = Buffer.concat([this.headers[len - 1], buf]);
			this.trackHeader(buf.length);
		}
		onHeaderValue(buf) {
			let len = this.headers.length;
			if ((len & 1) === 1) {
				this.headers.push(buf);
				len += 1;
			} else this.headers[len - 1] = Buffer.concat([this.headers[len - 1], buf]);
			const key = this.headers[len - 2];
			if (key.length === 10) {
				const headerName = util.bufferToLowerCasedHeaderName(key);
				if (headerName === "keep-alive") this.keepAlive += buf.toString();
				else if (headerName === "connection") this.connection += buf.toString();
			} else if (key.length === 14 && util.bufferToLowerCasedHeaderName(key) === "content-length") this.contentLength += buf.toString();
			this.trackHeader(buf.length);
		}
		trackHeader(len) {
			this.headersSize += len;
			if (this.headersSize >= this.headersMaxSize) util.destroy(this.socket, new HeadersOverflowError());
		}
		onUpgrade(head) {
			const { upgrade, client, socket, headers, statusCode, statusText } = this;
			assert(upgrade);
			assert(client[kSocket] === socket);
			assert(!socket.destroyed);
			assert(!this.paused);
			assert((headers.length & 1) === 0);
			const request = client[kQueue][client[kRunningIdx]];
			assert(request);
			assert(request.upgrade || request.method === "CONNECT");
			this.statusCode = null;
			this.statusText = "";
			this.shouldKeepAlive = null;
			this.headers = [];
			this.headersSize = 0;
			socket.unshift(head);
			socket[kParser].destroy();
			socket[kParser] = null;
			socket[kClient] = null;
			socket[kError] = null;
			removeAllListeners(socket);
			client[kSocket] = null;
			client[kHTTPContext] = null;
			client[kQueue][client[kRunningIdx]++] = null;
			client.emit("disconnect", client[kUrl], [client], new InformationalError("upgrade"));
			try {
				request.onUpgrade(statusCode, headers, socket, statusText);
			} catch (error) {
				util.errorRequest(client, request, error);
				util.destroy(socket, error);
			}
			client[kResume]();
		}
		onHeadersComplete(statusCode, upgrade, shouldKeepAlive) {
			const { client, socket, headers, statusText } = this;
			/* istanbul ignore next: difficult to make a test case for */
			if (socket.destroyed) return -1;
			if (client[kRunning] === 0) {
				util.destroy(socket, new SocketError("bad response", util.getSocketInfo(socket)));
				return -1;
			}
			const request = client[kQueue][client[kRunningIdx]];
			/* istanbul ignore next: difficult to make a test case for */
			if (!request) return -1;
			assert(!this.upgrade);
			assert(this.statusCode < 200);
			if (statusCode === 100) {
				util.destroy(socket, new SocketError("bad response", util.getSocketInfo(socket)));
				return -1;
			}
			if (upgrade && !request.upgrade) {
				util.destroy(socket, new SocketError("bad upgrade", util.getSocketInfo(socket)));
				return -1;
			}
			assert(this.timeoutType === TIMEOUT_HEADERS);
			this.statusCode = statusCode;
			this.shouldKeepAlive = shouldKeepAlive || request.method === "HEAD" && !socket[kReset] && this.connection.toLowerCase() === "keep-alive";
			if (this.statusCode >= 200) {
				const bodyTimeout = request.bodyTimeout != null ? request.bodyTimeout : client[kBodyTimeout];
				this.setTimeout(bodyTimeout, TIMEOUT_BODY);
			} else if (this.timeout) {
				// istanbul ignore else: only for jest
				if (this.timeout.refresh) this.timeout.refresh();
			}
			if (request.method === "CONNECT") {
				assert(client[kRunning] === 1);
				this.upgrade = true;
				return 2;
			}
			if (upgrade) {
				assert(client[kRunning] === 1);
				this.upgrade = true;
				return 2;
			}
			assert((this.headers.length & 1) === 0);
			this.headers = [];
			this.headersSize = 0;
			if (this.shouldKeepAlive && client[kPipelining]) {
				const keepAliveTimeout = this.keepAlive ? util.parseKeepAliveTimeout(this.keepAlive) : null;
				if (keepAliveTimeout != null) {
					const timeout = Math.min(keepAliveTimeout - client[kKeepAliveTimeoutThreshold], client[kKeepAliveMaxTimeout]);
					if (timeout <= 0) socket[kReset] = true;
					else client[kKeepAliveTimeoutValue] = timeout;
				} else client[kKeepAliveTimeoutValue] = client[kKeepAliveDefaultTimeout];
			} else socket[kReset] = true;
			const pause = request.onHeaders(statusCode, headers, this.resume, statusText) === false;
			if (request.aborted) return -1;
			if (request.method === "HEAD") return 1;
			if (statusCode < 200) return 1;
			if (socket[kBlocking]) {
				socket[kBlocking] = false;
				client[kResume]();
			}
			return pause ? constants.ERROR.PAUSED : 0;
		}
		onBody(buf) {
			const { client, socket, statusCode, maxResponseSize } = this;
			if (socket.destroyed) return -1;
			const request = client[kQueue][client[kRunningIdx]];
			assert(request);
			assert(this.timeoutType === TIMEOUT_BODY);
			if (this.timeout) {
				// istanbul ignore else: only for jest
				if (this.timeout.refresh) this.timeout.refresh();
			}
			assert(statusCode >= 200);
			if (maxResponseSize > -1 && this.bytesRead + buf.length > maxResponseSize) {
				util.destroy(socket, new ResponseExceededMaxSizeError());
				return -1;
			}
			this.bytesRead += buf.length;
			if (request.onData(buf) === false) return constants.ERROR.PAUSED;
		}
		onMessageComplete() {
			const { client, socket, statusCode, upgrade, headers, contentLength, bytesRead, shouldKeepAlive } = this;
			if (socket.destroyed && (!statusCode || shouldKeepAlive)) return -1;
			if (upgrade) return;
			assert(statusCode >= 100);
			assert((this.headers.length & 1) === 0);
			const request = client[kQueue][client[kRunningIdx]];
			assert(request);
			this.statusCode = null;
			this.statusText = "";
			this.bytesRead = 0;
			this.contentLength = "";
			this.keepAlive = "";
			this.connection = "";
			this.headers = [];
			this.headersSize = 0;
			if (statusCode < 200) return;
			/* istanbul ignore next: should be handled by llhttp? */
			if (request.method !== "HEAD" && contentLength && bytesRead !== parseInt(contentLength, 10)) {
				util.destroy(socket, new ResponseContentLengthMismatchError());
				return -1;
			}
			request.onComplete(headers);
			client[kQueue][client[kRunningIdx]++] = null;
			socket[kSocketUsed] = true;
			if (socket[kWriting]) {
				assert(client[kRunning] === 0);
				util.destroy(socket, new InformationalError("reset"));
				return constants.ERROR.PAUSED;
			} else if (!shouldKeepAlive) {
				util.destroy(socket, new InformationalError("reset"));
				return constants.ERROR.PAUSED;
			} else if (socket[kReset] && client[kRunning] === 0) {
				util.destroy(socket, new InformationalError("reset"));
				return constants.ERROR.PAUSED;
			} else if (client[kPipelining] == null || client[kPipelining] === 1) setImmediate(() => client[kResume]());
			else client[kResume]();
		}
	};
	function onParserTimeout(parser) {
		const { socket, timeoutType, client, paused } = parser.deref();
		/* istanbul ignore else */
		if (timeoutType === TIMEOUT_HEADERS) {
			if (!socket[kWriting] || socket.writableNeedDrain || client[kRunning] > 1) {
				assert(!paused, "cannot be paused while waiting for headers");
				util.destroy(socket, new HeadersTimeoutError());
			}
		} else if (timeoutType === TIMEOUT_BODY) {
			if (!paused) util.destroy(socket, new BodyTimeoutError());
		} else if (timeoutType === TIMEOUT_KEEP_ALIVE) {
			assert(client[kRunning] === 0 && client[kKeepAliveTimeoutValue]);
			util.destroy(socket, new InformationalError("socket idle timeout"));
		}
	}
	async function connectH1(client, socket) {
		client[kSocket] = socket;
		if (!llhttpInstance) {
			llhttpInstance = await llhttpPromise;
			llhttpPromise = null;
		}
		socket[kNoRef] = false;
		socket[kWriting] = false;
		socket[kReset] = false;
		socket[kBlocking] = false;
		socket[kIdleSocketValidation] = 0;
		socket[kIdleSocketValidationTimeout] = null;
		socket[kSocketUsed] = false;
		socket[kParser] = new Parser(client, socket, llhttpInstance);
		addListener(socket, "error", function(err) {
			const parser = this[kParser];
			if (err.code === "ECONNRESET" && parser.statusCode && !parser.shouldKeepAlive) {
				const parserErr = parser.finish();
				if (parserErr) {
					this[kError] = parserErr;
					this[kClient][kOnError](parserErr);
				}
				return;
			}
			this[kError] = err;
			this[kClient][kOnError](err);
		});
		addListener(socket, "readable", function() {
			const parser = this[kParser];
			if (parser) parser.readMore();
		});
		addListener(socket, "end", function() {
			const parser = this[kParser];
			if (parser.statusCode && !parser.shouldKeepAlive) {
				const parserErr = parser.finish();
				if (parserErr) util.destroy(this, parserErr);
				return;
			}
			util.destroy(this, new SocketError("other side closed", util.getSocketInfo(this)));
		});
		addListener(socket, "close", function() {
			const client = this[kClient];
			const parser = this[kParser];
			clearIdleSocketValidation(this);
			if (parser) {
				if (!this[kError] && parser.statusCode && !parser.shouldKeepAlive) this[kError] = parser.finish() || this[kError];
				this[kParser].destroy();
				this[kParser] = null;
			}
			const err = this[kError] || new SocketError("closed", util.getSocketInfo(this));
			client[kSocket] = null;
			client[kHTTPContext] = null;
			if (client.destroyed) {
				assert(client[kPending] === 0);
				const requests = client[kQueue].splice(client[kRunningIdx]);
				for (let i = 0; i < requests.length; i++) {
					const request = requests[i];
					util.errorRequest(client, request, err);
				}
			} else if (client[kRunning] > 0 && err.code !== "UND_ERR_INFO") {
				const request = client[kQueue][client[kRunningIdx]];
				client[kQueue][client[kRunningIdx]++] = null;
				util.errorRequest(client, request, err);
			}
			client[kPendingIdx] = client[kRunningIdx];
			assert(client[kRunning] === 0);
			client.emit("disconnect", client[kUrl], [client], err);
			client[kResume]();
		});
		let closed = false;
		socket.on("close", () => {
			closed = true;
		});
		return {
			version: "h1",
			defaultPipelining: 1,
			write(...args) {
				return writeH1(client, ...args);
			},
			resume() {
				resumeH1(client);
			},
			destroy(err, callback) {
				if (closed) queueMicrotask(callback);
				else socket.destroy(err).on("close", callback);
			},
			get destroyed() {
				return socket.destroyed;
			},
			busy(request) {
				if (socket[kWriting] || socket[kReset] || socket[kBlocking] || socket[kIdleSocketValidation] === 1) return true;
				if (request) {
					if (client[kRunning] > 0 && !request.idempotent) return true;
					if (client[kRunning] > 0 && (request.upgrade || request.method === "CONNECT")) return true;
					if (client[kRunning] > 0 && util.bodyLength(request.body) !== 0 && (util.isStream(request.body) || util.isAsyncIterable(request.body) || util.isFormDataLike(request.body))) return true;
				}
				return false;
			}
		};
	}
	function clearIdleSocketValidation(socket) {
		if (socket[kIdleSocketValidationTimeout]) {
			clearImmediate(socket[kIdleSocketValidationTimeout]);
			socket[kIdleSocketValidationTimeout] = null;
		}
		socket[kIdleSocketValidation] = 0;
	}
	function scheduleIdleSocketValidation(client, socket) {
		socket[kIdleSocketValidation] = 1;
		socket[kIdleSocketValidationTimeout] = setImmediate(() => {
			socket[kIdleSocketValidationTimeout] = null;
			socket[kIdleSocketValidation] = 2;
			if (client[kSocket] === socket && !socket.destroyed) client[kResume]();
		});
	}
	/**
	* @param {import('./client.js')} client
	*/
	function resumeH1(client) {
		const socket = client[kSocket];
		if (socket && !socket.destroyed) {
			if (client[kSize] === 0) {
				if (!socket[kNoRef] && socket.unref) {
					socket.unref();
					socket[kNoRef] = true;
				}
			} else if (socket[kNoRef] && socket.ref) {
				socket.ref();
				socket[kNoRef] = false;
			}
			if (client[kRunning] === 0 && client[kPending] > 0 && socket[kSocketUsed]) {
				if (socket[kIdleSocketValidation] === 0) {
					scheduleIdleSocketValidation(client, socket);
					socket[kParser].readMore();
					if (socket.destroyed) return;
					return;
				}
				if (socket[kIdleSocketValidation] === 1) {
					socket[kParser].readMore();
					if (socket.destroyed) return;
					return;
				}
			}
			if (client[kRunning] === 0) {
				socket[kParser].readMore();
				if (socket.destroyed) return;
			}
			if (client[kSize] === 0) {
				if (socket[kParser].timeoutType !== TIMEOUT_KEEP_ALIVE) socket[kParser].setTimeout(client[kKeepAliveTimeoutValue], TIMEOUT_KEEP_ALIVE);
			} else if (client[kRunning] > 0 && socket[kParser].statusCode < 200) {
				if (socket[kParser].timeoutType !== TIMEOUT_HEADERS) {
					const request = client[kQueue][client[kRunningIdx]];
					const headersTimeout = request.headersTimeout != null ? request.headersTimeout : client[kHeadersTimeout];
					socket[kParser].setTimeout(headersTimeout, TIMEOUT_HEADERS);
				}
			}
		}
	}
	function shouldSendContentLength(method) {
		return method !== "GET" && method !== "HEAD" && method !== "OPTIONS" && method !== "TRACE" && method !== "CONNECT";
	}
	function writeH1(client, request) {
		const { method, path, host, upgrade, blocking, reset } = request;
		let { body, headers, contentLength } = request;
		const expectsPayload = method === "PUT" || method === "POST" || method === "PATCH" || method === "QUERY" || method === "PROPFIND" || method === "PROPPATCH";
		if (util.isFormDataLike(body)) {
			if (!extractBody) extractBody = require("./undici-fetch-body.js").extractBody;
			const [bodyStream, contentType] = extractBody(body);
			if (request.contentType == null) headers.push("content-type", contentType);
			body = bodyStream.stream;
			contentLength = bodyStream.length;
		} else if (util.isBlobLike(body) && request.contentType == null) {
			const contentType = body.type;
			if (contentType) {
				const contentTypeValue = `${contentType}`;
				if (!util.isValidHeaderValue(contentTypeValue)) {
					util.errorRequest(client, request, new InvalidArgumentError("invalid content-type header"));
					return false;
				}
				headers.push("content-type", contentTypeValue);
			}
		}
		if (body && typeof body.read === "function") body.read(0);
		const bodyLength = util.bodyLength(body);
		contentLength = bodyLength ?? contentLength;
		if (contentLength === null) contentLength = request.contentLength;
		if (contentLength === 0 && !expectsPayload) contentLength = null;
		if (shouldSendContentLength(method) && contentLength > 0 && request.contentLength !== null && request.contentLength !== contentLength) {
			if (client[kStrictContentLength]) {
				util.errorRequest(client, request, new RequestContentLengthMismatchError());
				return false;
			}
			process.emitWarning(new RequestContentLengthMismatchError());
		}
		const socket = client[kSocket];
		clearIdleSocketValidation(socket);
		/**
		* @param {Error} [error]
		*/
		const abort = (error) => {
			if (request.aborted) return;
			if (request.completed) {
				if (request.upgrade || request.method === "CONNECT") util.destroy(socket, new InformationalError("aborted"));
				return;
			}
			util.errorRequest(client, request, error || new RequestAbortedError());
			util.destroy(body);
			util.destroy(socket, new InformationalError("aborted"));
		};
		try {
			request.onConnect(abort);
		} catch (err) {
			util.errorRequest(client, request, err);
		}
		if (request.aborted) return false;
		if (method === "HEAD") socket[kReset] = true;
		if (upgrade || method === "CONNECT") socket[kReset] = true;
		if (reset != null) socket[kReset] = reset;
		if (client[kMaxRequests] && socket[kCounter]++ >= client[kMaxRequests]) socket[kReset] = true;
		if (blocking) socket[kBlocking] = true;
		let header = `${method} ${path} HTTP/1.1\r\n`;
		if (typeof host === "string") header += `host: ${host}\r\n`;
		else header += client[kHostHeader];
		if (upgrade) header += `connection: upgrade\r\nupgrade: ${upgrade}\r\n`;
		else if (client[kPipelining] && !socket[kReset]) header += "connection: keep-alive\r\n";
		else header += "connection: close\r\n";
		if (Array.isArray(headers)) for (let n = 0; n < headers.length; n += 2) {
			const key = headers[n + 0];
			const val = headers[n + 1];
			if (Array.isArray(val)) for (let i = 0; i < val.length; i++) header += `${key}: ${val[i]}\r\n`;
			else header += `${key}: ${val}\r\n`;
		}
		if (channels.sendHeaders.hasSubscribers) channels.sendHeaders.publish({
			request,
			headers: header,
			socket
		});
		/* istanbul ignore else: assertion */
		if (!body || bodyLength === 0) writeBuffer(abort, null, client, request, socket, contentLength, header, expectsPayload);
		else if (util.isBuffer(body)) writeBuffer(abort, body, client, request, socket, contentLength, header, expectsPayload);
		else if (util.isBlobLike(body)) {
			if (typeof body.stream === "function") writeIterable(abort, body.stream(), client, request, socket, contentLength, header, expectsPayload);
			else writeBlob(abort, body, client, request, socket, contentLength, header, expectsPayload);
		} else if (util.isStream(body)) writeStream(abort, body, client, request, socket, contentLength, header, expectsPayload);
		else if (util.isIterable(body)) writeIterable(abort, body, client, request, socket, contentLength, header, expectsPayload);
		else assert(false);
		return true;
	}
	function writeStream(abort, body, client, request, socket, contentLength, header, expectsPayload) {
		assert(contentLength !== 0 || client[kRunning] === 0, "stream body cannot be pipelined");
		let finished = false;
		const writer = new AsyncWriter({
			abort,
			socket,
			request,
			contentLength,
			client,
			expectsPayload,
			header
		});
		const onData = function(chunk) {
			if (finished) return;
			try {
				if (!writer.write(chunk) && this.pause) this.pause();
			} catch (err) {
				util.destroy(this, err);
			}
		};
		const onDrain = function() {
			if (finished) return;
			if (body.resume) body.resume();
		};
		const onClose = function() {
			queueMicrotask(() => {
				body.removeListener("error", onFinished);
			});
			if (!finished) {
				const err = new RequestAbortedError();
				queueMicrotask(() => onFinished(err));
			}
		};
		const onFinished = function(err) {
			if (finished) return;
			finished = true;
			assert(socket.destroyed || socket[kWriting] && client[kRunning] <= 1);
			socket.off("drain", onDrain).off("error", onFinished);
			body.removeListener("data", onData).removeListener("end", onFinished).removeListener("close", onClose);
			if (!err) try {
				writer.end();
			} catch (er) {
				err = er;
			}
			writer.destroy(err);
			if (err && (err.code !== "UND_ERR_INFO" || err.message !== "reset")) util.destroy(body, err);
			else util.destroy(body);
		};
		body.on("data", onData).on("end", onFinished).on("error", onFinished).on("close", onClose);
		if (body.resume) body.resume();
		socket.on("drain", onDrain).on("error", onFinished);
		if (body.errorEmitted ?? body.errored) setImmediate(() => onFinished(body.errored));
		else if (body.endEmitted ?? body.readableEnded) setImmediate(() => onFinished(null));
		if (body.closeEmitted ?? body.closed) setImmediate(onClose);
	}
	function writeBuffer(abort, body, client, request, socket, contentLength, header, expectsPayload) {
		try {
			if (!body) {
				if (contentLength === 0) socket.write(`${header}content-length: 0\r\n\r\n`, "latin1");
				else {
					assert(contentLength === null, "no body must not have content length");
					socket.write(`${header}\r\n`, "latin1");
				}
			} else if (util.isBuffer(body)) {
				assert(contentLength === body.byteLength, "buffer body must have content length");
				socket.cork();
				socket.write(`${header}content-length: ${contentLength}\r\n\r\n`, "latin1");
				socket.write(body);
				socket.uncork();
				request.onBodySent(body);
				if (!expectsPayload && request.reset !== false) socket[kReset] = true;
			}
			request.onRequestSent();
			client[kResume]();
		} catch (err) {
			abort(err);
		}
	}
	async function writeBlob(abort, body, client, request, socket, contentLength, header, expectsPayload) {
		assert(contentLength === body.size, "blob body must have content length");
		try {
			if (contentLength != null && contentLength !== body.size) throw new RequestContentLengthMismatchError();
			const buffer = Buffer.from(await body.arrayBuffer());
			socket.cork();
			socket.write(`${header}content-length: ${contentLength}\r\n\r\n`, "latin1");
			socket.write(buffer);
			socket.uncork();
			request.onBodySent(buffer);
			request.onRequestSent();
			if (!expectsPayload && request.reset !== false) socket[kReset] = true;
			client[kResume]();
		} catch (err) {
			abort(err);
		}
	}
	async function writeIterable(abort, body, client, request, socket, contentLength, header, expectsPayload) {
		assert(contentLength !== 0 || client[kRunning] === 0, "iterator body cannot be pipelined");
		let callback = null;
		function onDrain() {
			if (callback) {
				const cb = callback;
				callback = null;
				cb();
			}
		}
		const waitForDrain = () => new Promise((resolve, reject) => {
			assert(callback === null);
			if (socket[kError]) reject(socket[kError]);
			else callback = resolve;
		});
		socket.on("close", onDrain).on("drain", onDrain);
		const writer = new AsyncWriter({
			abort,
			socket,
			request,
			contentLength,
			client,
			expectsPayload,
			header
		});
		try {
			for await (const chunk of body) {
				if (socket[kError]) throw socket[kError];
				if (!writer.write(chunk)) await waitForDrain();
			}
			writer.end();
		} catch (err) {
			writer.destroy(err);
		} finally {
			socket.off("close", onDrain).off("drain", onDrain);
		}
	}
	var AsyncWriter = class {
		constructor({ abort, socket, request, contentLength, client, expectsPayload, header }) {
			this.socket = socket;
			this.request = request;
			this.contentLength = contentLength;
			this.client = client;
			this.bytesWritten = 0;
			this.expectsPayload = expectsPayload;
			this.header = header;
			this.abort = abort;
			socket[kWriting] = true;
		}
		write(chunk) {
			const { socket, request, contentLength, client, bytesWritten, expectsPayload, header } = this;
			if (socket[kError]) throw socket[kError];
			if (socket.destroyed) return false;
			const len = Buffer.byteLength(chunk);
			if (!len) return true;
			if (contentLength !== null && bytesWritten + len > contentLength) {
				if (client[kStrictContentLength]) throw new RequestContentLengthMismatchError();
				process.emitWarning(new RequestContentLengthMismatchError());
			}
			socket.cork();
			if (bytesWritten === 0) {
				if (!expectsPayload && request.reset !== false) socket[kReset] = true;
				if (contentLength === null) socket.write(`${header}transfer-encoding: chunked\r\n`, "latin1");
				else socket.write(`${header}content-length: ${contentLength}\r\n\r\n`, "latin1");
			}
			if (contentLength === null) socket.write(`\r\n${len.toString(16)}\r\n`, "latin1");
			this.bytesWritten += len;
			const ret = socket.write(chunk);
			socket.uncork();
			request.onBodySent(chunk);
			if (!ret) {
				if (socket[kParser].timeout && socket[kParser].timeoutType === TIMEOUT_HEADERS) {
					// istanbul ignore else: only for jest
					if (socket[kParser].timeout.refresh) socket[kParser].timeout.refresh();
				}
			}
			return ret;
		}
		end() {
			const { socket, contentLength, client, bytesWritten, expectsPayload, header, request } = this;
			request.onRequestSent();
			socket[kWriting] = false;
			if (socket[kError]) throw socket[kError];
			if (socket.destroyed) return;
			if (bytesWritten === 0) {
				if (expectsPayload) socket.write(`${header}content-length: 0\r\n\r\n`, "latin1");
				else socket.write(`${header}\r\n`, "latin1");
			} else if (contentLength === null) socket.write("\r\n0\r\n\r\n", "latin1");
			if (contentLength !== null && bytesWritten !== contentLength) {
				if (client[kStrictContentLength]) throw new RequestContentLengthMismatchError();
				else process.emitWarning(new RequestContentLengthMismatchError());
			}
			if (socket[kParser].timeout && socket[kParser].timeoutType === TIMEOUT_HEADERS) {
				// istanbul ignore else: only for jest
				if (socket[kParser].timeout.refresh) socket[kParser].timeout.refresh();
			}
			client[kResume]();
		}
		destroy(err) {
			const { socket, client, abort } = this;
			socket[kWriting] = false;
			if (err) {
				assert(client[kRunning] <= 1, "pipeline should only contain this request");
				abort(err);
			}
		}
	};
	module.exports = connectH1;
}));
// \0deferred-stand-in:undici-client-h2
var require__deferred_stand_in_undici_client_h2 = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	module.exports = function(...args) {
		return require("./undici-client-h2.js")(...args);
	};
}));
// node_modules/undici/lib/handler/redirect-handler.js
var require_redirect_handler = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const util = require_util$2.require_util();
	const { kBodyUsed } = require_util$2.require_symbols();
	const assert = require_util$2.require__lazy_assert();
	const { InvalidArgumentError } = require_util$2.require_errors();
	const EE = require("node:events");
	const redirectableStatusCodes = [
		300,
		301,
		302,
		303,
		307,
		308
	];
	const kBody = Symbol("body");
	var BodyAsyncIterable = class {
		constructor(body) {
			this[kBody] = body;
			this[kBodyUsed] = false;
		}
		async *[Symbol.asyncIterator]() {
			assert(!this[kBodyUsed], "disturbed");
			this[kBodyUsed] = true;
			yield* this[kBody];
		}
	};
	var RedirectHandler = class {
		constructor(dispatch, maxRedirections, opts, handler) {
			if (maxRedirections != null && (!Number.isInteger(maxRedirections) || maxRedirections < 0)) throw new InvalidArgumentError("maxRedirections must be a positive number");
			util.validateHandler(handler, opts.method, opts.upgrade);
			this.dispatch = dispatch;
			this.location = null;
			this.abort = null;
			this.opts = {
				...opts,
				maxRedirections: 0
			};
			this.maxRedirections = maxRedirections;
			this.handler = handler;
			this.history = [];
			this.redirectionLimitReached = false;
			if (util.isStream(this.opts.body)) {
				if (util.bodyLength(this.opts.body) === 0) this.opts.body.on("data", function() {
					assert(false);
				});
				if (typeof this.opts.body.readableDidRead !== "boolean") {
					this.opts.body[kBodyUsed] = false;
					EE.prototype.on.call(this.opts.body, "data", function() {
						this[kBodyUsed] = true;
					});
				}
			} else if (this.opts.body && typeof this.opts.body.pipeTo === "function") this.opts.body = new BodyAsyncIterable(this.opts.body);
			else if (this.opts.body && typeof this.opts.body !== "string" && !ArrayBuffer.isView(this.opts.body) && util.isIterable(this.opts.body)) this.opts.body = new BodyAsyncIterable(this.opts.body);
		}
		onConnect(abort) {
			this.abort = abort;
			this.handler.onConnect(abort, { history: this.history });
		}
		onUpgrade(statusCode, headers, socket) {
			this.handler.onUpgrade(statusCode, headers, socket);
		}
		onError(error) {
			this.handler.onError(error);
		}
		onHeaders(statusCode, headers, resume, statusText) {
			this.location = this.history.length >= this.maxRedirections || util.isDisturbed(this.opts.body) ? null : parseLocation(statusCode, headers);
			if (this.opts.throwOnMaxRedirect && this.history.length >= this.maxRedirections) {
				if (this.request) this.request.abort(/* @__PURE__ */ new Error("max redirects"));
				this.redirectionLimitReached = true;
				this.abort(/* @__PURE__ */ new Error("max redirects"));
				return;
			}
			if (this.opts.origin) this.history.push(new URL(this.opts.path, this.opts.origin));
			if (!this.location) return this.handler.onHeaders(statusCode, headers, resume, statusText);
			const { origin, pathname, search } = util.parseURL(new URL(this.location, this.opts.origin && new URL(this.opts.path, this.opts.origin)));
			const path = search ? `${pathname}${search}` : pathname;
			this.opts.headers = cleanRequestHeaders(this.opts.headers, statusCode === 303, this.opts.origin !== origin);
			this.opts.path = path;
			this.opts.origin = origin;
			this.opts.maxRedirections = 0;
			this.opts.query = null;
			if (statusCode === 303 && this.opts.method !== "HEAD") {
				this.opts.method = "GET";
				this.opts.body = null;
			}
		}
		onData(chunk) {
			if (this.location) {} else return this.handler.onData(chunk);
		}
		onComplete(trailers) {
			if (this.location) {
				this.location = null;
				this.abort = null;
				this.dispatch(this.opts, this);
			} else this.handler.onComplete(trailers);
		}
		onBodySent(chunk) {
			if (this.handler.onBodySent) this.handler.onBodySent(chunk);
		}
	};
	function parseLocation(statusCode, headers) {
		if (redirectableStatusCodes.indexOf(statusCode) === -1) return null;
		for (let i = 0; i < headers.length; i += 2) if (headers[i].length === 8 && util.headerNameToString(headers[i]) === "location") return headers[i + 1];
	}
	function shouldRemoveHeader(header, removeContent, unknownOrigin) {
		if (header.length === 4) return util.headerNameToString(header) === "host";
		if (removeContent && util.headerNameToString(header).startsWith("content-")) return true;
		if (unknownOrigin && (header.length === 13 || header.length === 6 || header.length === 19)) {
			const name = util.headerNameToString(header);
			return name === "authorization" || name === "cookie" || name === "proxy-authorization";
		}
		return false;
	}
	function cleanRequestHeaders(headers, removeContent, unknownOrigin) {
		const ret = [];
		if (Array.isArray(headers)) {
			for (let i = 0; i < headers.length; i += 2) if (!shouldRemoveHeader(headers[i], removeContent, unknownOrigin)) ret.push(headers[i], headers[i + 1]);
		} else if (headers && typeof headers === "object") {
			for (const key of Object.keys(headers)) if (!shouldRemoveHeader(key, removeContent, unknownOrigin)) ret.push(key, headers[key]);
		} else assert(headers == null, "headers must be an object or an array");
		return ret;
	}
	module.exports = RedirectHandler;
}));
// node_modules/undici/lib/interceptor/redirect-interceptor.js
var require_redirect_interceptor = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const RedirectHandler = require_redirect_handler();
	function createRedirectInterceptor({ maxRedirections: defaultMaxRedirections }) {
		return (dispatch) => {
			return function Intercept(opts, handler) {
				const { maxRedirections = defaultMaxRedirections } = opts;
				if (!maxRedirections) return dispatch(opts, handler);
				const redirectHandler = new RedirectHandler(dispatch, maxRedirections, opts, handler);
				opts = {
					...opts,
					maxRedirections: 0
				};
				return dispatch(opts, redirectHandler);
			};
		};
	}
	module.exports = createRedirectInterceptor;
}));
// node_modules/undici/lib/dispatcher/client.js
var require_client = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const assert = require_util$2.require__lazy_assert();
	const net = require("node:net");
	const http = require("node:http");
	const util = require_util$2.require_util();
	const { channels } = require_diagnostics();
	const Request = require_request();
	const DispatcherBase = require_dispatcher_base();
	const { InvalidArgumentError, InformationalError, ClientDestroyedError } = require_util$2.require_errors();
	const buildConnector = require_connect();
	const { kUrl, kServerName, kClient, kBusy, kConnect, kResuming, kRunning, kPending, kSize, kQueue, kConnected, kConnecting, kNeedDrain, kKeepAliveDefaultTimeout, kHostHeader, kPendingIdx, kRunningIdx, kError, kPipelining, kKeepAliveTimeoutValue, kMaxHeadersSize, kKeepAliveMaxTimeout, kKeepAliveTimeoutThreshold, kHeadersTimeout, kBodyTimeout, kStrictContentLength, kConnector, kMaxRedirections, kMaxRequests, kCounter, kClose, kDestroy, kDispatch, kInterceptors, kLocalAddress, kMaxResponseSize, kOnError, kHTTPContext, kMaxConcurrentStreams, kResume } = require_util$2.require_symbols();
	const connectH1 = require_client_h1();
	const connectH2 = require__deferred_stand_in_undici_client_h2();
	let deprecatedInterceptorWarned = false;
	const kClosedResolve = Symbol("kClosedResolve");
	const noop = () => {};
	function getPipelining(client) {
		return client[kPipelining] ?? client[kHTTPContext]?.defaultPipelining ?? 1;
	}
	/**
	* @type {import('../../types/client.js').default}
	*/
	var Client = class extends DispatcherBase {
		/**
		*
		* @param {string|URL} url
		* @param {import('../../types/client.js').Client.Options} options
		*/
		constructor(url, { interceptors, maxHeaderSize, headersTimeout, socketTimeout, requestTimeout, connectTimeout, bodyTimeout, idleTimeout, keepAlive, keepAliveTimeout, maxKeepAliveTimeout, keepAliveMaxTimeout, keepAliveTimeoutThreshold, socketPath, pipelining, tls, strictContentLength, maxCachedSessions, maxRedirections, connect, maxRequestsPerClient, localAddress, maxResponseSize, autoSelectFamily, autoSelectFamilyAttemptTimeout, maxConcurrentStreams, allowH2, webSocket, eventSource } = {}) {
			super({
				webSocket,
				eventSource
			});
			if (keepAlive !== void 0) throw new InvalidArgumentError("unsupported keepAlive, use pipelining=0 instead");
			if (socketTimeout !== void 0) throw new InvalidArgumentError("unsupported socketTimeout, use headersTimeout & bodyTimeout instead");
			if (requestTimeout !== void 0) throw new InvalidArgumentError("unsupported requestTimeout, use headersTimeout & bodyTimeout instead");
			if (idleTimeout !== void 0) throw new InvalidArgumentError("unsupported idleTimeout, use keepAliveTimeout instead");
			if (maxKeepAliveTimeout !== void 0) throw new InvalidArgumentError("unsupported maxKeepAliveTimeout, use keepAliveMaxTimeout instead");
			if (maxHeaderSize != null && !Number.isFinite(maxHeaderSize)) throw new InvalidArgumentError("invalid maxHeaderSize");
			if (socketPath != null && typeof socketPath !== "string") throw new InvalidArgumentError("invalid socketPath");
			if (connectTimeout != null && (!Number.isFinite(connectTimeout) || connectTimeout < 0)) throw new InvalidArgumentError("invalid connectTimeout");
			if (keepAliveTimeout != null && (!Number.isFinite(keepAliveTimeout) || keepAliveTimeout <= 0)) throw new InvalidArgumentError("invalid keepAliveTimeout");
			if (keepAliveMaxTimeout != null && (!Number.isFinite(keepAliveMaxTimeout) || keepAliveMaxTimeout <= 0)) throw new InvalidArgumentError("invalid keepAliveMaxTimeout");
			if (keepAliveTimeoutThreshold != null && !Number.isFinite(keepAliveTimeoutThreshold)) throw new InvalidArgumentError("invalid keepAliveTimeoutThreshold");
			if (headersTimeout != null && (!Number.isInteger(headersTimeout) || headersTimeout < 0)) throw new InvalidArgumentError("headersTimeout must be a positive integer or zero");
			if (bodyTimeout != null && (!Number.isInteger(bodyTimeout) || bodyTimeout < 0)) throw new InvalidArgumentError("bodyTimeout must be a positive integer or zero");
			if (connect != null && typeof connect !== "function" && typeof connect !== "object") throw new InvalidArgumentError("connect must be a function or an object");
			if (maxRedirections != null && (!Number.isInteger(maxRedirections) || maxRedirections < 0)) throw new InvalidArgumentError("maxRedirections must be a positive number");
			if (maxRequestsPerClient != null && (!Number.isInteger(maxRequestsPerClient) || maxRequestsPerClient < 0)) throw new InvalidArgumentError("maxRequestsPerClient must be a positive number");
			if (localAddress != null && (typeof localAddress !== "string" || net.isIP(localAddress) === 0)) throw new InvalidArgumentError("localAddress must be valid string IP address");
			if (maxResponseSize != null && (!Number.isInteger(maxResponseSize) || maxResponseSize < -1)) throw new InvalidArgumentError("maxResponseSize must be a positive number");
			if (autoSelectFamilyAttemptTimeout != null && (!Number.isInteger(autoSelectFamilyAttemptTimeout) || autoSelectFamilyAttemptTimeout < -1)) throw new InvalidArgumentError("autoSelectFamilyAttemptTimeout must be a positive number");
			if (allowH2 != null && typeof allowH2 !== "boolean") throw new InvalidArgumentError("allowH2 must be a valid boolean value");
			if (maxConcurrentStreams != null && (typeof maxConcurrentStreams !== "number" || maxConcurrentStreams < 1)) throw new InvalidArgumentError("maxConcurrentStreams must be a positive integer, greater than 0");
			if (typeof connect !== "function") connect = buildConnector({
				...tls,
				maxCachedSessions,
				allowH2,
				socketPath,
				timeout: connectTimeout,
				...autoSelectFamily ? {
					autoSelectFamily,
					autoSelectFamilyAttemptTimeout
				} : void 0,
				...connect
			});
			if (interceptors?.Client && Array.isArray(interceptors.Client)) {
				this[kInterceptors] = interceptors.Client;
				if (!deprecatedInterceptorWarned) {
					deprecatedInterceptorWarned = true;
					process.emitWarning("Client.Options#interceptor is deprecated. Use Dispatcher#compose instead.", { code: "UNDICI-CLIENT-INTERCEPTOR-DEPRECATED" });
				}
			} else this[kInterceptors] = [createRedirectInterceptor({ maxRedirections })];
			this[kUrl] = util.parseOrigin(url);
			this[kConnector] = connect;
			this[kPipelining] = pipelining != null ? pipelining : 1;
			this[kMaxHeadersSize] = maxHeaderSize || http.maxHeaderSize;
			this[kKeepAliveDefaultTimeout] = keepAliveTimeout == null ? 4e3 : keepAliveTimeout;
			this[kKeepAliveMaxTimeout] = keepAliveMaxTimeout == null ? 6e5 : keepAliveMaxTimeout;
			this[kKeepAliveTimeoutThreshold] = keepAliveTimeoutThreshold == null ? 2e3 : keepAliveTimeoutThreshold;
			this[kKeepAliveTimeoutValue] = this[kKeepAliveDefaultTimeout];
			this[kServerName] = null;
			this[kLocalAddress] = localAddress != null ? localAddress : null;
			this[kResuming] = 0;
			this[kNeedDrain] = 0;
			this[kHostHeader] = `host: ${this[kUrl].hostname}${this[kUrl].port ? `:${this[kUrl].port}` : ""}\r\n`;
			this[kBodyTimeout] = bodyTimeout != null ? bodyTimeout : 3e5;
			this[kHeadersTimeout] = headersTimeout != null ? headersTimeout : 3e5;
			this[kStrictContentLength] = strictContentLength == null ? true : strictContentLength;
			this[kMaxRedirections] = maxRedirections;
			this[kMaxRequests] = maxRequestsPerClient;
			this[kClosedResolve] = null;
			this[kMaxResponseSize] = maxResponseSize > -1 ? maxResponseSize : -1;
			this[kMaxConcurrentStreams] = maxConcurrentStreams != null ? maxConcurrentStreams : 100;
			this[kHTTPContext] = null;
			this[kQueue] = [];
			this[kRunningIdx] = 0;
			this[kPendingIdx] = 0;
			this[kResume] = (sync) => resume(this, sync);
			this[kOnError] = (err) => onError(this, err);
		}
		get pipelining() {
			return this[kPipelining];
		}
		set pipelining(value) {
			this[kPipelining] = value;
			this[kResume](true);
		}
		get [kPending]() {
			return this[kQueue].length - this[kPendingIdx];
		}
		get [kRunning]() {
			return this[kPendingIdx] - this[kRunningIdx];
		}
		get [kSize]() {
			return this[kQueue].length - this[kRunningIdx];
		}
		get [kConnected]() {
			return !!this[kHTTPContext] && !this[kConnecting] && !this[kHTTPContext].destroyed;
		}
		get [kBusy]() {
			return Boolean(this[kHTTPContext]?.busy(null) || this[kSize] >= (getPipelining(this) || 1) || this[kPending] > 0);
		}
		/* istanbul ignore: only used for test */
		[kConnect](cb) {
			connect(this);
			this.once("connect", cb);
		}
		[kDispatch](opts, handler) {
			const origin = opts.origin || this[kUrl].origin;
			const request = new Request(origin, opts, handler);
			this[kQueue].push(request);
			if (this[kResuming]) {} else if (util.bodyLength(request.body) == null && util.isIterable(request.body)) {
				this[kResuming] = 1;
				queueMicrotask(() => resume(this));
			} else this[kResume](true);
			if (this[kResuming] && this[kNeedDrain] !== 2 && this[kBusy]) this[kNeedDrain] = 2;
			return this[kNeedDrain] < 2;
		}
		async [kClose]() {
			return new Promise((resolve) => {
				if (this[kSize]) this[kClosedResolve] = resolve;
				else resolve(null);
			});
		}
		async [kDestroy](err) {
			return new Promise((resolve) => {
				const requests = this[kQueue].splice(this[kPendingIdx]);
				for (let i = 0; i < requests.length; i++) {
					const request = requests[i];
					util.errorRequest(this, request, err);
				}
				const callback = () => {
					if (this[kClosedResolve]) {
						this[kClosedResolve]();
						this[kClosedResolve] = null;
					}
					resolve(null);
				};
				if (this[kHTTPContext]) {
					this[kHTTPContext].destroy(err, callback);
					this[kHTTPContext] = null;
				} else queueMicrotask(callback);
				this[kResume]();
			});
		}
	};
	const createRedirectInterceptor = require_redirect_interceptor();
	function onError(client, err) {
		if (client[kRunning] === 0 && err.code !== "UND_ERR_INFO" && err.code !== "UND_ERR_SOCKET") {
			assert(client[kPendingIdx] === client[kRunningIdx]);
			const requests = client[kQueue].splice(client[kRunningIdx]);
			for (let i = 0; i < requests.length; i++) {
				const request = requests[i];
				util.errorRequest(client, request, err);
			}
			assert(client[kSize] === 0);
		}
	}
	/**
	* @param {Client} client
	* @returns
	*/
	async function connect(client) {
		assert(!client[kConnecting]);
		assert(!client[kHTTPContext]);
		let { host, hostname, protocol, port } = client[kUrl];
		if (hostname[0] === "[") {
			const idx = hostname.indexOf("]");
			assert(idx !== -1);
			const ip = hostname.substring(1, idx);
			assert(net.isIP(ip));
			hostname = ip;
		}
		client[kConnecting] = true;
		if (channels.beforeConnect.hasSubscribers) channels.beforeConnect.publish({
			connectParams: {
				host,
				hostname,
				protocol,
				port,
				version: client[kHTTPContext]?.version,
				servername: client[kServerName],
				localAddress: client[kLocalAddress]
			},
			connector: client[kConnector]
		});
		try {
			const socket = await new Promise((resolve, reject) => {
				client[kConnector]({
					host,
					hostname,
					protocol,
					port,
					servername: client[kServerName],
					localAddress: client[kLocalAddress]
				}, (err, socket) => {
					if (err) reject(err);
					else resolve(socket);
				});
			});
			if (client.destroyed) {
				util.destroy(socket.on("error", noop), new ClientDestroyedError());
				return;
			}
			assert(socket);
			try {
				client[kHTTPContext] = socket.alpnProtocol === "h2" ? await connectH2(client, socket) : await connectH1(client, socket);
			} catch (err) {
				socket.destroy().on("error", noop);
				throw err;
			}
			client[kConnecting] = false;
			socket[kCounter] = 0;
			socket[kMaxRequests] = client[kMaxRequests];
			socket[kClient] = client;
			socket[kError] = null;
			if (channels.connected.hasSubscribers) channels.connected.publish({
				connectParams: {
					host,
					hostname,
					protocol,
					port,
					version: client[kHTTPContext]?.version,
					servername: client[kServerName],
					localAddress: client[kLocalAddress]
				},
				connector: client[kConnector],
				socket
			});
			client.emit("connect", client[kUrl], [client]);
		} catch (err) {
			if (client.destroyed) return;
			client[kConnecting] = false;
			if (channels.connectError.hasSubscribers) channels.connectError.publish({
				connectParams: {
					host,
					hostname,
					protocol,
					port,
					version: client[kHTTPContext]?.version,
					servername: client[kServerName],
					localAddress: client[kLocalAddress]
				},
				connector: client[kConnector],
				error: err
			});
			if (err.code === "ERR_TLS_CERT_ALTNAME_INVALID") {
				assert(client[kRunning] === 0);
				while (client[kPending] > 0 && client[kQueue][client[kPendingIdx]].servername === client[kServerName]) {
					const request = client[kQueue][client[kPendingIdx]++];
					util.errorRequest(client, request, err);
				}
			} else onError(client, err);
			client.emit("connectionError", client[kUrl], [client], err);
		}
		client[kResume]();
	}
	function emitDrain(client) {
		client[kNeedDrain] = 0;
		client.emit("drain", client[kUrl], [client]);
	}
	function resume(client, sync) {
		if (client[kResuming] === 2) return;
		client[kResuming] = 2;
		_resume(client, sync);
		client[kResuming] = 0;
		if (client[kRunningIdx] > 256) {
			client[kQueue].splice(0, client[kRunningIdx]);
			client[kPendingIdx] -= client[kRunningIdx];
			client[kRunningIdx] = 0;
		}
	}
	function _resume(client, sync) {
		while (true) {
			if (client.destroyed) {
				assert(client[kPending] === 0);
				return;
			}
			if (client[kClosedResolve] && !client[kSize]) {
				client[kClosedResolve]();
				client[kClosedResolve] = null;
				return;
			}
			if (client[kHTTPContext]) client[kHTTPContext].resume();
			if (client[kBusy]) client[kNeedDrain] = 2;
			else if (client[kNeedDrain] === 2) {
				if (sync) {
					client[kNeedDrain] = 1;
					queueMicrotask(() => emitDrain(client));
				} else emitDrain(client);
				continue;
			}
			if (client[kPending] === 0) return;
			if (client[kRunning] >= (getPipelining(client) || 1)) return;
			const request = client[kQueue][client[kPendingIdx]];
			if (client[kUrl].protocol === "https:" && client[kServerName] !== request.servername) {
				if (client[kRunning] > 0) return;
				client[kServerName] = request.servername;
				client[kHTTPContext]?.destroy(new InformationalError("servername changed"), () => {
					client[kHTTPContext] = null;
					resume(client);
				});
			}
			if (client[kConnecting]) return;
			if (!client[kHTTPContext]) {
				connect(client);
				return;
			}
			if (client[kHTTPContext].destroyed) return;
			if (client[kHTTPContext].busy(request)) return;
			if (!request.aborted && client[kHTTPContext].write(request)) client[kPendingIdx]++;
			else client[kQueue].splice(client[kPendingIdx], 1);
		}
	}
	module.exports = Client;
}));
// node_modules/undici/lib/dispatcher/pool.js
var require_pool = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const { PoolBase, kClients, kNeedDrain, kAddClient, kGetDispatcher } = require_pool_base();
	const Client = require_client();
	const { InvalidArgumentError } = require_util$2.require_errors();
	const util = require_util$2.require_util();
	const { kUrl, kInterceptors } = require_util$2.require_symbols();
	const buildConnector = require_connect();
	const kOptions = Symbol("options");
	const kConnections = Symbol("connections");
	const kFactory = Symbol("factory");
	function defaultFactory(origin, opts) {
		return new Client(origin, opts);
	}
	var Pool = class extends PoolBase {
		constructor(origin, { connections, factory = defaultFactory, connect, connectTimeout, tls, maxCachedSessions, socketPath, autoSelectFamily, autoSelectFamilyAttemptTimeout, allowH2, ...options } = {}) {
			if (connections != null && (!Number.isFinite(connections) || connections < 0)) throw new InvalidArgumentError("invalid connections");
			if (typeof factory !== "function") throw new InvalidArgumentError("factory must be a function.");
			if (connect != null && typeof connect !== "function" && typeof connect !== "object") throw new InvalidArgumentError("connect must be a function or an object");
			if (typeof connect !== "function") connect = buildConnector({
				...tls,
				maxCachedSessions,
				allowH2,
				socketPath,
				timeout: connectTimeout,
				...autoSelectFamily ? {
					autoSelectFamily,
					autoSelectFamilyAttemptTimeout
				} : void 0,
				...connect
			});
			super(options);
			this[kInterceptors] = options.interceptors?.Pool && Array.isArray(options.interceptors.Pool) ? options.interceptors.Pool : [];
			this[kConnections] = connections || null;
			this[kUrl] = util.parseOrigin(origin);
			this[kOptions] = {
				...util.deepClone(options),
				connect,
				allowH2
			};
			this[kOptions].interceptors = options.interceptors ? { ...options.interceptors } : void 0;
			this[kFactory] = factory;
			this.on("connectionError", (origin, targets, error) => {
				for (const target of targets) {
					const idx = this[kClients].indexOf(target);
					if (idx !== -1) this[kClients].splice(idx, 1);
				}
			});
		}
		[kGetDispatcher]() {
			for (const client of this[kClients]) if (!client[kNeedDrain]) return client;
			if (!this[kConnections] || this[kClients].length < this[kConnections]) {
				const dispatcher = this[kFactory](this[kUrl], this[kOptions]);
				this[kAddClient](dispatcher);
				return dispatcher;
			}
		}
	};
	module.exports = Pool;
}));
// node_modules/undici/lib/dispatcher/agent.js
var require_agent = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const { InvalidArgumentError } = require_util$2.require_errors();
	const { kClients, kRunning, kClose, kDestroy, kDispatch, kInterceptors } = require_util$2.require_symbols();
	const DispatcherBase = require_dispatcher_base();
	const Pool = require_pool();
	const Client = require_client();
	const util = require_util$2.require_util();
	const createRedirectInterceptor = require_redirect_interceptor();
	const kOnConnect = Symbol("onConnect");
	const kOnDisconnect = Symbol("onDisconnect");
	const kOnConnectionError = Symbol("onConnectionError");
	const kMaxRedirections = Symbol("maxRedirections");
	const kOnDrain = Symbol("onDrain");
	const kFactory = Symbol("factory");
	const kOptions = Symbol("options");
	function defaultFactory(origin, opts) {
		return opts && opts.connections === 1 ? new Client(origin, opts) : new Pool(origin, opts);
	}
	var Agent = class extends DispatcherBase {
		constructor({ factory = defaultFactory, maxRedirections = 0, connect, tls, ...options } = {}) {
			if (typeof factory !== "function") throw new InvalidArgumentError("factory must be a function.");
			if (connect != null && typeof connect !== "function" && typeof connect !== "object") throw new InvalidArgumentError("connect must be a function or an object");
			if (!Number.isInteger(maxRedirections) || maxRedirections < 0) throw new InvalidArgumentError("maxRedirections must be a positive number");
			super(options);
			if (connect && typeof connect !== "function") connect = { ...connect };
			if (tls && typeof tls !== "function") tls = { ...tls };
			this[kInterceptors] = options.interceptors?.Agent && Array.isArray(options.interceptors.Agent) ? options.interceptors.Agent : [createRedirectInterceptor({ maxRedirections })];
			this[kOptions] = {
				...util.deepClone(options),
				connect,
				tls
			};
			this[kOptions].interceptors = options.interceptors ? { ...options.interceptors } : void 0;
			this[kMaxRedirections] = maxRedirections;
			this[kFactory] = factory;
			this[kClients] = /* @__PURE__ */ new Map();
			this[kOnDrain] = (origin, targets) => {
				this.emit("drain", origin, [this, ...targets]);
			};
			this[kOnConnect] = (origin, targets) => {
				this.emit("connect", origin, [this, ...targets]);
			};
			this[kOnDisconnect] = (origin, targets, err) => {
				this.emit("disconnect", origin, [this, ...targets], err);
			};
			this[kOnConnectionError] = (origin, targets, err) => {
				this.emit("connectionError", origin, [this, ...targets], err);
			};
		}
		get [kRunning]() {
			let ret = 0;
			for (const client of this[kClients].values()) ret += client[kRunning];
			return ret;
		}
		[kDispatch](opts, handler) {
			let key;
			if (opts.origin && (typeof opts.origin === "string" || opts.origin instanceof URL)) key = String(opts.origin);
			else throw new InvalidArgumentError("opts.origin must be a non-empty string or URL.");
			let dispatcher = this[kClients].get(key);
			if (!dispatcher) {
				dispatcher = this[kFactory](opts.origin, this[kOptions]).on("drain", this[kOnDrain]).on("connect", this[kOnConnect]).on("disconnect", this[kOnDisconnect]).on("connectionError", this[kOnConnectionError]);
				this[kClients].set(key, dispatcher);
			}
			return dispatcher.dispatch(opts, handler);
		}
		async [kClose]() {
			const closePromises = [];
			for (const client of this[kClients].values()) closePromises.push(client.close());
			this[kClients].clear();
			await Promise.all(closePromises);
		}
		async [kDestroy](err) {
			const destroyPromises = [];
			for (const client of this[kClients].values()) destroyPromises.push(client.destroy(err));
			this[kClients].clear();
			await Promise.all(destroyPromises);
		}
	};
	module.exports = Agent;
}));
// node_modules/undici/lib/api/readable.js
var require_readable = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const assert = require_util$2.require__lazy_assert();
	const { Readable } = require("node:stream");
	const { RequestAbortedError, NotSupportedError, InvalidArgumentError, AbortError } = require_util$2.require_errors();
	const util = require_util$2.require_util();
	const { ReadableStreamFrom } = require_util$2.require_util();
	const kConsume = Symbol("kConsume");
	const kReading = Symbol("kReading");
	const kBody = Symbol("kBody");
	const kAbort = Symbol("kAbort");
	const kContentType = Symbol("kContentType");
	const kContentLength = Symbol("kContentLength");
	const noop = () => {};
	var BodyReadable = class extends Readable {
		constructor({ resume, abort, contentType = "", contentLength, highWaterMark = 65536 }) {
			super({
				autoDestroy: true,
				read: resume,
				highWaterMark
			});
			this._readableState.dataEmitted = false;
			this[kAbort] = abort;
			this[kConsume] = null;
			this[kBody] = null;
			this[kContentType] = contentType;
			this[kContentLength] = contentLength;
			this[kReading] = false;
		}
		destroy(err) {
			if (!err && !this._readableState.endEmitted) err = new RequestAbortedError();
			if (err) this[kAbort]();
			return super.destroy(err);
		}
		_destroy(err, callback) {
			if (!this[kReading]) setImmediate(() => {
				callback(err);
			});
			else callback(err);
		}
		on(ev, ...args) {
			if (ev === "data" || ev === "readable") this[kReading] = true;
			return super.on(ev, ...args);
		}
		addListener(ev, ...args) {
			return this.on(ev, ...args);
		}
		off(ev, ...args) {
			const ret = super.off(ev, ...args);
			if (ev === "data" || ev === "readable") this[kReading] = this.listenerCount("data") > 0 || this.listenerCount("readable") > 0;
			return ret;
		}
		removeListener(ev, ...args) {
			return this.off(ev, ...args);
		}
		push(chunk) {
			if (this[kConsume] && chunk !== null) {
				consumePush(this[kConsume], chunk);
				return this[kReading] ? super.push(chunk) : true;
			}
			return super.push(chunk);
		}
		async text() {
			return consume(this, "text");
		}
		async json() {
			return consume(this, "json");
		}
		async blob() {
			return consume(this, "blob");
		}
		async bytes() {
			return consume(this, "bytes");
		}
		async arrayBuffer() {
			return consume(this, "arrayBuffer");
		}
		async formData() {
			throw new NotSupportedError();
		}
		get bodyUsed() {
			return util.isDisturbed(this);
		}
		get body() {
			if (!this[kBody]) {
				this[kBody] = ReadableStreamFrom(this);
				if (this[kConsume]) {
					this[kBody].getReader();
					assert(this[kBody].locked);
				}
			}
			return this[kBody];
		}
		async dump(opts) {
			let limit = Number.isFinite(opts?.limit) ? opts.limit : 131072;
			const signal = opts?.signal;
			if (signal != null && (typeof signal !== "object" || !("aborted" in signal))) throw new InvalidArgumentError("signal must be an AbortSignal");
			signal?.throwIfAborted();
			if (this._readableState.closeEmitted) return null;
			return await new Promise((resolve, reject) => {
				if (this[kContentLength] > limit) this.destroy(new AbortError());
				const onAbort = () => {
					this.destroy(signal.reason ?? new AbortError());
				};
				signal?.addEventListener("abort", onAbort);
				this.on("close", function() {
					signal?.removeEventListener("abort", onAbort);
					if (signal?.aborted) reject(signal.reason ?? new AbortError());
					else resolve(null);
				}).on("error", noop).on("data", function(chunk) {
					limit -= chunk.length;
					if (limit <= 0) this.destroy();
				}).resume();
			});
		}
	};
	function isLocked(self) {
		return self[kBody] && self[kBody].locked === true || self[kConsume];
	}
	function isUnusable(self) {
		return util.isDisturbed(self) || isLocked(self);
	}
	async function consume(stream, type) {
		assert(!stream[kConsume]);
		return new Promise((resolve, reject) => {
			if (isUnusable(stream)) {
				const rState = stream._readableState;
				if (rState.destroyed && rState.closeEmitted === false) stream.on("error", (err) => {
					reject(err);
				}).on("close", () => {
					reject(/* @__PURE__ */ new TypeError("unusable"));
				});
				else reject(rState.errored ?? /* @__PURE__ */ new TypeError("unusable"));
			} else queueMicrotask(() => {
				stream[kConsume] = {
					type,
					stream,
					resolve,
					reject,
					length: 0,
					body: []
				};
				stream.on("error", function(err) {
					consumeFinish(this[kConsume], err);
				}).on("close", function() {
					if (this[kConsume].body !== null) consumeFinish(this[kConsume], new RequestAbortedError());
				});
				consumeStart(stream[kConsume]);
			});
		});
	}
	function consumeStart(consume) {
		if (consume.body === null) return;
		const { _readableState: state } = consume.stream;
		if (state.bufferIndex) {
			const start = state.bufferIndex;
			const end = state.buffer.length;
			for (let n = start; n < end; n++) consumePush(consume, state.buffer[n]);
		} else for (const chunk of state.buffer) consumePush(consume, chunk);
		if (state.endEmitted) consumeEnd(this[kConsume]);
		else consume.stream.on("end", function() {
			consumeEnd(this[kConsume]);
		});
		consume.stream.resume();
		while (consume.stream.read() != null);
	}
	/**
	* @param {Buffer[]} chunks
	* @param {number} length
	*/
	function chunksDecode(chunks, length) {
		if (chunks.length === 0 || length === 0) return "";
		const buffer = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length);
		const bufferLength = buffer.length;
		const start = bufferLength > 2 && buffer[0] === 239 && buffer[1] === 187 && buffer[2] === 191 ? 3 : 0;
		return buffer.utf8Slice(start, bufferLength);
	}
	/**
	* @param {Buffer[]} chunks
	* @param {number} length
	* @returns {Uint8Array}
	*/
	function chunksConcat(chunks, length) {
		if (chunks.length === 0 || length === 0) return /* @__PURE__ */ new Uint8Array(0);
		if (chunks.length === 1) return new Uint8Array(chunks[0]);
		const buffer = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer);
		let offset = 0;
		for (let i = 0; i < chunks.length; ++i) {
			const chunk = chunks[i];
			buffer.set(chunk, offset);
			offset += chunk.length;
		}
		return buffer;
	}
	function consumeEnd(consume) {
		const { type, body, resolve, stream, length } = consume;
		try {
			if (type === "text") resolve(chunksDecode(body, length));
			else if (type === "json") resolve(JSON.parse(chunksDecode(body, length)));
			else if (type === "arrayBuffer") resolve(chunksConcat(body, length).buffer);
			else if (type === "blob") resolve(new Blob(body, { type: stream[kContentType] }));
			else if (type === "bytes") resolve(chunksConcat(body, length));
			consumeFinish(consume);
		} catch (err) {
			stream.destroy(err);
		}
	}
	function consumePush(consume, chunk) {
		consume.length += chunk.length;
		consume.body.push(chunk);
	}
	function consumeFinish(consume, err) {
		if (consume.body === null) return;
		if (err) consume.reject(err);
		else consume.resolve();
		consume.type = null;
		consume.stream = null;
		consume.resolve = null;
		consume.reject = null;
		consume.length = 0;
		consume.body = null;
	}
	module.exports = {
		Readable: BodyReadable,
		chunksDecode
	};
}));
// node_modules/undici/lib/api/util.js
var require_util = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const assert = require_util$2.require__lazy_assert();
	const { ResponseStatusCodeError } = require_util$2.require_errors();
	const { chunksDecode } = require_readable();
	const CHUNK_LIMIT = 131072;
	async function getResolveErrorBodyCallback({ callback, body, contentType, statusCode, statusMessage, headers }) {
		assert(body);
		let chunks = [];
		let length = 0;
		try {
			for await (const chunk of body) {
				chunks.push(chunk);
				length += chunk.length;
				if (length > CHUNK_LIMIT) {
					chunks = [];
					length = 0;
					break;
				}
			}
		} catch {
			chunks = [];
			length = 0;
		}
		const message = `Response status code ${statusCode}${statusMessage ? `: ${statusMessage}` : ""}`;
		if (statusCode === 204 || !contentType || !length) {
			queueMicrotask(() => callback(new ResponseStatusCodeError(message, statusCode, headers)));
			return;
		}
		const stackTraceLimit = Error.stackTraceLimit;
		Error.stackTraceLimit = 0;
		let payload;
		try {
			if (isContentTypeApplicationJson(contentType)) payload = JSON.parse(chunksDecode(chunks, length));
			else if (isContentTypeText(contentType)) payload = chunksDecode(chunks, length);
		} catch {} finally {
			Error.stackTraceLimit = stackTraceLimit;
		}
		queueMicrotask(() => callback(new ResponseStatusCodeError(message, statusCode, headers, payload)));
	}
	const isContentTypeApplicationJson = (contentType) => {
		return contentType.length > 15 && contentType[11] === "/" && contentType[0] === "a" && contentType[1] === "p" && contentType[2] === "p" && contentType[3] === "l" && contentType[4] === "i" && contentType[5] === "c" && contentType[6] === "a" && contentType[7] === "t" && contentType[8] === "i" && contentType[9] === "o" && contentType[10] === "n" && contentType[12] === "j" && contentType[13] === "s" && contentType[14] === "o" && contentType[15] === "n";
	};
	const isContentTypeText = (contentType) => {
		return contentType.length > 4 && contentType[4] === "/" && contentType[0] === "t" && contentType[1] === "e" && contentType[2] === "x" && contentType[3] === "t";
	};
	module.exports = {
		getResolveErrorBodyCallback,
		isContentTypeApplicationJson,
		isContentTypeText
	};
}));
// node_modules/undici/lib/api/api-request.js
var require_api_request = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports, module) => {
	const assert = require_util$2.require__lazy_assert();
	const { Readable } = require_readable();
	const { InvalidArgumentError, RequestAbortedError } = require_util$2.require_errors();
	const util = require_util$2.require_util();
	const { getResolveErrorBodyCallback } = require_util();
	const { AsyncResource } = require("node:async_hooks");
	var RequestHandler = class extends AsyncResource {
		constructor(opts, callback) {
			if (!opts || typeof opts !== "object") throw new InvalidArgumentError("invalid opts");
			const { signal, method, opaque, body, onInfo, responseHeaders, throwOnError, highWaterMark } = opts;
			try {
				if (typeof callback !== "function") throw new InvalidArgumentError("invalid callback");
				if (highWaterMark && (typeof highWaterMark !== "number" || highWaterMark < 0)) throw new InvalidArgumentError("invalid highWaterMark");
				if (signal && typeof signal.on !== "function" && typeof signal.addEventListener !== "function") throw new InvalidArgumentError("signal must be an EventEmitter or EventTarget");
				if (method === "CONNECT") throw new InvalidArgumentError("invalid method");
				if (onInfo && typeof onInfo !== "function") throw new InvalidArgumentError("invalid onInfo callback");
				super("UNDICI_REQUEST");
			} catch (err) {
				if (util.isStream(body)) util.destroy(body.on("error", util.nop), err);
				throw err;
			}
			this.method = method;
			this.responseHeaders = responseHeaders || null;
			this.opaque = opaque || null;
			this.callback = callback;
			this.res = null;
			this.abort = null;
			this.body = body;
			this.trailers = {};
			this.context = null;
			this.onInfo = onInfo || null;
			this.throwOnError = throwOnError;
			this.highWaterMark = highWaterMark;
			this.signal = signal;
			this.reason = null;
			this.removeAbortListener = null;
			if (util.isStream(body)) body.on("error", (err) => {
				this.onError(err);
			});
			if (this.signal) {
				if (this.signal.aborted) this.reason = this.signal.reason ?? new RequestAbortedError();
				else this.removeAbortListener = util.addAbortListener(this.signal, () => {
					this.reason = this.signal.reason ?? new RequestAbortedError();
					if (this.res) util.destroy(this.res.on("error", util.nop), this.reason);
					else if (this.abort) this.abort(this.reason);
					if (this.removeAbortListener) {
						this.res?.off("close", this.removeAbortListener);
						this.removeAbortListener();
						this.removeAbortListener = null;
					}
				});
			}
		}
		onConnect(abort, context) {
			if (this.reason) {
				abort(this.reason);
				return;
			}
			assert(this.callback);
			this.abort = abort;
			this.context = context;
		}
		onHeaders(statusCode, rawHeaders, resume, statusMessage) {
			const { callback, opaque, abort, context, responseHeaders, highWaterMark } = this;
			const headers = responseHeaders === "raw" ? util.parseRawHeaders(rawHeaders) : util.parseHeaders(rawHeaders);
			if (statusCode < 200) {
				if (this.onInfo) this.onInfo({
					statusCode,
					headers
				});
				return;
			}
			const parsedHeaders = responseHeaders === "raw" ? util.parseHeaders(rawHeaders) : headers;
			const contentType = parsedHeaders["content-type"];
			const contentLength = parsedHeaders["content-length"];
			const res = new Readable({
				resume,
				abort,
				contentType,
				contentLength: this.method !== "HEAD" && contentLength ? Number(contentLength) : null,
				highWaterMark
			});
			if (this.removeAbortListener) res.on("close", this.removeAbortListener);
			this.callback = null;
			this.res = res;
			if (callback !== null) {
				if (this.throwOnError && statusCode >= 400) this.runInAsyncScope(getResolveErrorBodyCallback, null, {
					callback,
					body: res,
					contentType,
					statusCode,
					statusMessage,
					headers
				});
				else this.runInAsyncScope(callback, null, null, {
					statusCode,
					headers,
					trailers: this.trailers,
					opaque,
					body: res,
					context
				});
			}
		}
		onData(chunk) {
			return this.res.push(chunk);
		}
		onComplete(trailers) {
			util.parseHeaders(trailers, this.trailers);
			this.res.push(null);
		}
		onError(err) {
			const { res, callback, body, opaque } = this;
			if (callback) {
				this.callback = null;
				queueMicrotask(() => {
					this.runInAsyncScope(callback, null, err, { opaque });
				});
			}
			if (res) {
				this.res = null;
				queueMicrotask(() => {
					util.destroy(res, err);
				});
			}
			if (body) {
				this.body = null;
				util.destroy(body, err);
			}
			if (this.removeAbortListener) {
				res?.off("close", this.removeAbortListener);
				this.removeAbortListener();
				this.removeAbortListener = null;
			}
		}
	};
	function request(opts, callback) {
		if (callback === void 0) return new Promise((resolve, reject) => {
			request.call(this, opts, (err, data) => {
				return err ? reject(err) : resolve(data);
			});
		});
		try {
			this.dispatch(opts, new RequestHandler(opts, callback));
		} catch (err) {
			if (typeof callback !== "function") throw err;
			const opaque = opts?.opaque;
			queueMicrotask(() => callback(err, { opaque }));
		}
	}
	module.exports = request;
	module.exports.RequestHandler = RequestHandler;
}));
// src/http/tracing-handler.ts
var import_util = require_util$2.require_util();
var import_connect = /* @__PURE__ */ require_rolldown_runtime.__toESM(require_connect(), 1);
var import_agent = /* @__PURE__ */ require_rolldown_runtime.__toESM(require_agent(), 1);
var import_api_request = /* @__PURE__ */ require_rolldown_runtime.__toESM(require_api_request(), 1);
/**
* Passes every event through to undici's own handler and notes when the whole request has been
* written (`onRequestSent`): only after that can a failure have left HipChat acting on it.
* Plain delegation (not undici's DecoratorHandler) so nothing beyond Agent and request() is
* loaded at start-up.
*/
var TracingHandler = class {
	#inner;
	#trace;
	constructor(inner, trace) {
		this.#inner = inner;
		this.#trace = trace;
	}
	onConnect(...args) {
		return this.#inner.onConnect?.(...args);
	}
	onError(...args) {
		return this.#inner.onError?.(...args);
	}
	onUpgrade(...args) {
		return this.#inner.onUpgrade?.(...args);
	}
	onResponseStarted() {
		this.#trace.answering = true;
		return this.#inner.onResponseStarted?.();
	}
	onHeaders(...args) {
		const [status, raw, resume, text] = args;
		return this.#inner.onHeaders?.(status, withoutObjectNames(raw), resume, text) ?? true;
	}
	onData(...args) {
		return this.#inner.onData?.(...args) ?? true;
	}
	onComplete(...args) {
		return this.#inner.onComplete?.(...args);
	}
	onBodySent(...args) {
		return this.#inner.onBodySent?.(...args);
	}
	onRequestSent() {
		this.#trace.sent = true;
		return this.#inner.onRequestSent?.();
	}
};
/**
* `rawHeaders` (name, value, name, value…) without the headers whose lower-cased name is a
* property every object has (`constructor`, `__proto__`). undici's `request()` collects headers
* with `obj[name]` on a `{}`, and on such a name it finds the property and throws (`val.push is
* not a function`): a server or proxy sending one would turn a delivered notification into a
* failed, retried — duplicated — one. No header the action reads has such a name.
*/
function withoutObjectNames(rawHeaders) {
	let kept;
	for (let i = 0; i < rawHeaders.length; i += 2) {
		const clash = rawHeaders[i].toString().toLowerCase() in Object.prototype;
		if (clash && !kept) kept = rawHeaders.slice(0, i);
		else if (!clash && kept) kept.push(rawHeaders[i], rawHeaders[i + 1]);
	}
	return kept ?? rawHeaders;
}
/** `dispatcher`, with every request through it noted in `trace`. */
function traced(dispatcher, trace = {
	sent: false,
	answering: false
}) {
	return dispatcher.compose((dispatch) => (opts, handler) => dispatch(opts, new TracingHandler(handler, trace)));
}
// src/http/undici.ts
/** undici's `Agent` (the class `import { Agent } from 'undici'` gives). */
const Agent = import_agent.default;
/**
* undici's `request(url, options)`, on the given dispatcher, through the tracing handler: it
* notes `trace`, and keeps header names undici cannot collect from every answer (HipChat's,
* GitHub's, a log host's, a proxy's in their place).
*/
function request$1(url, options) {
	const { dispatcher, trace, ...rest } = options;
	const parsed = (0, import_util.parseURL)(url);
	return import_api_request.default.call(traced(dispatcher, trace), {
		...rest,
		origin: parsed.origin,
		path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
		method: rest.method || (rest.body ? "PUT" : "GET")
	});
}
/** undici's `buildConnector` (the index's `buildConnector`), already loaded by its Agent. */
const buildConnector = import_connect.default;
// src/http/body.ts
/**
* Reads a body until its end or until more than `maxBytes` have arrived, and discards the rest
* (the connection is closed, not drained); with `expired`, no longer than the request's deadline.
* Never rejects: a failure of the stream or the deadline is `cut`.
*/
async function readBounded(body, maxBytes, expired) {
	const chunks = [];
	let size = 0;
	const reading = (async () => {
		for await (const chunk of body) {
			chunks.push(chunk);
			size += chunk.length;
			if (size > maxBytes) break;
		}
	})();
	reading.catch(() => {});
	let cut;
	try {
		await (expired ? Promise.race([reading, expired]) : reading);
	} catch (error) {
		cut = error ?? /* @__PURE__ */ new Error("the body broke off");
	} finally {
		body.destroy();
	}
	return {
		text: Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8"),
		over: size > maxBytes,
		...cut === void 0 ? {} : { cut }
	};
}
// src/http/deadline.ts
/** The error of a deadline nobody worded: `no answer within … ms`, code `TIMEOUT`. */
function timeoutError(timeoutMs) {
	return Object.assign(/* @__PURE__ */ new Error(`no answer within ${timeoutMs} ms`), { code: "TIMEOUT" });
}
/**
* Starts a deadline of `timeoutMs` milliseconds; when it passes, the signal aborts and `expired`
* rejects with `expiry()` (each client words its own).
*/
function startDeadline(timeoutMs, expiry = () => timeoutError(timeoutMs)) {
	const controller = new AbortController();
	let expire;
	const expired = new Promise((_resolve, reject) => expire = reject);
	expired.catch(() => {});
	const timer = setTimeout(() => {
		const error = expiry();
		controller.abort(error);
		expire(error);
	}, timeoutMs);
	return {
		signal: controller.signal,
		expired,
		clear: () => clearTimeout(timer)
	};
}
// src/text/case.ts
/** Case of text in sentences the action writes. */
/** `text` with its first character in upper case: a clause that starts a sentence. */
function capitalise(text) {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
// src/hipchat/transport-advice.ts
/**
* What a failed connection means and what to do about it: the sentences of `TransportError`
* messages, one short builder each. Pure: every fact (host, proxy, code, the CA file the runner
* set) is passed in; the classification that picks a sentence lives in transport-error.ts.
*/
/** How long the request was given, as the sentence says it. */
function withinText(timeoutMs, byMaxWait) {
	return byMaxWait && timeoutMs !== void 0 ? `the ${(timeoutMs / 1e3).toFixed(1)} s that \`max-wait\` had left` : `the \`timeout\`${timeoutMs ? ` (${timeoutMs / 1e3} s)` : ""}`;
}
const PRIVATE_NETWORK = "server on a private network needs a self-hosted runner (or a proxy: HTTPS_PROXY) that can reach it.";
/** No connection (or the request not sent) in time. */
function noConnectionText(f, within) {
	return `No connection to ${f.host}${f.via} within ${within}: the request was not sent (${f.code}). Check \`server\`, and that this runner can reach it: a ${PRIVATE_NETWORK}`;
}
/** The proxy answered the tunnel request with 502, 503 or 504. */
function proxyUnreachableText(proxy, host, status) {
	return `The proxy ${proxy} could not reach ${host} (it answered ${status} to the tunnel request).`.replace("  ", " ");
}
/** The proxy refused (407 wants credentials; anything else is policy). */
function proxyRefusedText(proxy, host, status, withCredentials = false) {
	return `The proxy ${proxy} refused the request to ${host} (${status}). ${status === 407 && withCredentials ? "It refused the credentials in the proxy variable: check the user name and password (percent-encoded in the URL) with whoever runs the proxy." : status === 407 ? "It wants credentials: put them in the proxy variable, e.g. HTTPS_PROXY=http://user:password@proxy.example.com:3128 (percent-encode special characters), and keep that value in a secret." : `Ask the proxy's administrators to allow ${host}, or list the host in NO_PROXY if the runner can reach it directly.`}`.replace("  ", " ");
}
function dnsText(f) {
	return `The host name ${f.host} does not resolve (${f.code}). Check \`server\`; a server on a private network needs a self-hosted runner that can reach it.`;
}
function refusedText(f, proxy) {
	return proxy ? `The proxy ${proxy} refused the connection (${f.code}): check HTTPS_PROXY / HTTP_PROXY.` : `${f.host} refused the connection (${f.code}): nothing listens there. Check the host and port in \`server\`, and that HipChat is running.`;
}
function unreachableText(f) {
	return `${f.host}${f.via} cannot be reached from this runner (${f.code}). A ${PRIVATE_NETWORK}`;
}
function noAnswerText(f, within) {
	return `${f.host}${f.via} accepted the request but did not answer within ${within} (${f.code}).`;
}
function resetText(f, sent) {
	const when = sent ? "after receiving the request, before answering" : "before the request was sent";
	return `${f.host}${f.via} closed the connection ${when} (${f.code}).`;
}
/** A connection closed while it was set up: by the proxy at the CONNECT, or by the server. */
function connectClosedText(f) {
	return `${capitalise(f.detail)}, for ${f.host}: the request was not sent (${f.code}).`;
}
function otherText(f) {
	return `The request to ${f.host}${f.via} failed: ${f.detail}`;
}
/**
* The advice for a certificate this runner does not accept. `extraCaCerts` is the runner's
* NODE_EXTRA_CA_CERTS (passed in: advice reads no environment); `untrusted` says the code is
* one of a valid but untrusted certificate, whose detail adds nothing.
*/
function tlsText(f, extraCaCerts, untrusted) {
	const { host, via, code, detail } = f;
	if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return `The TLS certificate of ${host}${via} was not issued for that name (${code}: ${detail}). Set \`server\` to a name the certificate lists (its subject alternative names), or have the certificate reissued to include ${host.replace(/:\d+$/, "")}.`;
	if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") return `The TLS certificate of ${host}${via} is outside its validity period (${code}). Have the server's certificate renewed (or check this runner's clock).`;
	if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "EPROTO") return `${host}${via} did not speak TLS (${code}: ${detail}). If the server only serves plain HTTP on that port, the URL in \`server\` should start with http:// — or the port is wrong.`;
	return `The TLS certificate of ${host}${via} is not trusted by this runner (${code}${untrusted ? "" : `: ${detail}`}).${caHint(extraCaCerts)} Do not turn verification off (NODE_TLS_REJECT_UNAUTHORIZED=0): the token would go to whoever answers.`;
}
function caHint(extraCaCerts) {
	return extraCaCerts ? ` NODE_EXTRA_CA_CERTS is set (${extraCaCerts}), but that file does not hold the CA that issued this certificate — or Node could not read it (it prints a warning at start-up if so). Put the issuing CA's certificate (PEM; the root, and any intermediate the server does not send) in that file.` : " If your HipChat server uses a certificate from a private (company) CA, give the runner that CA's certificate: set NODE_EXTRA_CA_CERTS to the path of its PEM file in the step's or job's `env:` (e.g. `NODE_EXTRA_CA_CERTS: /etc/ssl/certs/company-ca.pem`); Node reads it at start-up, so set it in `env:`, not from inside a script.";
}
// src/http/connect-guard.ts
/** The code of a connection that closed before it could carry a request. */
const CONNECT_CLOSED = "CONNECT_CLOSED";
/** An error with a code undici passes on to the queued requests instead of dialling again. */
function closedWhileConnecting(cause, options) {
	const message = options.proxy ? `the proxy closed the connection without answering the CONNECT (proxy ${options.proxy})` : "the server closed the connection while it was being set up";
	return Object.assign(new Error(message, { cause }), { code: CONNECT_CLOSED });
}
/** `connect` with a closed-while-connecting failure made final (see the module comment). */
function guardConnect(connect, options = {}) {
	return (opts, callback) => connect(opts, (error, socket) => {
		const code = error?.code;
		if (error && (code === "UND_ERR_SOCKET" || code === "UND_ERR_CLOSED")) callback(closedWhileConnecting(error, options), null);
		else callback(error, socket);
	});
}
/**
* A pool factory whose pools connect through `guardConnect`: `make` builds the pool from the
* guarded options (undici's own `Pool`, given by the caller so no extra module loads).
*/
function guardedFactory(make, extra, options = {}) {
	return (origin, opts) => {
		const given = opts;
		const connect = typeof given.connect === "function" ? guardConnect(given.connect, options) : given.connect;
		return make(origin, {
			...given,
			...extra,
			connect
		});
	};
}
// src/hipchat/transport-error.ts
/**
* Transport classification: an error thrown by undici, turned into a `TransportError` that says
* how the request failed (`kind`), whether HipChat may have acted on it (`maybeActed`), and — in
* the words of transport-advice.ts — what to do about it.
*/
/** A request that got no HTTP answer. `maybeActed`: the request was sent, so HipChat may have acted. */
var TransportError = class extends Error {
	kind;
	code;
	maybeActed;
	constructor(kind, code, message, maybeActed) {
		super(message);
		this.name = "TransportError";
		this.kind = kind;
		this.code = code;
		this.maybeActed = maybeActed;
	}
};
const TLS_CODES = /* @__PURE__ */ new Set([
	"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
	"UNABLE_TO_GET_ISSUER_CERT",
	"UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
	"SELF_SIGNED_CERT_IN_CHAIN",
	"DEPTH_ZERO_SELF_SIGNED_CERT",
	"CERT_HAS_EXPIRED",
	"CERT_NOT_YET_VALID",
	"CERT_UNTRUSTED",
	"CERT_REVOKED",
	"CERT_SIGNATURE_FAILURE",
	"ERR_TLS_CERT_ALTNAME_INVALID",
	"ERR_SSL_WRONG_VERSION_NUMBER",
	"EPROTO",
	"UND_ERR_PRX_TLS"
]);
/** Codes of a certificate that is valid but not trusted: a private CA's, or self-signed. */
const UNTRUSTED_CODES = /* @__PURE__ */ new Set([
	"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
	"UNABLE_TO_GET_ISSUER_CERT",
	"UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
	"SELF_SIGNED_CERT_IN_CHAIN",
	"DEPTH_ZERO_SELF_SIGNED_CERT",
	"CERT_UNTRUSTED"
]);
/** Finds the most telling error code in an error, its cause chain or an AggregateError. */
function errorCode$1(error, depth = 0) {
	if (!error || typeof error !== "object" || depth > 4) return "";
	const e = error;
	const own = typeof e.code === "string" ? e.code : "";
	const inner = errorCode$1(e.cause, depth + 1) || errorCode$1(e.errors?.[0], depth + 1);
	const generic = own.startsWith("UND_ERR_SOCKET") || own === "UND_ERR_PRX_TLS";
	return own && !generic ? own : inner || own;
}
/** Whether any request bytes left this side before the failure (undici's SocketError says). */
function bytesWritten(error) {
	const socket = error?.socket;
	return typeof socket?.bytesWritten === "number" ? socket.bytesWritten : void 0;
}
/** A proxy's refusal as undici reports it: the tunnel's or the absolute-form request's status. */
function proxyStatus(error) {
	const message = error?.message ?? "";
	const match = /Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) ?? /Proxy Authentication Required \((\d{3})\)/.exec(message);
	return match ? Number(match[1]) : void 0;
}
/** Whether the error is one of a certificate this runner does not accept. */
function isTlsCode(code) {
	return TLS_CODES.has(code) || code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL");
}
/** A proxy's refusal, as a `TransportError`: unreachable (502–504, retried) or refused. */
function proxyRefusal(refused, host, proxy, withCredentials) {
	const code = `PROXY_${refused}`;
	if (refused === 502 || refused === 503 || refused === 504) return new TransportError("unreachable", code, proxyUnreachableText(proxy, host, refused), false);
	return new TransportError("proxy", code, proxyRefusedText(proxy, host, refused, withCredentials), false);
}
/** Classifies an error thrown by undici into a `TransportError` with advice. */
function toTransportError(error, url, context = {}) {
	const code = errorCode$1(error) || "UNKNOWN";
	const facts = {
		host: safeHost(url),
		via: context.proxy ? ` (through the proxy ${context.proxy})` : "",
		code,
		detail: error?.message ?? String(error)
	};
	const refused = proxyStatus(error);
	if (refused !== void 0) return proxyRefusal(refused, facts.host, context.proxy ?? "", !!context.proxyCredentials);
	if (isTlsCode(code)) {
		const untrusted = UNTRUSTED_CODES.has(code) || code === "UND_ERR_PRX_TLS";
		return new TransportError("tls", code, tlsText(facts, context.extraCaCerts, untrusted), false);
	}
	return bySocketCode(error, facts, context);
}
/** The failures named by a socket or undici code (DNS, refused, timeouts, resets, the rest). */
function bySocketCode(error, f, context) {
	const { code } = f;
	const within = withinText(context.timeoutMs, context.timeoutBy === "max-wait");
	const noConnection = () => new TransportError("connect-timeout", code, noConnectionText(f, within), false);
	switch (code) {
		case "ENOTFOUND":
		case "EAI_AGAIN":
		case "EAI_NODATA":
		case "EAI_NONAME": return new TransportError("dns", code, dnsText(f), false);
		case "ECONNREFUSED": return new TransportError("refused", code, refusedText(f, context.proxy), false);
		case "EHOSTUNREACH":
		case "ENETUNREACH":
		case "EADDRNOTAVAIL": return new TransportError("unreachable", code, unreachableText(f), false);
		case "UND_ERR_CONNECT_TIMEOUT":
		case "ETIMEDOUT": return noConnection();
		case "UND_ERR_HEADERS_TIMEOUT":
		case "UND_ERR_BODY_TIMEOUT":
		case "UND_ERR_ABORTED":
		case "ABORT_ERR":
		case "TIMEOUT": return wasSent(error, context) ? new TransportError("timeout", code, noAnswerText(f, within), true) : noConnection();
		case CONNECT_CLOSED: return new TransportError("reset", code, connectClosedText(f), false);
		case "ECONNRESET":
		case "EPIPE":
		case "UND_ERR_SOCKET":
		case "UND_ERR_CLOSED": {
			const acted = wasSent(error, context);
			return new TransportError("reset", code, resetText(f, acted), acted);
		}
		default: return new TransportError("other", code, otherText(f), wasSent(error, context));
	}
}
/** Sent in full: HipChat may have acted. Unknown: judged by bytes written, erring to "may have". */
function wasSent(error, context) {
	if (context.sent !== void 0) return context.sent;
	const written = bytesWritten(error) ?? bytesWritten(error.cause);
	return written === void 0 || written > 0;
}
function safeHost(url) {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
// src/hipchat/request-failure.ts
/**
* A request that ended without a complete answer, as a `TransportError`: refused by undici
* itself, cut after the answer began, or handed to transport-error.ts to classify.
*/
/** Codes of a connection lost or a deadline passed (as opposed to a refusal undici reports). */
const LOST = /* @__PURE__ */ new Set([
	"UND_ERR_SOCKET",
	"ECONNRESET",
	"EPIPE",
	"TIMEOUT",
	"UND_ERR_HEADERS_TIMEOUT",
	"UND_ERR_BODY_TIMEOUT",
	"UND_ERR_ABORTED",
	"ABORT_ERR"
]);
/** The `TransportError` a request rejects with, whatever it failed with. */
function requestFailure(error, context) {
	if (error instanceof TransportError) return error;
	if (isLocal(error)) return localError(error);
	const { url, signal, trace } = context;
	const cause = signal.aborted ? signal.reason : error;
	if (trace.answering && LOST.has(errorCode(cause))) return answerCut(url, context.proxy, cause);
	return toTransportError(cause, url, {
		sent: trace.sent,
		proxy: context.proxy,
		proxyCredentials: context.proxyCredentials,
		timeoutMs: context.timeoutMs,
		timeoutBy: context.byBudget ? "max-wait" : "timeout",
		extraCaCerts: context.extraCaCerts
	});
}
function errorCode(error) {
	const code = error?.code;
	return typeof code === "string" ? code : "";
}
/**
* Whether undici refused the request itself (an invalid header value, say). Its proxy's 407 is
* reported with the same code but is an answer: transport-error.ts words it.
*/
function isLocal(error) {
	const { code, message } = error;
	return code === "UND_ERR_INVALID_ARG" && !/Proxy Authentication Required/.test(String(message));
}
/** A request undici refused to send (an invalid header value): never sent, never worth retrying. */
function localError(error) {
	return new TransportError("local", "LOCAL", `The request could not be sent: ${error.message ?? String(error)}.`, false);
}
/**
* The connection was lost after the answer began: the server had the whole request and was
* answering, so it may well have acted. Not to be sent again (see retry-policy.ts).
*/
function answerCut(url, proxy, cause) {
	let host = url;
	try {
		host = new URL(url).host;
	} catch {}
	const code = errorCode(cause) || "UNKNOWN";
	const through = proxy ? ` (through the proxy ${proxy})` : "";
	return new TransportError("answer-cut", code, `${host}${through} began to answer, then the connection was lost before the status and headers were complete (${code}): it had the whole request, so it may have acted on it.`, true);
}
// src/http/headers.ts
/**
* Answer headers as the rest of the action reads them, for HipChat and the GitHub API alike.
* Pure: it only reshapes what undici parsed (undici bounds the header block's size).
*/
/**
* undici's headers as one plain map: names lower-cased, a repeated header's values joined with
* `, ` (as HTTP allows for a list), an absent value left out.
*/
function flattenHeaders(headers) {
	const out = Object.create(null);
	for (const [name, value] of Object.entries(headers)) {
		if (value === void 0) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
	}
	return out;
}
// src/hipchat/response.ts
/** `response` with the body read of it; every header value and the body through `redact`. */
function toResponse(response, read, redact) {
	const headers = flattenHeaders(response.headers);
	for (const name of Object.keys(headers)) headers[name] = redact(headers[name]);
	return {
		status: response.statusCode,
		headers,
		body: redact(read.text),
		...read.over || read.cut !== void 0 ? { truncated: true } : {}
	};
}
/** The token in a 2xx answer to `POST /v2/oauth/token`, or undefined if there is none. */
function readToken(body) {
	try {
		const parsed = JSON.parse(body);
		return typeof parsed?.access_token === "string" && parsed.access_token ? parsed : void 0;
	} catch {
		return;
	}
}
// src/http/route.ts
const KEEP_ALIVE = {
	keepAliveTimeout: 1e3,
	keepAliveMaxTimeout: 4e3
};
const PROXY_VARIABLES = [
	"https_proxy",
	"HTTPS_PROXY",
	"http_proxy",
	"HTTP_PROXY"
];
/** Chooses and keeps the route of each origin; `close()` ends every dispatcher it made. */
var Routes = class {
	options;
	routes = /* @__PURE__ */ new Map();
	direct;
	constructor(options) {
		this.options = options;
	}
	/**
	* The route to `target`'s origin. Rejects only when a proxy variable is not a usable URL (the
	* client reports that on the request that awaits it; never an unhandled rejection).
	*/
	route(target) {
		if (this.options.dispatcher) return Promise.resolve({ dispatcher: this.options.dispatcher });
		const key = originOf(target);
		let route = this.routes.get(key);
		if (!route) {
			route = this.choose(target);
			route.catch(() => {});
			this.routes.set(key, route);
		}
		return route;
	}
	/** Destroys every connection, idle or being set up, so the process can exit at once. */
	async close() {
		if (this.options.dispatcher) return;
		const routes = await Promise.all([...this.routes.values()].map((r) => r.catch(() => void 0)));
		const dispatchers = new Set(routes.map((r) => r?.dispatcher).filter((d) => d !== void 0));
		await Promise.all([...dispatchers].map((d) => d.destroy()));
	}
	async choose(target) {
		const env = this.options.env ?? process.env;
		if (PROXY_VARIABLES.some((name) => env[name]?.trim())) {
			const { proxyFor, proxyDispatcher } = await Promise.resolve().then(() => require("./proxy.js"));
			const url = new URL(target);
			const proxy = proxyFor(url, env);
			if (proxy) {
				const timeoutMs = this.options.timeoutMs;
				return {
					dispatcher: proxyDispatcher(proxy, url, {
						timeoutMs,
						...KEEP_ALIVE
					}),
					proxy: proxy.display,
					proxyCredentials: hasCredentials(proxy.uri)
				};
			}
		}
		this.direct ??= directAgent(this.options.timeoutMs, this.options.lookup);
		return { dispatcher: this.direct };
	}
};
/** The origin routes are kept by; a target that is not a URL is kept as it is. */
function originOf(target) {
	try {
		return new URL(target).origin;
	} catch {
		return String(target);
	}
}
function directAgent(timeoutMs, lookup) {
	const connector = buildConnector(lookup ? {
		timeout: timeoutMs,
		lookup
	} : { timeout: timeoutMs });
	return new Agent({
		connect: guardConnect(connector),
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
		...KEEP_ALIVE
	});
}
function hasCredentials(uri) {
	try {
		const url = new URL(uri);
		return Boolean(url.username || url.password);
	} catch {
		return false;
	}
}
// src/hipchat/client.ts
/**
* The HTTP edge: one request to HipChat, no retries and no interpretation beyond the transport.
* Retrying and pacing live in delivery/; turning answers into advice in http-advice.ts, and
* failures without an answer into a `TransportError` in transport-error.ts.
*/
const USER_AGENT = "hipchat-notify (GitHub Action)";
/** The most of an answer's body that is read; the rest is discarded (HipChat's are a few KB). */
const MAX_BODY_BYTES = 65536;
/** A HipChat v2 client over one undici dispatcher. `close()` it so the process can exit at once. */
var HipChatClient = class {
	server;
	timeoutMs;
	userAgent;
	redact;
	routes;
	/** NODE_EXTRA_CA_CERTS as the runner set it, for the advice on an untrusted certificate. */
	extraCaCerts;
	/** Resolves once the dispatcher is chosen (a proxy's module loads on demand). */
	ready;
	constructor(options) {
		this.server = options.server;
		this.timeoutMs = options.timeoutMs;
		this.userAgent = options.userAgent ?? USER_AGENT;
		const secrets = options.secrets;
		this.redact = secrets ? (text) => secrets.redactUntrusted(text) : (text) => text;
		this.extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
		this.routes = new Routes({
			timeoutMs: this.timeoutMs,
			dispatcher: options.dispatcher,
			env: options.env,
			lookup: options.lookup
		});
		this.ready = this.routes.route(this.server);
	}
	/** The proxy requests go through, without credentials; undefined when they go directly. */
	async proxy() {
		return (await this.ready).proxy;
	}
	/** The notification URL of a room; names are percent-encoded (a space must be %20, not +). */
	notificationUrl(room, authTest = false) {
		const url = `${this.server}/v2/room/${encodeURIComponent(room)}/notification`;
		return authTest ? `${url}?auth_test=true` : url;
	}
	/**
	* Posts a notification (or, with `authTest`, asks whether the token may post it without
	* posting). Resolves with any HTTP answer; rejects only with a `TransportError`.
	*/
	async notify(token, room, body, authTest = false, options = {}) {
		return this.send(this.notificationUrl(room, authTest), "POST", JSON.stringify(body), {
			authorization: `Bearer ${token}`,
			"content-type": "application/json"
		}, options);
	}
	/**
	* Reads a room's latest history (`GET /v2/room/{id_or_name}/history/latest`, scope
	* `view_messages`), or with `authTest` asks whether the token may. Resolves with any HTTP
	* answer (200 with `items` as JSON); rejects only with a `TransportError`.
	*/
	async history(token, room, maxResults, authTest = false, options = {}) {
		const query = `max-results=${Math.trunc(maxResults)}${authTest ? "&auth_test=true" : ""}`;
		return this.send(`${this.server}/v2/room/${encodeURIComponent(room)}/history/latest?${query}`, "GET", void 0, { authorization: `Bearer ${token}` }, options);
	}
	/** The URL of a user (`{id_or_email}`: id, email or `@mention_name`, percent-encoded). */
	userUrl(user, suffix = "", authTest = false) {
		const url = `${this.server}/v2/user/${encodeURIComponent(user)}${suffix}`;
		return authTest ? `${url}?auth_test=true` : url;
	}
	/**
	* Looks a user up (`GET /v2/user/{id_or_email}`, scope `view_group`). Resolves with any HTTP
	* answer (200 with the user as JSON, 404 for nobody); rejects only with a `TransportError`.
	*/
	async user(token, user, options = {}) {
		return this.send(this.userUrl(user), "GET", void 0, { authorization: `Bearer ${token}` }, options);
	}
	/**
	* Sends a private message (`POST /v2/user/{id_or_email}/message`, scope `send_message`), or
	* with `authTest` asks whether the token may. Resolves with any HTTP answer (204 is
	* success); rejects only with a `TransportError`.
	*/
	async privateMessage(token, user, body, authTest = false, options = {}) {
		return this.send(this.userUrl(user, "/message", authTest), "POST", JSON.stringify(body), {
			authorization: `Bearer ${token}`,
			"content-type": "application/json"
		}, options);
	}
	/**
	* Asks for an add-on token with the client-credentials grant (`POST /v2/oauth/token`).
	* Resolves with any HTTP answer, and the token read from a 2xx one (200 with the token as JSON
	* is success); rejects only with a `TransportError`. Retrying is delivery's.
	*/
	async addonToken(id, secret, options = {}, scopes = ["send_notification"]) {
		const basic = basicCredentials(id, secret);
		const form = new URLSearchParams({
			grant_type: "client_credentials",
			scope: scopes.join(" ")
		});
		const response = await this.send(`${this.server}/v2/oauth/token`, "POST", form.toString(), {
			authorization: `Basic ${basic}`,
			"content-type": "application/x-www-form-urlencoded"
		}, options);
		return response.status >= 200 && response.status < 300 ? {
			...response,
			token: readToken(response.body)
		} : response;
	}
	/**
	* Ends the client so the process exits at once: idle sockets, and any connection still being
	* set up for a request that was abandoned at its deadline (see send()).
	*/
	close() {
		return this.routes.close();
	}
	async send(url, method, body, headers, options) {
		let route;
		try {
			route = await this.ready;
		} catch (error) {
			throw new TransportError("proxy", "PROXY_CONFIG", error.message, false);
		}
		const byBudget = options.budgetMs !== void 0 && options.budgetMs < this.timeoutMs;
		const timeoutMs = byBudget ? Math.max(1, Math.floor(options.budgetMs)) : this.timeoutMs;
		const trace = {
			sent: false,
			answering: false
		};
		const deadline = startDeadline(timeoutMs);
		let pending;
		try {
			pending = request$1(url, {
				method,
				body,
				headers: {
					...headers,
					accept: "application/json",
					"user-agent": this.userAgent
				},
				dispatcher: route.dispatcher,
				trace,
				headersTimeout: timeoutMs,
				bodyTimeout: timeoutMs,
				signal: deadline.signal
			});
		} catch (error) {
			deadline.clear();
			throw localError(error);
		}
		pending.catch(() => {});
		try {
			const response = await Promise.race([pending, deadline.expired]);
			const cap = options.maxBodyBytes ?? MAX_BODY_BYTES;
			return toResponse(response, await readBounded(response.body, cap, deadline.expired), this.redact);
		} catch (error) {
			throw requestFailure(error, {
				url,
				signal: deadline.signal,
				trace,
				proxy: route.proxy,
				proxyCredentials: route.proxyCredentials,
				timeoutMs,
				byBudget,
				extraCaCerts: this.extraCaCerts
			});
		} finally {
			deadline.clear();
		}
	}
};
// src/delivery/map-bounded.ts
/** Concurrency with a bound, order kept. */
/** Maps with at most `limit` calls in flight; results keep the input order. */
async function mapBounded(items, limit, fn) {
	const results = new Array(items.length);
	let next = 0;
	async function worker() {
		while (next < items.length) {
			const index = next++;
			results[index] = await fn(items[index], index);
		}
	}
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
	return results;
}
// src/hipchat/answer-body.ts
/**
* What an answer's body says, once the client has turned it into a `HipChatResponse`
* (response.ts): HipChat's own error message, or a page that is not HipChat's, and server text
* made fit to quote. Pure, shared by the retry policy (is a 2xx really HipChat's?) and the
* advice (what to tell users).
*/
/** HipChat's `error.message` from an error body, or undefined for a non-JSON answer. */
function hipchatMessage(body) {
	try {
		const parsed = JSON.parse(body);
		return typeof parsed.error?.message === "string" ? parsed.error.message : void 0;
	} catch {
		return;
	}
}
/**
* Whether an answer is an HTML page: labelled `text/html`, or an HTML document whatever its
* label. HipChat's API never answers with one (204 and an empty body, or JSON); a login page of
* an SSO proxy, a web server's or a proxy's error page does.
*/
function isHtmlPage(headers, body) {
	return /^\s*text\/html\b/i.test(headers["content-type"] ?? "") || /^\s*<(!doctype\s+html|html)\b/i.test(body);
}
/**
* Whether a 2xx answer is not HipChat's: an HTML page, or a non-empty body that is not JSON
* ("Please log in" as text from an SSO proxy). HipChat answers 204 with nothing, or JSON. A body
* cut short (the connection lost after the status) counts as JSON when it starts as JSON.
*/
function isForeignBody(headers, body, truncated = false) {
	if (isHtmlPage(headers, body)) return true;
	const text = body.trim();
	if (!text) return false;
	if (truncated) return !/^[{[]/.test(text);
	try {
		JSON.parse(text);
		return false;
	} catch {
		return true;
	}
}
/**
* Server text made fit to quote in a message: control and bidirectional-override characters
* dropped, line breaks and tabs as spaces, at most `max` characters (with an ellipsis). The
* text is already redacted of secrets by the client, before any cut.
*/
function quotable(text, max = 300) {
	const flat = text.replace(/[\r\n\t]+/g, " ").replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, "").trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
/** The `<title>` of an HTML page, as ` ("title")`, or ''. */
function pageTitle(body) {
	const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(body)?.[1];
	const shown = title ? quotable(title, 120) : "";
	return shown ? ` ("${shown}")` : "";
}
// src/hipchat/http-advice.ts
/**
* HipChat's answers that are not success, translated into what the user should do. Every
* message names the room and server involved and never contains a token. Pure: the answer and
* what the request was for are passed in.
*/
/**
* One sentence for an HTTP answer that is not success, saying what went wrong and what to do.
*/
function describeHttpError(response, context) {
	const text = describeStatus(response, context);
	return context.action === "auth-test" && context.room !== void 0 ? `${text} The auth test stopped here: nothing was posted to room '${context.room}'.` : text;
}
function describeStatus(response, context) {
	const said = hipchatMessage(response.body);
	const room = context.room === void 0 ? "" : `room '${context.room}'`;
	const s = {
		status: response.status,
		said,
		quoted: said ? `HipChat: "${quotable(said)}"` : describeForeignBody(response),
		room,
		where: context.action === "auth-test" ? `auth test for ${room}` : room,
		server: context.server ?? "?"
	};
	if (s.status >= 200 && s.status < 300) return loginPageText(s, response, context.action);
	if (s.status >= 300 && s.status < 400) return redirectText(s, response, context.action);
	if (context.action === "token") return tokenRefusalText(s);
	if (!said && s.status < 500) return foreignPageText(s);
	return refusalText(s, context);
}
/** Describes a non-JSON answer: an HTML error page from a proxy, or something else. */
function describeForeignBody(response) {
	const type = response.headers["content-type"] ?? "no content type";
	if (/html/i.test(type) || /^\s*</.test(response.body)) return `an HTML page${pageTitle(response.body)} instead of HipChat's JSON — a proxy, load balancer or web server answered, not the HipChat API`;
	const snippet = quotable(response.body, 120);
	return snippet ? `a non-JSON body (${quotable(type, 60)}): "${snippet}"` : `an empty body (${quotable(type, 60)})`;
}
function loginPageText(s, response, action) {
	const body = isHtmlPage(response.headers, response.body) ? `an HTML page${pageTitle(response.body)}` : `a body that is not HipChat's JSON ("${quotable(response.body, 80)}")`;
	const page = `the server answered ${s.status} with ${body} — an SSO/login proxy or a web server answered, not the HipChat API`;
	const check = `Check that \`server\` (${s.server}) is the address of the HipChat API itself, and the proxy settings (HTTPS_PROXY, NO_PROXY): the runner must reach the API without a login page.`;
	if (action === "token") return `HipChat could not issue an add-on token: ${page}. ${check}`;
	const what = action === "auth-test" ? "auth test" : "notification";
	return `${capitalise(s.where)}: ${page}, so the ${what} did not reach HipChat. ${check}`;
}
function redirectText(s, response, action) {
	const location = quotable(response.headers.location ?? "", 200);
	const to = location ? ` to ${location}` : " (without a Location)";
	return `${action === "token" ? "The add-on token request" : capitalise(s.where)}: the server answered ${s.status}, a redirect${to}. Redirects are not followed (the token would go along to wherever they point). If that is the HipChat API, set \`server\` to it; a login page there means an SSO proxy stands in front of ${s.server}.`;
}
function tokenRefusalText(s) {
	if (s.status === 400 && s.said && /scope/i.test(s.said)) return `HipChat would not issue an add-on token with the send_notification scope (400, ${s.quoted}). Add send_notification to the add-on's scopes (capabilities.hipchatApiConsumer.scopes in its descriptor) and reinstall it.`;
	if (s.status === 401 || s.status === 403) return `HipChat refused the add-on credentials (${s.status}, ${s.quoted}). Check \`oauth-id\` and \`oauth-secret\` (the add-on's OAuth id and secret from its installation) and that the add-on may use the send_notification scope.`;
	return `HipChat could not issue an add-on token (${s.status}, ${s.quoted}). Check \`server\` and the add-on credentials.`;
}
function foreignPageText(s) {
	return `${capitalise(s.where)}: the server answered ${s.status} with ${s.quoted}. Check that \`server\` (${s.server}) is the base URL of your HipChat server, without a path the API does not live under.`;
}
/** HipChat's own refusal of a post or auth test, by status. */
function refusalText(s, context) {
	const { status, said, quoted, room } = s;
	switch (status) {
		case 400: return `HipChat rejected the notification for ${room} (400, ${quoted}). Fix the message or inputs it names.`;
		case 401:
			if (said && /scope/i.test(said)) return missingScopeText(s);
			return invalidTokenText(s);
		case 403: return missingScopeText(s);
		case 404: return notFoundText(s, context);
		case 405: return `The server does not accept this call (405, ${quoted}): \`server\` probably does not point at a HipChat API.`;
		default: return otherStatusText(s, context);
	}
}
/** Any other status: a server failure (5xx) or an answer this action has no advice for. */
function otherStatusText(s, context) {
	if (s.status < 500) return `HipChat answered ${s.status} for ${s.room} (${s.quoted}).`;
	return `HipChat failed to handle the ${context.action === "auth-test" ? "auth test" : "notification"} for ${s.room} (${s.status}, ${s.quoted}).`;
}
function invalidTokenText(s) {
	return `HipChat refused the token for ${s.room} (401, ${s.quoted}). The token is invalid or expired — or it is a room notification token made for a different room: such a token can post only to the room it was created in. Use a token for this room, or a personal or add-on token with the send_notification scope.`;
}
function notFoundText(s, context) {
	if (s.said && !/^room\b/i.test(s.said.trim())) return `The server answered 404 for ${s.where} (${s.quoted}): there is no HipChat API at that address. Check that \`server\` (${s.server}) is the base URL of your HipChat server; the API lives under /v2 there.`;
	return `${capitalise(s.room)} was not found on ${context.server ?? "the server"} (404, ${s.quoted}). Check the room's name (spelling, case, spaces) or use its numeric id, which never changes.`;
}
/** Advice for a 403 (or an auth test's 401) whose cause is a missing scope. */
function missingScopeText(s) {
	const scopes = /\[([^\]]*)\]/.exec(s.said ?? "")?.[1]?.trim() || "send_notification";
	const what = scopes.includes(",") ? `any of the scopes ${scopes}` : `the ${scopes} scope`;
	return `The token may not post to ${s.room} (${s.status}, ${s.quoted}): it lacks ${what}. Create a token with the "Send Notification" scope and use it in \`token\`.`;
}
function int(value) {
	if (value === void 0 || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return void 0;
	return Number(value);
}
/** A header value fit to quote in a log line: short visible ASCII, else a description. */
function shown(value) {
	return /^[\x20-\x7e]{1,40}$/.test(value) ? `'${value.replace(/::/g, ": :")}'` : "(unreadable)";
}
/** `ms` when it lies within `MAX_HINT_MS` of `nowMs`, else undefined and a note in `ignored`. */
function plausible(ms, nowMs, name, raw, ignored) {
	if (ms === void 0) return void 0;
	if (Number.isFinite(ms) && Math.abs(ms - nowMs) <= 864e5) return ms;
	ignored.push(`ignored ${name} ${shown(raw ?? "")}: not a time within a day of now`);
}
function readWindow(headers, prefix, nowMs, ignored) {
	const raw = headers[`${prefix}-reset`];
	const reset = int(raw);
	const name = prefix === "x-ratelimit" ? "X-Ratelimit-Reset" : "X-FloodControl-Reset";
	return {
		limit: int(headers[`${prefix}-limit`]),
		remaining: int(headers[`${prefix}-remaining`]),
		resetMs: plausible(reset === void 0 ? void 0 : reset * 1e3, nowMs, name, raw, ignored)
	};
}
/** Parses `Retry-After` (delay seconds or an HTTP date) into an absolute time. */
function parseRetryAfter(value, nowMs) {
	if (!value) return void 0;
	const seconds = int(value);
	if (seconds !== void 0) return seconds >= 0 ? nowMs + seconds * 1e3 : void 0;
	const date = Date.parse(value);
	return Number.isNaN(date) ? void 0 : date;
}
/** Reads the rate-limit headers of an answer (names lower-cased), dropping implausible times. */
function readRateInfo(headers, nowMs) {
	const ignored = [];
	const info = {
		token: readWindow(headers, "x-ratelimit", nowMs, ignored),
		room: readWindow(headers, "x-floodcontrol", nowMs, ignored),
		retryAtMs: plausible(parseRetryAfter(headers["retry-after"], nowMs), nowMs, "Retry-After", headers["retry-after"], ignored)
	};
	if (ignored.length > 0) info.ignored = ignored;
	return info;
}
// src/delivery/log-words.ts
/** Each limit as a log line names it. */
const LIMIT_WORDS = {
	token: "the token's rate limit (X-Ratelimit)",
	room: "the room's flood control (X-FloodControl)",
	"retry-after": "the Retry-After the server sent",
	backoff: "a retry backoff"
};
/** Appended to a failure after a request HipChat may have acted on. */
const MAYBE_POSTED = " HipChat may have posted it anyway: check the room before re-running.";
/**
* A retry's reason as a wait's log line says it: what happened, without the advice on what to
* do about it. That advice is said once, in the room's failure, if it comes to that.
*/
function withoutAdvice(why) {
	const cut = /^(.*?\([A-Z][A-Z0-9_]+\))[.:] .*?(; (?:nothing was posted|HipChat may have posted it).*)$/s.exec(why);
	return cut ? `${cut[1]}${cut[2]}` : why;
}
/** `the token's` or `the room's`, for a window's key. */
function whose(key) {
	return key === "token" ? "the token's" : "the room's";
}
// src/text/times.ts
/** Instants and durations as log lines and failures say them. */
/** An instant as ISO 8601, without milliseconds when there are none; never throws. */
function iso(ms) {
	const date = new Date(ms);
	return Number.isNaN(date.getTime()) ? `(no valid time: ${ms})` : date.toISOString().replace(/\.000Z$/, "Z");
}
/** A duration in seconds: one decimal below 10 s. */
function secs(ms) {
	return `${(Math.max(0, ms) / 1e3).toFixed(ms < 1e4 ? 1 : 0)} s`;
}
// src/delivery/budget.ts
/**
* Raised when `max-wait` leaves no time for what comes next: a wait that would end at or after
* it, or a request that would start then. The message says what was being waited for.
*/
var BudgetExceeded = class extends Error {};
/** The run's deadline, and the waits within it. */
var Budget = class {
	#clock;
	#log;
	#startMs;
	#maxWaitMs;
	/** Waits already logged (by key and time), so a wait many rooms share is logged once. */
	#logged = /* @__PURE__ */ new Set();
	constructor(startMs, maxWaitMs, clock, log) {
		this.#startMs = startMs;
		this.#maxWaitMs = maxWaitMs;
		this.#clock = clock;
		this.#log = log;
	}
	get deadline() {
		return this.#startMs + this.#maxWaitMs;
	}
	/**
	* Sleeps until `atMs` (never less: a timer may fire a little early), within the budget.
	* `subject` is what waits, as in "room 'CI'" or "the add-on token request". Throws
	* `BudgetExceeded` when the wait would end at or after the deadline.
	*/
	async waitUntil(atMs, limit, subject, why, logKey) {
		const now = this.#clock.now();
		if (atMs <= now) return;
		if (atMs >= this.deadline) throw this.#tooLate(atMs, now, limit, subject, why);
		if (logKey === void 0 || !this.#logged.has(logKey)) {
			if (logKey !== void 0) this.#logged.add(logKey);
			this.#log.info(waitLine(atMs - now, atMs, limit, subject, why, logKey));
		}
		for (let t = this.#clock.now(); t < atMs; t = this.#clock.now()) await this.#clock.sleep(atMs - t);
	}
	/**
	* What `max-wait` has left for a request about to start; none (at or after the deadline)
	* gives up instead, naming what the request was waiting for until then.
	*/
	left(subject, next, waitingFor) {
		const left = this.deadline - this.#clock.now();
		if (left > 0) return left;
		const which = next ? "its next request" : "its request";
		const waited = waitingFor ? `, while it waited for ${waitingFor}` : "";
		throw new BudgetExceeded(`Gave up on ${subject}: \`max-wait\` (${secs(this.#maxWaitMs)}) ran out before ${which} could start${waited}. Raise \`max-wait\` to give the run more time.`);
	}
	#tooLate(atMs, now, limit, subject, why) {
		const left = Math.max(0, this.deadline - now);
		const raise = `Raise \`max-wait\` to at least ${Math.floor((atMs - this.#startMs) / 1e3) + 1} (seconds)`;
		const advice = limit === "backoff" ? `${raise} to allow the retry.` : `${raise} to wait it out, or send fewer notifications with this token or to this room.`;
		return new BudgetExceeded(`Gave up on ${subject}: ${LIMIT_WORDS[limit]} allows the next request at ${iso(atMs)}, ${secs(atMs - now)} from now, but \`max-wait\` (${secs(this.#maxWaitMs)}) has ${secs(left)} left (${why}). ${advice}`);
	}
};
/** The log line of a wait. A token-wide wait holds every room: it says so once, not per room. */
function waitLine(ms, atMs, limit, subject, why, logKey) {
	const wait = `waiting ${secs(ms)}, until ${iso(atMs)}, for ${LIMIT_WORDS[limit]} — ${withoutAdvice(why)}`;
	return logKey?.startsWith("token@") ? `${capitalise(wait)} (${subject}); no request uses the token before then.` : `${capitalise(subject)}: ${wait}.`;
}
/** Backoff without a hint: first wait, growth factor and ceiling. */
const BACKOFF_BASE_MS = 1e3;
const BACKOFF_MAX_MS = 3e4;
/** `why` with the notes on ignored hints, if any. */
function noting(why, info) {
	return info.ignored ? `${why} (${info.ignored.join("; ")})` : why;
}
/** Exponential backoff with jitter ("equal jitter": half fixed, half random). */
function backoffMs(attempt, random) {
	const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + random() * ceiling / 2);
}
/** The instant to retry at for a reset time: never before it, at most margin + jitter after. */
function afterReset(resetMs, random) {
	return resetMs + 50 + Math.round(random() * 100);
}
/**
* Windows an answer says are used up (`Remaining: 0`) with a reset still ahead: the next
* request on them would be refused, so it should wait for the reset instead.
*/
function exhausted(info, nowMs) {
	const out = [];
	for (const limit of ["token", "room"]) {
		const w = info[limit];
		if (w.remaining !== void 0 && w.remaining <= 0 && w.resetMs !== void 0 && w.resetMs > nowMs) out.push({
			limit,
			resetMs: w.resetMs
		});
	}
	return out;
}
/** When to retry a 429, because of which limit, and why. */
function rateLimitedRetry(info, attempt, nowMs, random) {
	const candidates = exhausted(info, nowMs);
	let best;
	for (const c of candidates) {
		const atMs = afterReset(c.resetMs, random);
		if (!best || atMs > best.atMs) best = {
			atMs,
			limit: c.limit,
			why: `HipChat answered 429 and announced the reset for ${new Date(c.resetMs).toISOString()}`
		};
	}
	if (info.retryAtMs !== void 0 && info.retryAtMs > nowMs && (!best || info.retryAtMs > best.atMs)) best = {
		atMs: info.retryAtMs,
		limit: "retry-after",
		why: "the server answered 429 with Retry-After"
	};
	if (best) return best;
	const stale = ["token", "room"].some((l) => info[l].remaining === 0 && (info[l].resetMs ?? Infinity) <= nowMs);
	return {
		atMs: nowMs + backoffMs(attempt, random),
		limit: "backoff",
		why: stale ? "HipChat answered 429 with a reset that has already passed by this runner's clock (is the clock ahead of the server's?)" : "HipChat answered 429 without a reset time or Retry-After"
	};
}
/**
* Decides what follows an attempt. `attempt` counts from 1; `ambiguousRetries` is how many
* retries of possibly-acted requests this request has already used.
*/
function decide(outcome, attempt, ambiguousRetries, nowMs, random) {
	if (outcome.kind === "transport") return afterTransportFailure(outcome.error, attempt, ambiguousRetries, nowMs, random);
	const { status, headers } = outcome;
	if (status >= 200 && status < 300) return isForeignBody(headers, outcome.body ?? "", outcome.truncated) ? {
		action: "fail",
		ambiguous: false
	} : { action: "done" };
	return afterRefusal(status, headers, attempt, ambiguousRetries, nowMs, random);
}
/** What follows a request that got no HTTP answer. */
function afterTransportFailure(error, attempt, ambiguousRetries, nowMs, random) {
	if (error.kind === "tls" || error.kind === "proxy" || error.kind === "local") return {
		action: "fail",
		ambiguous: false
	};
	if (error.kind === "answer-cut") return {
		action: "fail",
		ambiguous: true
	};
	if (error.maybeActed) {
		if (ambiguousRetries >= 1 || attempt >= 6) return {
			action: "fail",
			ambiguous: true
		};
		return {
			action: "retry",
			atMs: nowMs + backoffMs(attempt, random),
			limit: "backoff",
			why: `${error.message.replace(/\.$/, "")}; HipChat may have posted it, so it is retried once so the notification is not lost (a duplicate is possible)`,
			ambiguous: true
		};
	}
	if (attempt >= 6) return {
		action: "fail",
		ambiguous: false
	};
	return {
		action: "retry",
		atMs: nowMs + backoffMs(attempt, random),
		limit: "backoff",
		why: `${error.message.replace(/\.$/, "")}; nothing was posted, so the retry cannot post twice`,
		ambiguous: false
	};
}
/** What follows an answer that is not success: 429, 5xx, or a refusal. */
function afterRefusal(status, headers, attempt, ambiguousRetries, nowMs, random) {
	const info = readRateInfo(headers, nowMs);
	const hinted = info.retryAtMs !== void 0 && info.retryAtMs > nowMs;
	const next = () => hinted ? {
		atMs: info.retryAtMs,
		limit: "retry-after"
	} : {
		atMs: nowMs + backoffMs(attempt, random),
		limit: "backoff"
	};
	if (status === 429) {
		const { atMs, limit, why } = rateLimitedRetry(info, attempt, nowMs, random);
		return {
			action: "retry",
			atMs,
			limit,
			why: noting(why, info),
			ambiguous: false
		};
	}
	if (status === 502 || status === 503) {
		if (attempt >= 6) return {
			action: "fail",
			ambiguous: false
		};
		return {
			action: "retry",
			...next(),
			why: noting(`the server answered ${status}${hinted ? " with Retry-After" : ""}; it did not act, so the retry cannot post twice`, info),
			ambiguous: false
		};
	}
	if (status === 500 || status === 504) {
		if (ambiguousRetries >= 1 || attempt >= 6) return {
			action: "fail",
			ambiguous: true
		};
		const what = status === 500 ? "HipChat answered 500 and may have posted anyway" : "a gateway answered 504: it passed the request on and gave up waiting, so HipChat may have posted it";
		return {
			action: "retry",
			...next(),
			why: noting(`${what}; retrying once so the notification is not lost (a duplicate is possible)`, info),
			ambiguous: true
		};
	}
	return {
		action: "fail",
		ambiguous: false
	};
}
// src/delivery/limiter.ts
/**
* The run's pacing state machine, shared by all rooms of a run: one window for the token
* (`X-Ratelimit-*`: every call with the token counts) and one per room (`X-FloodControl-*`:
* posts into that room). Pure: it is told the time and the answers' rate-limit headers, and
* says what holds a request back; the waiting itself is the caller's.
*/
/**
* The run's shared pacing state. A window whose `Remaining` is used up (counting requests in
* flight) holds back every request that needs it until its reset; after the reset, as many go
* as its `Limit` allows. A window whose limits no answer has told yet holds nothing back beyond
* the run's concurrency: waiting for a first answer would make every run with several rooms
* wait a round trip (or a whole `timeout` on a slow server) before the other rooms start, and
* a server that sends no rate-limit headers would be posted one room at a time for good. The
* price is that when another job has already spent the token's window, the first few requests
* (at most the concurrency) earn a 429 each, which is waited out until the reset it announces.
*/
var Limiter = class {
	states = /* @__PURE__ */ new Map();
	wakers = [];
	state(key) {
		let state = this.states.get(key);
		if (!state) {
			state = { inFlight: 0 };
			this.states.set(key, state);
		}
		return state;
	}
	/** What holds a request needing `keys` back at `nowMs`, the latest time first. */
	blocker(keys, nowMs) {
		let late;
		let answer;
		for (const key of keys) {
			const s = this.state(key);
			const limit = key === "token" ? "token" : "room";
			if (s.hold && s.hold.atMs > nowMs && (!late || s.hold.atMs > late.atMs)) late = {
				kind: "time",
				key,
				...s.hold
			};
			const current = s.resetMs !== void 0 && nowMs < s.resetMs + 50;
			if ((current ? s.remaining ?? Infinity : s.limit ?? Infinity) - s.inFlight > 0) continue;
			if (s.inFlight > 0) answer ??= key;
			else if (current) {
				const atMs = s.resetMs + 50;
				if (!late || atMs > late.atMs) late = {
					kind: "time",
					key,
					atMs,
					limit,
					why: `${whose(key)} window is used up (Remaining: 0 until ${iso(s.resetMs)})`
				};
			}
		}
		if (late) return late;
		return answer ? {
			kind: "answer",
			key: answer
		} : void 0;
	}
	acquire(keys) {
		for (const key of keys) this.state(key).inFlight++;
	}
	/** Ends a request: learns from the answer's headers (if any) and wakes waiting requests. */
	release(keys, room, info) {
		for (const key of keys) this.state(key).inFlight--;
		if (info) {
			this.learn("token", info.token);
			this.learn(room, info.room);
		}
		const wakers = this.wakers;
		this.wakers = [];
		for (const wake of wakers) wake();
	}
	/** Resolves at the next answer. */
	nextAnswer() {
		return new Promise((resolve) => this.wakers.push(resolve));
	}
	/** Holds every request using `key` until `atMs`. */
	hold(key, atMs, limit, why) {
		const s = this.state(key);
		if (!s.hold || s.hold.atMs < atMs) s.hold = {
			atMs,
			limit,
			why
		};
	}
	/** Takes in a window as announced; answers may arrive out of order, so never goes back. */
	learn(key, window) {
		if (window.resetMs === void 0) return;
		const s = this.state(key);
		if (window.limit !== void 0) s.limit = window.limit;
		if (s.resetMs === void 0 || window.resetMs > s.resetMs) {
			s.resetMs = window.resetMs;
			s.remaining = window.remaining;
		} else if (window.resetMs === s.resetMs && window.remaining !== void 0) s.remaining = Math.min(s.remaining ?? Infinity, window.remaining);
	}
};
/** The windows a request needs: an auth test counts against the token only, a post the room's too. */
function keysFor(room, authTest) {
	return authTest ? ["token"] : ["token", `room:${room}`];
}
// src/delivery/retry-loop.ts
/**
* The one retry loop, shared by minting the add-on token and by posting: admit a request,
* make it, turn what came back into an `AttemptResult`, ask the retry policy, and either end or
* wait and go again. What differs between the two (pacing, what a retry means) comes in as
* steps.
*/
/** Runs rounds until the policy says done or fail. Waits may throw (`BudgetExceeded`). */
async function retryLoop(clock, steps) {
	let ambiguousRetries = 0;
	for (let n = 1;; n++) {
		const budgetMs = await steps.admit(n);
		const { result, response } = await attemptOnce(() => steps.send(budgetMs));
		const decision = decide(result, n, ambiguousRetries, clock.now(), clock.random);
		if (decision.action === "done") return {
			action: "done",
			response,
			attempts: n
		};
		if (decision.action === "fail") return {
			action: "fail",
			ambiguous: decision.ambiguous,
			result,
			response,
			attempts: n
		};
		if (decision.ambiguous && steps.countAmbiguous) ambiguousRetries++;
		await steps.retry(decision, result);
	}
}
/** One request as an `AttemptResult`: its answer, or the transport failure. Other errors throw. */
async function attemptOnce(send) {
	try {
		const response = await send();
		const { status, headers, body, truncated } = response;
		return {
			result: {
				kind: "response",
				status,
				headers,
				body,
				truncated
			},
			response
		};
	} catch (error) {
		if (!(error instanceof TransportError)) throw error;
		return { result: {
			kind: "transport",
			error
		} };
	}
}
/** ` (after 3 attempts)` for a failure after retries, '' after the first. */
function afterAttempts(n) {
	return n > 1 ? ` (after ${n} attempts)` : "";
}
// src/delivery/post.ts
/**
* One room's delivery: the auth test (if asked), then the post, each with its retries, paced by
* the run's shared limiter and within its budget. Every room gets its own result; one room's
* failure never stops another's.
*/
/** Delivers to one room (the `index`-th) and returns its result; never throws for a failure. */
async function deliverToRoom(ctx, token, room, index) {
	const { plan, log, concurrency } = ctx;
	const result = {
		room,
		ok: false,
		status: null,
		attempts: 0
	};
	const waiting = { for: index >= concurrency ? `its turn (rooms are posted ${concurrency} at a time)` : void 0 };
	try {
		if (plan.authTest) {
			await request(ctx, token, room, true, result, waiting);
			log.info(`Room '${room}': auth test passed (${result.status}).`);
		}
		if (plan.dryRun) {
			result.ok = true;
			result.dry_run = true;
			log.info(`Room '${room}': dry run, nothing posted.`);
			return result;
		}
		await request(ctx, token, room, false, result, waiting);
		result.ok = true;
		logDelivered(log, result);
	} catch (error) {
		result.ok = false;
		result.error = error.message;
		if (error instanceof BudgetExceeded) {
			if (result.possibly_duplicated) result.error += MAYBE_POSTED;
		}
		logFailed(log, result);
	}
	if (!result.possibly_duplicated) delete result.possibly_duplicated;
	return result;
}
/** Said when the room fails, as `delivered` is; why, with what to do, is the run's error. */
function logFailed(log, result) {
	const { room, status, attempts } = result;
	const what = attempts === 0 ? "no request made" : `${status ?? "no answer"}, ${attempts} request${attempts === 1 ? "" : "s"}`;
	log.info(`Room '${room}': failed (${what}).`);
}
function logDelivered(log, result) {
	const { room, status, attempts } = result;
	log.info(`Room '${room}': delivered (${status}, ${attempts} request${attempts === 1 ? "" : "s"}).`);
	if (result.possibly_duplicated) log.warning(`Room '${room}': the notification may have been posted twice. A request HipChat may have acted on (an error 500 or 504, or a connection lost after the request was sent) was retried so that the notification is not lost.`);
}
/** One request with its retries. Returns once it succeeded, or throws with a clear message. */
async function request(ctx, token, room, authTest, result, waiting) {
	const { client, plan, limiter, budget, clock } = ctx;
	const subject = `room '${room}'`;
	const roomKey = `room:${room}`;
	const keys = keysFor(room, authTest);
	const end = await retryLoop(clock, {
		admit: async () => {
			const budgetMs = await admit(ctx, keys, subject, result.attempts > 0, waiting);
			result.attempts++;
			return budgetMs;
		},
		send: async (budgetMs) => {
			let response;
			try {
				response = await client.notify(token, room, plan.body, authTest, { budgetMs });
			} catch (error) {
				limiter.release(keys, roomKey, void 0);
				if (error instanceof TransportError) result.status = null;
				throw error;
			}
			result.status = response.status;
			limiter.release(keys, roomKey, readRateInfo(response.headers, clock.now()));
			return response;
		},
		countAmbiguous: true,
		retry: async (decision) => {
			if (decision.ambiguous) result.possibly_duplicated = true;
			const logKey = holdFor(limiter, decision, roomKey);
			waiting.for = `${LIMIT_WORDS[decision.limit]} (${decision.why})`;
			await budget.waitUntil(decision.atMs, decision.limit, subject, decision.why, logKey);
		}
	});
	if (end.action === "done") return;
	if (end.ambiguous) result.possibly_duplicated = true;
	throw new Error(failureText$1(client.server, room, authTest, end));
}
/**
* A 429 (or Retry-After) speaks for the window, not only this request: every request using
* it is held. Returns the key under which the wait is logged (once for all who share it).
*/
function holdFor(limiter, decision, roomKey) {
	if (decision.limit === "token" || decision.limit === "retry-after") {
		limiter.hold("token", decision.atMs, decision.limit, decision.why);
		return `token@${decision.atMs}`;
	}
	if (decision.limit === "room") {
		limiter.hold(roomKey, decision.atMs, decision.limit, decision.why);
		return `${roomKey}@${decision.atMs}`;
	}
}
/**
* Waits until every window the request needs allows it, then counts it as in flight.
* Returns what `max-wait` leaves the request.
*/
async function admit(ctx, keys, subject, next, waiting) {
	const { limiter, budget, clock } = ctx;
	for (;;) {
		const blocker = limiter.blocker(keys, clock.now());
		if (!blocker) break;
		if (blocker.kind === "answer") {
			waiting.for = `answers to the requests in flight (${whose(blocker.key)} window has room for no more until they come)`;
			await limiter.nextAnswer();
		} else {
			waiting.for = `${LIMIT_WORDS[blocker.limit]} (${blocker.why})`;
			const logKey = `${blocker.key}@${blocker.atMs}`;
			await budget.waitUntil(blocker.atMs, blocker.limit, subject, blocker.why, logKey);
		}
	}
	const budgetMs = budget.left(subject, next, waiting.for);
	limiter.acquire(keys);
	return budgetMs;
}
function failureText$1(server, room, authTest, end) {
	const after = afterAttempts(end.attempts);
	const maybe = end.ambiguous ? MAYBE_POSTED : "";
	if (end.response) {
		const action = authTest ? "auth-test" : "notify";
		return `${describeHttpError(end.response, {
			action,
			room,
			server
		})}${after}${maybe}`;
	}
	return `Room '${room}': ${end.result.kind === "transport" ? end.result.error.message : ""}${after}${maybe}`;
}
// src/delivery/index.ts
/**
* Delivery: posts one notification to every room, concurrently up to a small bound, pacing on
* HipChat's rate-limit headers (limiter.ts) and retrying by the policy in retry-policy.ts
* (retry-loop.ts). Every room gets its own result (post.ts); one room's failure never stops
* another's delivery.
*
* A request waits while a window it needs is used up, so a run does not provoke the 429s it can
* foresee; a 429 it could not foresee is waited out until the reset it announces. `max-wait` is
* the whole run's budget (budget.ts): no request starts once it is spent, and a request under
* way gets what is left of it when that is less than `timeout`.
*
* The token comes from the run's session (session.ts): with add-on credentials it is minted
* there, once, under the same retries and budget (mint.ts); when that fails, every room fails
* with the reason, like any failed delivery.
*/
/** How many rooms are posted at once by default: enough to overlap latency, few enough to be polite. */
const DEFAULT_CONCURRENCY = 4;
/**
* Posts (or auth-tests) for every room through the run's `session` (its token, pacing and
* budget) and returns one result per room, in the given order.
*/
async function deliver(session, plan, log) {
	const ctx = {
		client: session.poster(),
		plan,
		limiter: session.limiter,
		budget: session.budget,
		clock: session.clock,
		log,
		concurrency: Math.max(1, plan.concurrency ?? DEFAULT_CONCURRENCY)
	};
	let token = "";
	if (!plan.dryRun || plan.authTest) {
		const given = await session.token();
		if (typeof given !== "string") return plan.rooms.map((room) => unsent(room, given.error));
		token = given;
	}
	return mapBounded(plan.rooms, ctx.concurrency, (room, index) => deliverToRoom(ctx, token, room, index));
}
function unsent(room, error) {
	return {
		room,
		ok: false,
		status: null,
		attempts: 0,
		error
	};
}
// src/delivery/mint.ts
/**
* Minting the add-on token, under the same retries and budget as a post. Asking for a token
* posts nothing, so whatever the policy would retry is retried here even where HipChat may have
* acted (500, 504, a lost answer).
*/
/** What a minted token must look like to be used and masked: visible ASCII, 16 to 512 long. */
const PLAUSIBLE_TOKEN = /^[\x21-\x7e]{16,512}$/;
const SUBJECT = "the add-on token request";
/** Returns the minted (and masked) token, or the reason there is none. */
async function mintToken(client, credentials, budget, clock, log) {
	const waiting = {};
	let end;
	try {
		end = await retryLoop(clock, {
			admit: async (n) => budget.left(SUBJECT, n > 1, waiting.for),
			send: (budgetMs) => client.addonToken(credentials.id, credentials.secret, { budgetMs }, credentials.scopes),
			countAmbiguous: false,
			retry: async (decision, result) => {
				const why = retryWhy(decision, result);
				waiting.for = `${LIMIT_WORDS[decision.limit]} (${why})`;
				await budget.waitUntil(decision.atMs, decision.limit, SUBJECT, why);
			}
		});
	} catch (error) {
		if (error instanceof BudgetExceeded) return { error: error.message };
		throw error;
	}
	if (end.action === "fail") return { error: failureText(client.server, end) };
	const minted = end.response.token;
	const asked = `HipChat answered the add-on token request (POST ${client.server}/v2/oauth/token) with ${end.response.status}`;
	if (!minted) return { error: `${asked} but no access_token: is \`server\` really a HipChat server?` };
	if (!PLAUSIBLE_TOKEN.test(minted.access_token)) return { error: `${asked} and an access_token that is not a plausible token (${minted.access_token.length} characters; HipChat's are 16 or more visible ASCII characters): is \`server\` really a HipChat server?` };
	credentials.mask(minted.access_token);
	const expires = Number(minted.expires_in);
	const minutes = Number.isFinite(expires) ? Math.round(expires / 60) : 0;
	const scope = typeof minted.scope === "string" ? quotable(minted.scope, 100) : "";
	log.info(`Obtained an add-on token (scope: ${scope || "send_notification"}; valid ${minutes} min).`);
	return minted.access_token;
}
/** Why the token request is asked again; an ambiguous answer is no risk here, and says so. */
function retryWhy(decision, result) {
	if (!decision.ambiguous) return decision.why;
	return `${result.kind === "response" ? `the server answered ${result.status}` : result.error.message.replace(/\.$/, "")}; asking for a token posts nothing, so it is asked again`;
}
function failureText(server, end) {
	const after = afterAttempts(end.attempts);
	if (end.response) return `${describeHttpError(end.response, {
		action: "token",
		server
	})}${after}`;
	return `Could not obtain an add-on token: ${end.result.kind === "transport" ? end.result.error.message : ""}${after}`;
}
// src/delivery/session.ts
/**
* The run's HipChat session: the one owner of the run's token and of its pacing. Every HipChat
* call of a run — the room posts (index.ts), user lookups and the private message (people/), and
* any later call about a room or a person — goes through one session, so that:
*
* - the token is minted at most once per run (with add-on credentials, at the first call that
*   needs it, under the run's retries and `max-wait`; a failure is remembered, not retried by the
*   next caller, and every later call fails with the same reason);
* - every call counts against the same view of the token's window (`limiter`) and the same
*   `max-wait` (`budget`), so calls of different kinds never provoke each other's 429s.
*
* A new kind of call needs no token or pacing of its own: take the client and the token from the
* session and make the call through `request()` (or `pacedCall()` with a `Paced` of your own
* budget, as the lookups do with half of `max-wait`).
*/
/** A call that is not a room post counts against the token's window only. */
const TOKEN_ONLY = ["token"];
const NO_ROOM = "room:";
/** One run's HipChat session; `C` is the client type its callers need. */
var Session = class {
	/** The token's and the rooms' windows, shared by every call of the run. */
	limiter = new Limiter();
	/** `max-wait`: no call starts once it is spent. */
	budget;
	clock;
	#options;
	#client;
	#token;
	constructor(options) {
		this.#options = options;
		this.clock = options.clock;
		this.budget = new Budget(options.startMs, options.maxWaitMs, options.clock, options.log);
	}
	/** When the run started and how long it may take (`max-wait`), for budgets of a share of it. */
	get window() {
		return {
			startMs: this.#options.startMs,
			maxWaitMs: this.#options.maxWaitMs
		};
	}
	/** The client, made at the first call; undefined when the run makes no request. */
	client() {
		const connect = this.#options.connect;
		return connect ? this.#client ??= connect() : void 0;
	}
	/** The client to post with, or a stand-in that refuses when the run makes no request. */
	poster() {
		return this.client() ?? offline(this.#options.server);
	}
	/**
	* The run's token: the given one, or the add-on token, minted (and masked) at the first call
	* and never again. Every caller gets the same answer, a failure's reason included.
	*/
	token() {
		const { auth, log } = this.#options;
		if (typeof auth === "string") return Promise.resolve(auth);
		this.#token ??= mintToken(this.poster(), auth, this.budget, this.clock, log);
		return this.#token;
	}
	/**
	* One call that is not a room post (a lookup, a message, a room's history), with its retries,
	* paced on the token's window, inside `max-wait`. `send` makes the request with what
	* `max-wait` leaves it. Throws `BudgetExceeded` when time runs out; never for a failure.
	*/
	request(subject, send, options) {
		return pacedCall(this, subject, options.countAmbiguous, send);
	}
};
/**
* One call with its retries, paced on the token's window of `paced`, inside its budget. What
* `Session.request` does, for a caller that spends a budget of its own (a share of `max-wait`).
*/
async function pacedCall(paced, subject, countAmbiguous, send) {
	const { limiter, budget, clock } = paced;
	const waiting = {};
	let attempts = 0;
	let ambiguous = false;
	const end = await retryLoop(clock, {
		admit: async () => {
			const budgetMs = await admit(paced, TOKEN_ONLY, subject, attempts > 0, waiting);
			attempts++;
			return budgetMs;
		},
		send: async (budgetMs) => {
			try {
				const response = await send(budgetMs);
				limiter.release(TOKEN_ONLY, NO_ROOM, readRateInfo(response.headers, clock.now()));
				return response;
			} catch (error) {
				limiter.release(TOKEN_ONLY, NO_ROOM, void 0);
				throw error;
			}
		},
		countAmbiguous,
		retry: async (decision) => {
			if (decision.ambiguous) ambiguous = true;
			const logKey = holdFor(limiter, decision, NO_ROOM);
			waiting.for = `${LIMIT_WORDS[decision.limit]} (${decision.why})`;
			await budget.waitUntil(decision.atMs, decision.limit, subject, decision.why, logKey);
		}
	});
	if (end.action === "fail" && end.ambiguous) ambiguous = true;
	return {
		action: end.action,
		response: end.response,
		attempts: end.attempts,
		ambiguous,
		end
	};
}
/** Stands in for the client in a dry run without auth-test, where no request is made. */
function offline(server) {
	const refuse = () => Promise.reject(/* @__PURE__ */ new Error("A dry run without auth-test makes no request."));
	return {
		server,
		notify: refuse,
		addonToken: refuse
	};
}
// src/delivery/clock.ts
/** Wall-clock time, real timers and Math.random. */
const systemClock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
	random: Math.random
};
// src/people/resolve.ts
/** Resolves `author` through `users`, then the directory. Never rejects. */
async function resolveAuthor(author, users, lookup) {
	const plain = (how) => ({
		author,
		name: author.name || author.login,
		mentionName: "",
		messageTo: "",
		how
	});
	if (author.bot) return plain("the change was made by a bot, which has no HipChat user.");
	const mapped = author.login === "" ? void 0 : users.get(author.login.toLowerCase());
	if (mapped?.kind === "mention") return {
		author,
		name: author.name || author.login,
		mentionName: mapped.mentionName,
		messageTo: `@${mapped.mentionName}`,
		how: `\`users\` maps ${author.login} to @${mapped.mentionName}.`
	};
	const email = mapped?.email ?? author.email;
	const from = mapped ? `\`users\` maps ${author.login} to ${email}` : `the commit email ${email}`;
	if (mapped === void 0) {
		if (email === "") return plain(`the event gives no email that GitHub ties to ${author.login}; map the login in \`users\`.`);
		if (author.noreply) return plain(`the commit email ${email} is a noreply address; map the GitHub login in \`users\`.`);
	}
	const answer = await lookup(email);
	if (!answer.found && answer.failed === true) {
		const why = `HipChat's user directory could not be asked about ${email}: ${answer.reason}`;
		return answer.refused === true ? {
			...plain(why),
			refused: answer.reason
		} : plain(why);
	}
	if (!answer.found) return plain(`${from}, but HipChat has no user with that email.`);
	const { user } = answer;
	if (user.email.trim().toLowerCase() !== email) return plain(`HipChat answered for ${email} with a user of another email.`);
	if (!isMentionName(user.mention_name)) return plain(`HipChat's mention name for ${email} cannot be written as a mention.`);
	return {
		author,
		name: user.name || author.name || author.login,
		mentionName: user.mention_name,
		messageTo: String(user.id),
		how: `${from} belongs to HipChat user @${user.mention_name}.`
	};
}
/** Wraps a lookup so each reference is asked once per run (answers are kept, failures too). */
function cachedLookup(lookup) {
	const answers = /* @__PURE__ */ new Map();
	return (ref) => {
		const key = ref.toLowerCase();
		let answer = answers.get(key);
		if (answer === void 0) {
			answer = lookup(ref);
			answers.set(key, answer);
		}
		return answer;
	};
}
/**
* Reads a directory answer's JSON: the user, or undefined when a field is missing or of the
* wrong type (then nobody is pinged).
*/
function readDirectoryUser(body) {
	if (typeof body !== "object" || body === null) return void 0;
	const { id, name, mention_name: mentionName, email } = body;
	if (!Number.isInteger(id) || typeof mentionName !== "string" || typeof email !== "string") return;
	return {
		id,
		name: typeof name === "string" ? oneLine(name) : "",
		mention_name: mentionName,
		email
	};
}
// src/people/calls.ts
/**
* The HipChat calls about people — a user lookup and a private message — through the run's
* pacing (the token's window shared with the room posts), the one retry loop and `max-wait`,
* like every call. Neither ever throws for a failure: a lookup that fails names nobody, a
* private message that fails is its own result.
*/
/**
* Looks `ref` (an email) up in HipChat's directory. 404 is nobody; any other failure (scope,
* server, transport, `max-wait`) is `failed` with the reason, `refused` when the token may not.
*/
async function lookupUser(ctx, ref) {
	const subject = `the user lookup of ${ref}`;
	let end;
	try {
		end = await pacedCall(ctx, subject, false, (budgetMs) => ctx.client.user(ctx.token, ref, { budgetMs }));
	} catch (error) {
		if (error instanceof BudgetExceeded) return {
			found: false,
			failed: true,
			reason: error.message
		};
		throw error;
	}
	const { response } = end;
	if (end.action === "done" && response) {
		const user = readDirectoryUser(parseJson(response.body));
		if (user) return {
			found: true,
			user
		};
		return {
			found: false,
			failed: true,
			reason: `the answer (${response.status}) is not a HipChat user.`
		};
	}
	if (response?.status === 404) return { found: false };
	const refused = response?.status === 401 || response?.status === 403;
	return {
		found: false,
		failed: true,
		refused,
		reason: refused ? scopeAdvice("look users up", "view_group", response) : whyFailed(end)
	};
}
/**
* Sends (or with `authTest`, checks) the private message to `to` (an id or `@mention_name`).
* Returns its result for `results`; never throws for a failure.
*/
async function sendPrivateMessage(ctx, to, body, authTest) {
	const result = {
		kind: "private_message",
		user: to,
		ok: false,
		status: null,
		attempts: 0
	};
	const subject = `the private message to ${to}`;
	try {
		const end = await pacedCall(ctx, subject, true, (budgetMs) => ctx.client.privateMessage(ctx.token, to, body, authTest, { budgetMs }));
		result.attempts = end.attempts;
		result.status = end.response?.status ?? null;
		if (end.ambiguous) result.possibly_duplicated = true;
		if (end.action === "done") result.ok = true;
		else {
			const refused = end.response?.status === 401 || end.response?.status === 403;
			const what = authTest ? "Private message auth test" : "Private message";
			result.error = refused ? `${what} to ${to} refused: ${scopeAdvice("send private messages", "send_message", end.response)}` : `${what} to ${to} failed: ${whyFailed(end)}${end.ambiguous ? MAYBE_POSTED : ""}`;
		}
	} catch (error) {
		if (!(error instanceof BudgetExceeded)) throw error;
		result.error = error.message;
	}
	if (!result.possibly_duplicated) delete result.possibly_duplicated;
	return result;
}
/** Why a call failed, in one line: HipChat's words (quoted and escaped) or the transport's. */
function whyFailed(ended) {
	const { end } = ended;
	if (end.action === "fail" && end.response === void 0 && end.result.kind === "transport") return `${end.result.error.message}${afterAttempts(end.attempts)}`;
	return `HTTP ${ended.response?.status ?? "?"}${quoted(ended.response)}${afterAttempts(ended.attempts)}.`;
}
/** The advice for a token that may not make a call: which scope, and which token kinds have it. */
function scopeAdvice(what, scope, response) {
	return `the token may not ${what} (${response?.status ?? "?"}${quoted(response)}): it needs the ${scope} scope, which a room notification token never has. Use a personal access token, a user token or an add-on token with ${scope} (and send_notification for the rooms).`;
}
/** HipChat's error message as `, HipChat: "…"`, JSON-quoted so no server text can shape a log line. */
function quoted(response) {
	const said = response === void 0 ? void 0 : hipchatMessage(response.body);
	return said === void 0 ? "" : `, HipChat: ${JSON.stringify(said.slice(0, 200))}`;
}
function parseJson(body) {
	try {
		return JSON.parse(body);
	} catch {
		return;
	}
}
// src/people/author.ts
/**
* Who a run is about, read from the event payload alone (pure) — and only from what GitHub
* authenticates. A commit's author name and e-mail are whatever its author wrote (anyone can
* author a commit as anyone, and a fork writes every commit field of a `workflow_run`), so the
* person is always an account GitHub authenticated for this event:
*
* - `push`: the account that pushed (`sender.login`, else `pusher.name`);
* - `pull_request*`: the pull request's author (`pull_request.user.login`);
* - `workflow_run`: the triggering run's actor (`workflow_run.actor`, else its
*   `triggering_actor`, else `sender`).
*
* A commit e-mail is used (for HipChat's directory) only when GitHub ties it to that account:
* on a push — always to the repository itself — whose head commit's `author.username` (GitHub's
* account for that e-mail) is the pusher's login. Never on a `workflow_run` or a pull request,
* whose commits may come from a fork. Every field stays untrusted text; this module only picks
* and classifies it (docs/mentions.md).
*/
/** GitHub's noreply addresses: `login@…` or `id+login@users.noreply.github.com` (GHES: its host). */
const GITHUB_NOREPLY = /^(?:\d+\+)?[^@+]+@users\.noreply\.[^@]+$/i;
/** Any other address that nobody reads: `noreply@`, `no-reply@`, `donotreply@`… */
const OTHER_NOREPLY = /^(?:no-?reply|do-?not-?reply)(?:[+.-][^@]*)?@/i;
/** A GitHub login as GitHub allows them, plus the `[bot]` suffix of app accounts. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;
/** Longest email address SMTP allows (RFC 5321). */
const MAX_EMAIL = 254;
/** Event kinds `mention: author` knows how to read. */
function readsAuthor(eventName) {
	return eventName === "push" || eventName === "workflow_run" || isPullRequestEvent(eventName);
}
/**
* The authenticated person behind this run, or undefined when the event names none (other
* events, or no login of GitHub's shape). With `summary: run` the same person is meant.
*/
function findAuthor(eventName, event) {
	if (eventName === "push") {
		const sender = record(event, "sender");
		const login = validLogin(text$1(sender, "login")) || validLogin(text$1(record(event, "pusher"), "name"));
		if (login === "") return void 0;
		const author = record(record(event, "head_commit"), "author");
		const tied = text$1(author, "username").toLowerCase() === login.toLowerCase();
		const email = tied ? usableEmail(text$1(author, "email")) : "";
		return classify({
			login,
			name: tied && oneLine(text$1(author, "name")) || login,
			email,
			source: "pusher"
		}, sender["type"]);
	}
	if (isPullRequestEvent(eventName)) return account(record(record(event, "pull_request"), "user"), "pull request author");
	if (eventName === "workflow_run") {
		const run = record(event, "workflow_run");
		for (const holder of [record(run, "actor"), record(run, "triggering_actor")]) {
			const found = account(holder, "triggering run actor");
			if (found) return found;
		}
		return account(record(event, "sender"), "triggering run actor");
	}
}
/** An account object (`{ login, type }`) as the person, without an e-mail. */
function account(user, source) {
	const login = validLogin(text$1(user, "login"));
	if (login === "") return void 0;
	return classify({
		login,
		name: login,
		email: "",
		source
	}, user["type"]);
}
function validLogin(login) {
	return LOGIN.test(login) ? login : "";
}
function usableEmail(raw) {
	const email = raw.trim().toLowerCase();
	return email.length <= MAX_EMAIL && /^[^\s@]+@[^\s@]+$/.test(email) ? email : "";
}
function classify(fields, type) {
	const noreply = GITHUB_NOREPLY.test(fields.email) || OTHER_NOREPLY.test(fields.email);
	const bot = type === "Bot" || /\[bot\]$/i.test(fields.login) || /\[bot\]@/i.test(fields.email);
	return {
		...fields,
		bot,
		noreply
	};
}
function isPullRequestEvent(eventName) {
	return eventName.startsWith("pull_request");
}
// src/people/mention.ts
/** Whether this run looks for the author at all: only on a failure, only when asked. */
function wantsAuthor(settings, outcome) {
	return outcome === "failure" && (settings.mention === "author" || settings.privateMessage);
}
/**
* Plans the mention and the private message. Success, cancelled and skipped runs name nobody;
* bots, noreply addresses and unresolved people are named in plain text with one notice; html
* names the person without a ping and says so once. The directory is asked only when a ping or
* a private message can come of it.
*/
async function planMention(settings, run, lookup) {
	const plan = {
		messageTo: "",
		notices: [],
		info: []
	};
	if (!wantsAuthor(settings, run.outcome)) return plan;
	const author = readsAuthor(run.eventName) ? findAuthor(run.eventName, run.event) : void 0;
	if (author === void 0) {
		plan.notices.push(`${asked(settings)}: the ${run.eventName || "unknown"} event names no author of a change (push, pull_request and workflow_run do), so nobody is mentioned.`);
		return plan;
	}
	const html = settings.format === "html";
	if (html && !settings.privateMessage) {
		plan.person = personValue(nameOf(author));
		plan.notices.push(htmlNotice(plan.person.name));
		return plan;
	}
	const resolution = await resolveAuthor(author, settings.users, lookup);
	plan.resolution = resolution;
	plan.messageTo = settings.privateMessage ? resolution.messageTo : "";
	const pinged = resolution.mentionName !== "";
	if (settings.mention === "author") {
		plan.person = personValue(resolution.name, html ? "" : resolution.mentionName);
		if (html) plan.notices.push(htmlNotice(resolution.name));
	}
	if (pinged) plan.info.push(`${asked(settings)}: ${resolution.how}`);
	else {
		const what = settings.mention === "author" ? "named without a ping" : "sent no private message";
		plan.notices.push(`${asked(settings)}: ${resolution.name} is ${what}: ${resolution.how}`);
	}
	return plan;
}
function asked(settings) {
	return settings.mention === "author" ? "`mention: author`" : "`private-message`";
}
function nameOf(author) {
	return author.name || author.login;
}
function htmlNotice(name) {
	return `\`mention: author\` with \`format: html\`: HipChat pings only in text messages, so ${name} is named without a ping. Set \`format: text\` to ping them.`;
}
// src/people/private-message.ts
/**
* Sends the private message the plan calls for, after the rooms, and returns its result; none
* when no message is due. When the directory refused the token, the message could not be
* addressed: that is its failure, with the scope advice.
*/
async function messagePerson(plan, message, settings, calls, log) {
	if (!settings.privateMessage) return void 0;
	const to = plan.messageTo;
	if (to === "") {
		const refused = plan.resolution?.refused;
		if (refused === void 0) return void 0;
		return {
			kind: "private_message",
			user: "",
			ok: false,
			status: null,
			attempts: 0,
			error: `No private message sent: ${refused}`
		};
	}
	const body = {
		message,
		message_format: settings.format,
		notify: true
	};
	if (calls === void 0) {
		log.info(`Dry run: a private message would go to ${to}.`);
		return {
			kind: "private_message",
			user: to,
			ok: true,
			status: null,
			attempts: 0,
			dry_run: true
		};
	}
	let tested = 0;
	if (settings.authTest) {
		const test = await sendPrivateMessage(calls, to, body, true);
		if (!test.ok) return test;
		log.info(`Private message to ${to}: auth test passed (${test.status}).`);
		if (settings.dryRun) return {
			...test,
			dry_run: true
		};
		tested = test.attempts;
	}
	const sent = await sendPrivateMessage(calls, to, body, false);
	sent.attempts += tested;
	if (sent.ok) log.info(`Private message to ${to}: delivered (${sent.status}).`);
	return sent;
}
// src/people/index.ts
/**
* The people feature across a run, `mention: author` and `private-message`: before the
* message, who it names (lookups within half of `max-wait`, cached); after the rooms, the
* private message (private-message.ts). Calls go through the run's HipChat session (its client,
* token and pacing, shared with the room posts), so this module does no I/O of its own.
*/
/** The scopes a run's token needs beyond send_notification (asked for with add-on credentials). */
function peopleScopes(settings) {
	const scopes = [];
	if (settings.mention === "author" || settings.privateMessage) scopes.push("view_group");
	if (settings.privateMessage) scopes.push("send_message");
	return scopes;
}
/**
* Plans who the message names. `calls` is why no request can be made (a dry run without
* auth-test, no add-on token) when nobody can be looked up. `lookupBudget` is the share of `max-wait`
* lookups may use, so the room notification always keeps the rest.
*/
async function planPeople(settings, facts, calls, lookupBudget, log) {
	const plan = await planMention(settings, facts, typeof calls === "string" ? () => Promise.resolve({
		found: false,
		failed: true,
		reason: calls
	}) : cachedLookup((ref) => lookupUser({
		...calls,
		budget: lookupBudget
	}, ref)));
	for (const line of plan.info) log.info(line);
	for (const line of plan.notices) log.notice(line);
	return plan;
}
/** The people side of one run; `plan` before the message is built, `message` after the rooms. */
var People = class {
	#settings;
	#session;
	#log;
	#plan;
	#calls;
	/** @param session the run's HipChat session: client, token and pacing, shared with the rooms */
	constructor(settings, session, log) {
		this.#settings = settings;
		this.#session = session;
		this.#log = log;
	}
	/** Who the message names. HipChat is asked only on a failure, when a request may be made. */
	async plan(facts) {
		let calls = "a dry run without `auth-test` makes no request.";
		if (wantsAuthor(this.#settings, facts.outcome) && this.#session.client() !== void 0) calls = await this.#callContext();
		const { startMs, maxWaitMs } = this.#session.window;
		const lookupBudget = new Budget(startMs, Math.floor(maxWaitMs / 2), this.#session.clock, this.#log);
		this.#plan = await planPeople(this.#settings, facts, calls, lookupBudget, this.#log);
		return this.#plan;
	}
	/** Sends the private message the plan calls for (after the rooms); its result, if any. */
	async message(text) {
		if (this.#plan === void 0) return void 0;
		return messagePerson(this.#plan, text, this.#settings, this.#calls, this.#log);
	}
	/** The calls' context from the session (its token minted first if need be); or why none. */
	async #callContext() {
		const session = this.#session;
		const client = session.client();
		const token = await session.token();
		if (typeof token !== "string") return `no add-on token: ${token.error}`;
		const { limiter, budget, clock } = session;
		this.#calls = {
			client,
			token,
			limiter,
			budget,
			clock
		};
		return this.#calls;
	}
};
// src/http/hosts.ts
/**
* Host names as the transport compares them. A tiny module of its own: main.ts needs
* `isLoopback` on every run, while proxy.ts (which uses it too) loads only when a proxy
* variable is set.
*/
/** `host` as compared: lower case, no brackets around IPv6, no trailing dot. */
function normalizeHost(host) {
	return host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}
/** Whether the host is this machine: never sent to a proxy (as the Actions toolkit does). */
function isLoopback(host) {
	const h = normalizeHost(host);
	return h === "localhost" || h.endsWith(".localhost") || (0, node_net.isIP)(h) === 4 && h.startsWith("127.") || h === "::1" || h === "0:0:0:0:0:0:0:1";
}
// src/report/report.ts
/** A square in the room's colour, since the summary's sanitiser strips style attributes. */
const SWATCH = {
	yellow: "🟨",
	green: "🟩",
	red: "🟥",
	purple: "🟪",
	gray: "⬜",
	random: "🎲"
};
/** The rooms' results: entries without a `kind` (a private message's has one). */
function roomResults(results) {
	return results.filter((r) => !("kind" in r));
}
/** How many rooms received the notification (private messages are not rooms). */
function sentCount(results) {
	return roomResults(results).filter((r) => r.ok && !r.dry_run).length;
}
/**
* One message for all failed rooms and a failed private message, or undefined when all
* succeeded.
*/
function failureMessage(results) {
	const rooms = roomResults(results);
	const failed = rooms.filter((r) => !r.ok);
	const personal = results.find((r) => "kind" in r && !r.ok);
	const lines = [];
	if (failed.length === 1 && rooms.length === 1) lines.push(`HipChat notification failed: ${failed[0].error}`);
	else if (failed.length > 0) lines.push(`HipChat notification failed for ${failed.length} of ${rooms.length} rooms:\n${failed.map((r) => `- ${r.error}`).join("\n")}`);
	if (personal) lines.push(`HipChat private message failed: ${personal.error}`);
	return lines.length > 0 ? lines.join("\n") : void 0;
}
/**
* Untrusted text for a Markdown line or table cell: on one line, and every character HTML or
* Markdown gives a meaning to written as a character reference, so it can neither open a tag,
* a link or an image nor end the cell. It reads the same.
*/
function inertText(text) {
	return text.replace(/\r\n|\r|\n/g, " ").replace(/[&<>"'[\]!*_`~|\\]/g, (char) => `&#${char.charCodeAt(0)};`);
}
/**
* The message inside the summary's HTML block: a blank line would end the block and let what
* follows be read as Markdown, so no line break survives as one in the source. HipChat's html
* treats a line break as a space; a text message keeps its lines as `&#10;` inside `<pre>`.
*/
function quotedMessage(message, format) {
	return format === "html" ? message.replace(/\s*(\r\n|\r|\n)\s*/g, " ") : `<pre>${escapeHtml(message).replace(/\r\n|\r|\n/g, "&#10;")}</pre>`;
}
/** One row of the results table. */
function resultRow(r) {
	const outcome = r.ok ? r.dry_run ? "🔍 dry run (not posted)" : `✅ delivered${r.possibly_duplicated ? " (possibly twice)" : ""}` : `❌ ${inertText(r.error ?? "failed")}`;
	return `| ${inertText("kind" in r ? `private message to ${r.user || "(nobody)"}` : r.room)} | ${outcome} | ${r.status ?? "—"} | ${r.attempts} |`;
}
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
/** The summary's headline: the run's result (delivered, failed, dry run passed, skipped). */
function headline(input) {
	const results = roomResults(input.results);
	const failed = results.filter((r) => !r.ok).length;
	const rooms = plural(results.length, "room");
	if (input.skipped) return "⏭️ HipChat notification skipped";
	if (input.dryRun) return failed ? `❌ HipChat dry run failed for ${failed} of ${rooms}` : `🔍 HipChat dry run passed: ${rooms} checked, nothing sent`;
	const sent = sentCount(results);
	if (failed) return `❌ HipChat notification failed for ${failed} of ${rooms}${sent ? ` (delivered to ${sent})` : ""}`;
	return `✅ HipChat notification delivered to ${sent} of ${rooms}${results.some((r) => r.possibly_duplicated) ? ", possibly twice" : ""}`;
}
/** Texts as an HTML list on one line (so the summary's Markdown leaves it alone), inert. */
function htmlList(items) {
	return `<ul>${items.map((item) => `<li>${inertText(item)}</li>`).join("")}</ul>`;
}
/**
* The step summary: the result, the run's warnings, the message as HipChat shows it, and a
* table of rooms.
*/
function summaryMarkdown(input) {
	const { results } = input;
	const lines = [`### ${headline(input)}`, ""];
	if (input.skipped) lines.push(inertText(input.skipped), "");
	if (input.warnings?.length) lines.push("**Warnings**", "", htmlList(input.warnings), "");
	lines.push(`<blockquote>${quotedMessage(input.message, input.format)}</blockquote>`, "");
	lines.push(`<sub>colour: ${SWATCH[input.color]} ${input.color} · format: ${input.format} · ${input.message.length} characters</sub>`, "");
	if (results.length > 0) {
		lines.push("| Room | Result | HTTP | Requests |", "| --- | --- | --- | --- |");
		let size = lines.join("\n").length;
		for (const [index, r] of results.entries()) {
			const row = resultRow(r);
			if (size + row.length > 921600) {
				lines.push("", `<sub>Summary cut: ${results.length - index} more room${results.length - index === 1 ? "" : "s"} not shown (GitHub's step summary is limited to 1 MiB); the \`results\` output has them all.</sub>`);
				break;
			}
			lines.push(row);
			size += row.length + 1;
		}
		lines.push("");
	}
	return lines.join("\n");
}
/**
* The step summary of a run stopped before anything was attempted (invalid inputs, an
* unreadable event): what to fix, one item per problem.
*/
function notSentMarkdown(problems) {
	return [
		"### ❌ HipChat notification not sent",
		"",
		"Nothing was sent. Fix the workflow step:",
		"",
		htmlList(problems),
		""
	].join("\n");
}
/**
* Writes the summary of a run stopped before anything was attempted, saying what to fix. No
* outputs: nothing was attempted, so nothing is reported as if it had been.
*/
async function publishNotSent(sink, problems) {
	if (sink.appendSummary) await sink.appendSummary(notSentMarkdown(problems));
}
/** Sets the outputs and writes the summary. */
async function publish(sink, input) {
	sink.setOutput("message", input.message);
	sink.setOutput("sent", String(sentCount(input.results)));
	sink.setOutput("results", JSON.stringify(input.results));
	if (input.status !== void 0) sink.setOutput("status", input.status);
	const rooms = roomResults(input.results);
	const id = rooms.length === 1 ? rooms[0].message_id : void 0;
	if (id !== void 0) sink.setOutput("message-id", id);
	if (sink.appendSummary) await sink.appendSummary(summaryMarkdown(input));
}
// src/github/endpoint.ts
/**
* Where the GitHub API is: `GITHUB_API_URL`, which the runner sets (on GitHub Enterprise Server
* `https://ghes.example.com/api/v3`). Outside a runner, a `GITHUB_SERVER_URL` other than
* github.com gives the GHES API path; github.com is the last resort, never the first.
*/
function apiUrlOf(env) {
	const api = env.GITHUB_API_URL?.trim();
	if (api) return api.replace(/\/+$/, "");
	const server = env.GITHUB_SERVER_URL?.trim().replace(/\/+$/, "");
	if (server && !/^https:\/\/github\.com$/i.test(server)) return `${server}/api/v3`;
	return "https://api.github.com";
}
// src/github/wait-share.ts
/**
* How much of `max-wait` the GitHub API may use. The alert is what the step is for, so the
* posts keep a reserve: one `timeout`, or half of `max-wait` when that is smaller. GitHub gets
* the rest, and each of its requests `min(timeout, what is left of that)` (client.ts), so a
* GitHub that hangs costs at most `max-wait - reserve` and the step still ends within
* `max-wait`.
*/
/** The reserve kept for the posts, in milliseconds. */
function postReserveMs(maxWaitMs, timeoutMs) {
	return Math.min(timeoutMs, maxWaitMs / 2);
}
/** Epoch ms after which no GitHub request may run, for a run that started at `startMs`. */
function githubDeadline(startMs, maxWaitMs, timeoutMs) {
	return startMs + maxWaitMs - postReserveMs(maxWaitMs, timeoutMs);
}
/**
* The client options every GitHub lookup of a run uses (whole run, commits, send-when): this
* runner's API, the token, and a deadline that leaves the posts their reserve. One place, so no
* lookup can forget the reserve.
*/
function runClientOptions(settings, env, startMs, info) {
	return {
		apiUrl: apiUrlOf(env),
		token: settings.githubToken,
		timeoutMs: settings.timeoutMs,
		deadlineMs: githubDeadline(startMs, settings.maxWaitMs, settings.timeoutMs),
		info
	};
}
// src/send-when/step.ts
/**
* Applies `send-when`. Never throws for the API: it warns and sends instead, since a lost alert
* is worse than an extra one.
*/
async function checkSendWhen(settings, env, view, startMs, log) {
	const forNotify = settings.sendWhen === "always";
	if (forNotify && !needsPrevious(settings.notify)) return {};
	const { decideSend, findPreviousRun } = await Promise.resolve().then(() => require("./previous-run.js"));
	const early = decideSend(settings.sendWhen, view.status, void 0);
	if (!early.send) {
		const said = `send-when: ${settings.sendWhen}: ${early.reason}`;
		log.info(said);
		return { reason: said };
	}
	let previous;
	try {
		previous = await findPreviousRun({
			...runClientOptions(settings, env, startMs, log.info),
			repository: view.github.repository,
			runId: Number(view.github.run_id),
			branch: view.branch,
			event: view.github.event_name
		});
	} catch (error) {
		log.warning(forNotify ? `${error.message} \`notify\` cannot tell fixed or broken without it: the notification is sent, alerting only on the outcomes listed.` : `${error.message} The notification is sent anyway (\`send-when: ${settings.sendWhen}\`): a lost alert is worse than an extra one.`);
		return {};
	}
	const decision = decideSend(settings.sendWhen, view.status, previous);
	const said = forNotify ? `notify: the previous run ${previous ? `(#${previous.runNumber}) ended in ${previous.status}` : "with an outcome is unknown"}.` : `send-when: ${settings.sendWhen}: ${decision.reason}`;
	log.info(said);
	const extras = {
		previousStatus: previous?.status ?? "",
		changed: decision.changed
	};
	return decision.send ? { extras } : {
		extras,
		reason: said
	};
}
// node_modules/@actions/core/lib/utils.js
/**
* Sanitizes an input into a string so it can be passed into issueCommand safely
* @param input input to sanitize into a string
*/
function toCommandValue(input) {
	if (input === null || input === void 0) return "";
	else if (typeof input === "string" || input instanceof String) return input;
	return JSON.stringify(input);
}
/**
*
* @param annotationProperties
* @returns The command properties to send with the actual annotation command
* See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
*/
function toCommandProperties(annotationProperties) {
	if (!Object.keys(annotationProperties).length) return {};
	return {
		title: annotationProperties.title,
		file: annotationProperties.file,
		line: annotationProperties.startLine,
		endLine: annotationProperties.endLine,
		col: annotationProperties.startColumn,
		endColumn: annotationProperties.endColumn
	};
}
// node_modules/@actions/core/lib/command.js
/**
* Issues a command to the GitHub Actions runner
*
* @param command - The command name to issue
* @param properties - Additional properties for the command (key-value pairs)
* @param message - The message to include with the command
* @remarks
* This function outputs a specially formatted string to stdout that the Actions
* runner interprets as a command. These commands can control workflow behavior,
* set outputs, create annotations, mask values, and more.
*
* Command Format:
*   ::name key=value,key=value::message
*
* @example
* ```typescript
* // Issue a warning annotation
* issueCommand('warning', {}, 'This is a warning message');
* // Output: ::warning::This is a warning message
*
* // Set an environment variable
* issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
* // Output: ::set-env name=MY_VAR::some value
*
* // Add a secret mask
* issueCommand('add-mask', {}, 'secretValue123');
* // Output: ::add-mask::secretValue123
* ```
*
* @internal
* This is an internal utility function that powers the public API functions
* such as setSecret, warning, error, and exportVariable.
*/
function issueCommand(command, properties, message) {
	const cmd = new Command(command, properties, message);
	process.stdout.write(cmd.toString() + os.EOL);
}
const CMD_STRING = "::";
var Command = class {
	constructor(command, properties, message) {
		if (!command) command = "missing.command";
		this.command = command;
		this.properties = properties;
		this.message = message;
	}
	toString() {
		let cmdStr = CMD_STRING + this.command;
		if (this.properties && Object.keys(this.properties).length > 0) {
			cmdStr += " ";
			let first = true;
			for (const key in this.properties) if (this.properties.hasOwnProperty(key)) {
				const val = this.properties[key];
				if (val) {
					if (first) first = false;
					else cmdStr += ",";
					cmdStr += `${key}=${escapeProperty(val)}`;
				}
			}
		}
		cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
		return cmdStr;
	}
};
function escapeData(s) {
	return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
	return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}
// \0lazy-core-crypto
var require__lazy_core_crypto = /* @__PURE__ */ require_rolldown_runtime.__commonJSMin(((exports) => {
	exports.randomUUID = (...args) => require("node:crypto").randomUUID(...args);
}));
// node_modules/@actions/core/lib/file-command.js
var import__lazy_core_crypto = /* @__PURE__ */ require_rolldown_runtime.__toESM(require__lazy_core_crypto(), 1);
function issueFileCommand(command, message) {
	const filePath = process.env[`GITHUB_${command}`];
	if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
	if (!fs.existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
	fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, { encoding: "utf8" });
}
function prepareKeyValueMessage(key, value) {
	const delimiter = `ghadelimiter_${import__lazy_core_crypto.randomUUID()}`;
	const convertedValue = toCommandValue(value);
	if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
	if (convertedValue.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
	return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}
/**
* The code to exit an action
*/
var ExitCode;
(function(ExitCode) {
	/**
	* A code indicating that the action was successful
	*/
	ExitCode[ExitCode["Success"] = 0] = "Success";
	/**
	* A code indicating that the action was a failure
	*/
	ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
/**
* Registers a secret which will get masked from logs
*
* @param secret - Value of the secret to be masked
* @remarks
* This function instructs the Actions runner to mask the specified value in any
* logs produced during the workflow run. Once registered, the secret value will
* be replaced with asterisks (***) whenever it appears in console output, logs,
* or error messages.
*
* This is useful for protecting sensitive information such as:
* - API keys
* - Access tokens
* - Authentication credentials
* - URL parameters containing signatures (SAS tokens)
*
* Note that masking only affects future logs; any previous appearances of the
* secret in logs before calling this function will remain unmasked.
*
* @example
* ```typescript
* // Register an API token as a secret
* const apiToken = "abc123xyz456";
* setSecret(apiToken);
*
* // Now any logs containing this value will show *** instead
* console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
* ```
*/
function setSecret(secret) {
	issueCommand("add-mask", {}, secret);
}
/**
* Sets the value of an output.
*
* @param     name     name of the output to set
* @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
*/
function setOutput(name, value) {
	if (process.env["GITHUB_OUTPUT"] || "") return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
	process.stdout.write(os.EOL);
	issueCommand("set-output", { name }, toCommandValue(value));
}
/**
* Sets the action status to failed.
* When the action exits it will be with an exit code of 1
* @param message add error issue message
*/
function setFailed(message) {
	process.exitCode = ExitCode.Failure;
	error(message);
}
/**
* Writes debug message to user log
* @param message debug message
*/
function debug(message) {
	issueCommand("debug", {}, message);
}
/**
* Adds an error issue
* @param message error issue message. Errors will be converted to string via toString()
* @param properties optional properties to add to the annotation.
*/
function error(message, properties = {}) {
	issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
* Adds a warning issue
* @param message warning issue message. Errors will be converted to string via toString()
* @param properties optional properties to add to the annotation.
*/
function warning(message, properties = {}) {
	issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
* Adds a notice issue
* @param message notice issue message. Errors will be converted to string via toString()
* @param properties optional properties to add to the annotation.
*/
function notice(message, properties = {}) {
	issueCommand("notice", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
* Writes info to log with console.log.
* @param message info message
*/
function info(message) {
	process.stdout.write(message + os.EOL);
}
// src/report/runner-io.ts
/**
* Everything the action writes for the runner, in one place: log lines, annotations, outputs,
* the step summary and the failure. Each text is redacted of the run's secrets (whole or in
* part) and every log line passes one gate, `inertLines`: no line can start or hold a workflow
* command in either of the runner's syntaxes (`::…`, `##[…]`), whatever outside text it carries.
*/
/**
* The gate every log line passes (last, after redaction): `text` as lines the runner cannot read
* as a workflow command, whatever outside text it carries. The runner reads its stdout line by
* line (CR or LF) and acts on two syntaxes: `::name …::value` where a line's first non-blank
* characters are `::`, and the older `##[name …]value` anywhere in a line (see
* docs/security.md). So: line breaks of any kind become `\n`, controls and invisible format
* characters go (a zero-width character between two colons must not vanish later, and none
* can hide a command from a reader), a line starting with `::` gets them spaced out, and every
* `##[` becomes `## [`. Only spaces are added, so no new command can form.
*/
function inertLines(text) {
	return visibleLines(text).split("\n").map((line) => line.replace(/^(\s*):(?=:)/, "$1: ").replace(/##\[/g, "## [")).join("\n");
}
/** @actions/core as a backend (member calls, so the bundle keeps only what is used). */
const CORE = {
	info: (message) => info(message),
	warning: (message) => warning(message),
	notice: (message) => notice(message),
	debug: (message) => debug(message),
	setFailed: (message) => setFailed(message),
	setOutput: (name, value) => process.env.GITHUB_OUTPUT ? writeStepOutput(name, value) : setOutput(name, value),
	setSecret: (secret) => setSecret(secret),
	appendSummary: async (markdown) => appendStepSummary(markdown)
};
/**
* Appends one output to the `GITHUB_OUTPUT` file as `core.setOutput` does — `name<<DELIMITER`,
* the value, the delimiter, each on its own line — but without `node:crypto`, which every run
* would load (CONTRIBUTING.md: Keeping start-up fast). The runner reads the value up to the delimiter,
* so what keeps a value from adding outputs is that the delimiter occurs in neither the name nor
* the value: that is checked, and a delimiter that does occur is replaced, where core.setOutput
* would throw. Being unguessable adds nothing once that holds, so `Math.random` serves.
*/
function writeStepOutput(name, value) {
	const file = process.env.GITHUB_OUTPUT ?? "";
	if (!(0, node_fs.existsSync)(file)) throw new Error(`Missing file at path: ${file}`);
	let delimiter = outputDelimiter();
	while (name.includes(delimiter) || value.includes(delimiter)) delimiter = outputDelimiter();
	(0, node_fs.appendFileSync)(file, `${name}<<${delimiter}${node_os.EOL}${value}${node_os.EOL}${delimiter}${node_os.EOL}`, { encoding: "utf8" });
}
function outputDelimiter() {
	const random = () => Math.random().toString(36).slice(2, 12).padEnd(10, "0");
	return `ghadelimiter_${random()}${random()}${random()}`;
}
/**
* Appends `markdown` and a line end to the step summary file: the checks, errors and bytes of
* `core.summary.addRaw(markdown, true).write()`, done synchronously. `core.summary` takes
* `fs.promises` as it loads, and its first asynchronous file call starts libuv's thread pool:
* on every run, for a few hundred bytes (CONTRIBUTING.md: Keeping start-up fast).
*/
function appendStepSummary(markdown) {
	const file = process.env.GITHUB_STEP_SUMMARY;
	if (!file) throw new Error("Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.");
	try {
		(0, node_fs.accessSync)(file, node_fs.constants.R_OK | node_fs.constants.W_OK);
	} catch {
		throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
	}
	(0, node_fs.appendFileSync)(file, `${markdown}${node_os.EOL}`, { encoding: "utf8" });
}
/**
* The runner's sinks (through @actions/core unless another `backend` is given), every text
* redacted by `secrets` first and every log line inert.
*/
function runnerIo(env, secrets, backend = CORE) {
	const clean = (text) => inertLines(secrets.redact(text));
	return {
		info: (message) => backend.info(clean(message)),
		warning: (message) => backend.warning(clean(message)),
		notice: (message) => backend.notice ? backend.notice(clean(message)) : backend.info(clean(message)),
		debug: (message) => backend.debug(clean(message)),
		setFailed: (message) => backend.setFailed(clean(message)),
		setOutput: (name, value) => backend.setOutput(name, secrets.redact(value)),
		setSecret: (secret) => {
			secrets.add(secret);
			backend.setSecret(secret);
		},
		appendSummary: env.GITHUB_STEP_SUMMARY ? (markdown) => backend.appendSummary(secrets.redact(markdown)) : void 0
	};
}
// src/whole-run/gate.ts
/**
* Whether and how a run asks GitHub about its jobs (`summary`), and what it does when it
* cannot: never a lost alert. `summary: job` asks only when there is a failed step to name (or
* the template names `job_url`, `failed_step` or `duration`), and without access it says so in one notice
* and sends today's message. `summary: run` always asks; without access the outcome is what
* `needs` says, else `unknown` (verdict.ts): never this job's own status.
*
* Small and in every run's chunk; the GitHub client and the collector load only when asked.
*/
/** The view names a template can use that only the API fills in for `summary: job`. */
const JOB_NAMES = /\{\{[{&#^]?\s*(job_url|failed_step|duration)\b/;
/** Whether this run asks GitHub about its job(s), given the reported outcome. */
function wantsJobFacts(settings, outcome) {
	if (settings.summary === "run") return true;
	return outcome === "failure" || JOB_NAMES.test(settings.template);
}
/**
* The run a `summary: run` of a `workflow_run` event reports: the one that triggered this
* workflow (its jobs are the news, and the built-in message links it), not the notifier's own.
*/
function triggeringRun(env, event) {
	if (env.GITHUB_EVENT_NAME !== "workflow_run") return void 0;
	const run = event.workflow_run;
	const runId = Number(run?.id);
	if (!Number.isSafeInteger(runId) || runId <= 0) return void 0;
	return {
		runId,
		attempt: Number(run?.run_attempt)
	};
}
/** The run's coordinates, or why the lookups cannot be made. */
function whereOf(settings, env, event) {
	const runnerName = env.RUNNER_NAME?.trim() ?? "";
	const other = settings.summary === "run" ? triggeringRun(env, event) : void 0;
	const repository = env.GITHUB_REPOSITORY ?? "";
	const runId = other?.runId ?? Number(env.GITHUB_RUN_ID);
	const attempt = other?.attempt ?? Number(env.GITHUB_RUN_ATTEMPT);
	if (!settings.githubToken) return "`github-token` is empty (default `${{ github.token }}`).";
	if (!/^[\w.-]+\/[\w.-]+$/.test(repository) || !Number.isSafeInteger(runId) || runId <= 0) return "GITHUB_REPOSITORY or GITHUB_RUN_ID is not set: this is not a workflow run.";
	if (settings.summary === "job" && !runnerName) return "RUNNER_NAME is not set, so this job cannot be told apart from the others.";
	return {
		repository,
		runId,
		attempt: Number.isSafeInteger(attempt) && attempt > 0 ? attempt : 1,
		runnerName
	};
}
/**
* Runs the whole-run lookups `settings` ask for, for this run — or, with `summary: run` on a
* `workflow_run` event, for the run that triggered it. Never throws for the API: `summary:
* job` degrades to today's message, `summary: run` to what `needs` says, else to `unknown`.
*/
async function readWholeRun(settings, env, event, outcome, startMs, secrets, log) {
	if (!wantsJobFacts(settings, outcome)) return {};
	const where = whereOf(settings, env, event);
	const lookup = {
		settings,
		env,
		startMs,
		secrets,
		log
	};
	if (settings.summary === "run") {
		const read = typeof where === "string" ? {
			error: where,
			detail: where
		} : await readJobs(lookup, where);
		const { runVerdict } = await Promise.resolve().then(() => require("./verdict.js"));
		const verdict = runVerdict(settings.needs, "error" in read ? read : {
			missing: 0,
			...read
		});
		if (verdict.warning) log.warning(verdict.warning);
		if (verdict.notice) log.notice(verdict.notice);
		log.info(verdict.info);
		return {
			facts: {
				..."error" in read ? {
					scope: "run",
					jobs: []
				} : read,
				note: verdict.note
			},
			status: verdict.status
		};
	}
	const degrade = (why) => {
		log.notice(`summary: job: the failed step and the job's link are left out: ${why}`);
		return {};
	};
	if (typeof where === "string") return degrade(where);
	const read = await readJobs(lookup, where);
	return "error" in read ? degrade(read.detail) : { facts: read };
}
/** The facts `collect` gives, or why the jobs could not be read (in short, and with advice). */
async function readJobs({ settings, env, startMs, secrets, log }, where) {
	const [{ GitHubClient }, { collect }, errors] = await Promise.all([
		Promise.resolve().then(() => require("./client.js")),
		Promise.resolve().then(() => require("./collect.js")),
		Promise.resolve().then(() => require("./errors.js"))
	]);
	const client = new GitHubClient(runClientOptions(settings, env, startMs, log.info));
	try {
		const { summary: scope, logLines } = settings;
		return await collect({
			client,
			scope,
			...where,
			logLines,
			secrets,
			info: log.info
		});
	} catch (error) {
		if (!(error instanceof errors.GitHubError)) {
			const said = errors.serverText(String(error), 300);
			return {
				error: errors.serverText(String(error), 100),
				detail: `could not read the jobs: ${said}`
			};
		}
		const context = {
			apiUrl: client.apiUrl,
			repository: where.repository,
			subject: `the jobs of run ${where.runId}`
		};
		return {
			error: error.status ? `GitHub answered ${error.status}` : errors.serverText(error.message, 100),
			detail: `could not read the jobs (${error.request}): ${errors.advice(error, context)}`
		};
	} finally {
		await client.close();
	}
}
// src/main.ts
/**
* The action's story: inputs → context → message → deliveries → report.
* One catch at the end turns any error into the step's single failure message.
*/
/**
* Outputs and the step summary. A summary that cannot be written is a warning: by then the
* notification has been delivered (or not), the outputs say so, and a delivered alert must not
* turn the step red.
*/
function sinkFor(io) {
	const append = io.appendSummary;
	return {
		setOutput: (name, value) => io.setOutput(name, value),
		appendSummary: append ? async (markdown) => {
			try {
				await append(markdown);
			} catch (error) {
				io.warning(`Could not write the step summary (${error instanceof Error ? error.message : String(error)}); the outputs and this log still tell what was sent.`);
			}
		} : void 0
	};
}
/** An input as the runner passes it (`INPUT_<NAME>`), trimmed as @actions/core's getInput does. */
function inputReader(env) {
	return (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
/**
* Runs the action once. Never throws: failures end as one `setFailed` with advice. `env` holds
* the inputs and the runner's variables; `io` (default: the runner's, through @actions/core)
* is where every text goes, redacted of the run's `secrets` first (outputs and the step
* summary are not masked by the runner).
*/
async function run(env = process.env, secrets = new Secrets(), runner = runnerIo(env, secrets)) {
	const startMs = Date.now();
	const warnings = [];
	const io = {
		...runner,
		warning: (m) => (warnings.push(m), runner.warning(m))
	};
	const sink = sinkFor(io);
	let client;
	let reported = false;
	try {
		const read = withoutUnevaluatedExpressions(inputReader(env), io.info);
		maskSecrets(read, io.setSecret);
		const parseYaml = await loadYamlParser(read);
		const inputs = parseInputs(read, env.GITHUB_WORKSPACE || process.cwd(), parseYaml);
		warnAboutTransport(inputs, io);
		const network = !inputs.dryRun || inputs.authTest;
		const connect = () => {
			const { server, timeoutMs } = inputs;
			return client ??= new HipChatClient({
				server,
				timeoutMs,
				env,
				secrets
			});
		};
		const session = new Session({
			server: inputs.server,
			connect: network ? connect : void 0,
			auth: authOf(inputs, io.setSecret),
			startMs,
			maxWaitMs: inputs.maxWaitMs,
			clock: systemClock,
			log: io
		});
		const people = new People(inputs, session, io);
		const composed = await composeMessage(inputs, env, startMs, io, people, secrets);
		const body = redactDeep(composed.body, secrets);
		const { message, color, message_format: format } = body;
		const report = {
			message,
			color,
			format,
			warnings,
			status: composed.status
		};
		reported = true;
		if (composed.skipped) {
			await publish(sink, {
				...report,
				results: [],
				dryRun: inputs.dryRun,
				skipped: composed.skipped
			});
			return;
		}
		const rooms = await deliverAll(session, inputs, body, io);
		const personal = redactDeep(composed.personal ?? body.message, secrets);
		const privately = await people.message(personal);
		const results = privately ? [...rooms, privately] : rooms;
		if (await published(sink, {
			...report,
			results,
			dryRun: inputs.dryRun
		}, io)) conclude(inputs, results, io);
	} catch (error) {
		io.setFailed(error instanceof Error ? error.message : String(error));
		if (!reported) await publishNotSent(sink, problemsOf(error));
	} finally {
		await client?.close();
	}
}
/** What stopped the run before anything was attempted: one item per problem to fix. */
function problemsOf(error) {
	if (error instanceof InputError) return error.problems;
	return [error instanceof Error ? error.message : String(error)];
}
/**
* Publishes the report; when the outputs cannot be written (GITHUB_OUTPUT unwritable), fails
* the step saying what was delivered, so nobody re-runs a delivered alert. False then.
*/
async function published(sink, report, io) {
	try {
		await publish(sink, report);
		return true;
	} catch (error) {
		const roomsOnly = roomResults(report.results);
		const rooms = roomsOnly.length;
		const delivered = roomsOnly.filter((r) => r.ok && !r.dry_run).map((r) => `'${r.room}'`);
		const what = report.dryRun ? `The dry run checked ${rooms} room${rooms === 1 ? "" : "s"}` : `The notification was delivered to ${delivered.length} of ${rooms} room${rooms === 1 ? "" : "s"}${delivered.length ? ` (${delivered.join(", ")})` : ""}`;
		io.setFailed(`${what}, but the step's outputs could not be written (${error instanceof Error ? error.message : String(error)}). Do not re-run only to deliver it again.`);
		return false;
	}
}
/**
* The context and the message. The facts first: the event, the reports, and what `summary`
* learns of the run's jobs (with `summary: run`, the status they add up to). Then the view,
* once: the send-when and people steps read it, and their answers (the previous run, who is
* named) complete it. Then the message, once; and the private message, when one is due.
*/
async function composeMessage(inputs, env, startMs, io, people, secrets) {
	const event = readEvent(env.GITHUB_EVENT_PATH);
	const deadlineMs = githubDeadline(startMs, inputs.maxWaitMs, inputs.timeoutMs);
	const workspace = env.GITHUB_WORKSPACE || process.cwd();
	const tests = await readTests(inputs.testResults, workspace, deadlineMs, secrets, io);
	const whole = await readWholeRun(inputs, env, event, outcomeOf(normalizeStatus(inputs.status)), startMs, secrets, io);
	const commits = inputs.commits > 0 ? await listCommits(inputs, env, event, startMs, io) : void 0;
	const status = whole.status ?? inputs.status;
	const started = whole.facts?.startedAtMs;
	const durationSeconds = started === void 0 ? void 0 : Math.max(0, (Date.now() - started) / 1e3);
	const facts = buildView(env, event, status, {
		vars: inputs.vars,
		tests,
		run: whole.facts,
		commits,
		durationSeconds
	});
	const skip = await checkSendWhen(inputs, env, facts, startMs, io);
	const run = {
		eventName: facts.github.event_name,
		event,
		outcome: facts.outcome
	};
	const plan = skip.reason ? void 0 : await people.plan(run);
	const view = withAnswers(facts, {
		...skip.extras,
		mention: plan?.person
	});
	const { body, warnings } = buildMessage(inputs, view, secrets);
	for (const warning of warnings) io.warning(warning);
	const composed = {
		body,
		status: view.status
	};
	if (skip.reason) return {
		...composed,
		skipped: skip.reason
	};
	if (plan?.messageTo === "" || plan?.person === void 0) return composed;
	const personal = {
		...view,
		mention: personValue(plan.person.name)
	};
	return {
		...composed,
		personal: buildMessage(inputs, personal, secrets).body.message
	};
}
/** `commits`: the gate loads only when asked for, so a plain delivery never compiles it. */
async function listCommits(inputs, env, event, startMs, io) {
	const { readCommits } = await Promise.resolve().then(() => require("./gate.js"));
	return readCommits(inputs, env, event, startMs, io);
}
/**
* Reads the `test-results` reports, loading the glob and the XML parser only then. Every
* problem is a warning: reports are the workspace's, and a broken one must not cost the alert.
*/
async function readTests(patterns, workspace, deadlineMs, secrets, io) {
	if (patterns.length === 0) return void 0;
	try {
		const { readTestResults } = await Promise.resolve().then(() => require("./read-reports.js"));
		const { view, warnings } = await readTestResults(patterns, workspace, void 0, deadlineMs, secrets);
		for (const warning of warnings) io.warning(warning);
		io.info(`test-results: ${view.reports} report${view.reports === 1 ? "" : "s"} read: ${testCounts(view)}.`);
		return view;
	} catch (error) {
		io.warning(`\`test-results\`: the reports could not be read (${error instanceof Error ? error.message : String(error)}); the notification goes out without them.`);
		return;
	}
}
/**
* The run's token as the session takes it: the given one, or add-on credentials with every
* scope the run needs (the session mints with them, masked at once, at most once).
*/
function authOf(inputs, mask) {
	const { auth } = inputs;
	if (auth.kind === "token") return auth.token;
	const history = inputs.lookupId ? ["view_messages"] : [];
	const scopes = [
		"send_notification",
		...peopleScopes(inputs),
		...history
	];
	return {
		id: auth.id,
		secret: auth.secret,
		mask,
		scopes
	};
}
/**
* Delivers to every room through the run's session (the token is minted there if need be);
* with `lookup-id`, then reads each room's notification id back.
*/
async function deliverAll(session, inputs, body, io) {
	const rooms = inputs.rooms.length;
	io.info(`${inputs.dryRun ? "Dry run: checking" : "Posting to"} ${rooms} room${rooms === 1 ? "" : "s"} on ${inputs.server}.`);
	const { authTest, dryRun } = inputs;
	const results = await deliver(session, {
		rooms: inputs.rooms,
		body,
		authTest,
		dryRun
	}, io);
	if (inputs.lookupId) await lookUpIds(inputs, session, body, results, io);
	return results;
}
/**
* `lookup-id` (its code loads only then): each delivered room's notification id, read back from
* the room's history with the session's token and pacing; in a dry run with `auth-test`, only
* whether the token may read it. Never fails the step.
*/
async function lookUpIds(inputs, session, body, rooms, io) {
	const client = session.client();
	if (client === void 0) return;
	const token = await session.token();
	if (typeof token !== "string") return;
	const { lookUpIds: lookUp, authTestHistory } = await Promise.resolve().then(() => require("./lookup.js"));
	const { limiter, budget, clock } = session;
	const ctx = {
		client,
		token,
		limiter,
		budget,
		clock,
		log: io,
		startMs: session.window.startMs
	};
	if (!inputs.dryRun) await lookUp(ctx, rooms, {
		message: body.message,
		from: body.from ?? "",
		cardId: body.card?.id
	});
	else if (inputs.authTest) await authTestHistory(ctx, inputs.rooms);
}
/** The step's verdict: failed (or warned, with `fail-on-error: false`), or how many got it. */
function conclude(inputs, results, io) {
	const failure = failureMessage(results);
	if (failure && inputs.failOnError) io.setFailed(failure);
	else if (failure) io.warning(`${failure}\n(\`fail-on-error\` is false: the step stays green.)`);
	else if (!inputs.dryRun) io.info(`Sent to ${sentCount(results)} of ${roomResults(results).length}.`);
}
function warnAboutTransport(inputs, io) {
	const loopback = isLoopback(new URL(inputs.server).hostname);
	if (inputs.server.startsWith("http://") && !loopback && !inputs.dryRun) io.warning(`\`server\` is ${inputs.server}: the token will cross the network unencrypted. Use https:// unless the server is on this machine or a trusted link.`);
}
// src/index.ts
/** Entry point of the bundle: the only side effect at import is running the action. */
run();
exports.BudgetExceeded = BudgetExceeded;
exports.MESSAGE_ID = MESSAGE_ID;
exports.NO_SECRETS = NO_SECRETS;
exports.Routes = Routes;
exports.TransportError = TransportError;
exports.admit = admit;
exports.computeStatus = computeStatus;
exports.decide = decide;
exports.ellipsis = ellipsis;
exports.findOwnJob = findOwnJob;
exports.fit = fit$1;
exports.flattenHeaders = flattenHeaders;
exports.guardedFactory = guardedFactory;
exports.hipchatMessage = hipchatMessage;
exports.holdFor = holdFor;
exports.isComparable = isComparable;
exports.isHtmlPage = isHtmlPage;
exports.isKnownStatus = isKnownStatus;
exports.isLoopback = isLoopback;
exports.jobFacts = jobFacts;
exports.mapBounded = mapBounded;
exports.needsStatus = needsStatus;
exports.normalizeHost = normalizeHost;
exports.normalizeStatus = normalizeStatus;
exports.oneLine = oneLine;
exports.outcomeChanged = outcomeChanged;
exports.outcomeOf = outcomeOf;
exports.pageTitle = pageTitle;
exports.pageUrl = pageUrl;
exports.parseRetryAfter = parseRetryAfter;
exports.quotable = quotable;
exports.readBounded = readBounded;
exports.readRateInfo = readRateInfo;
exports.reportedJobs = reportedJobs;
exports.request = request$1;
Object.defineProperty(exports, "require_agent", {
	enumerable: true,
	get: function() {
		return require_agent;
	}
});
Object.defineProperty(exports, "require_api_request", {
	enumerable: true,
	get: function() {
		return require_api_request;
	}
});
Object.defineProperty(exports, "require_client", {
	enumerable: true,
	get: function() {
		return require_client;
	}
});
Object.defineProperty(exports, "require_connect", {
	enumerable: true,
	get: function() {
		return require_connect;
	}
});
Object.defineProperty(exports, "require_diagnostics", {
	enumerable: true,
	get: function() {
		return require_diagnostics;
	}
});
Object.defineProperty(exports, "require_dispatcher", {
	enumerable: true,
	get: function() {
		return require_dispatcher;
	}
});
Object.defineProperty(exports, "require_dispatcher_base", {
	enumerable: true,
	get: function() {
		return require_dispatcher_base;
	}
});
Object.defineProperty(exports, "require_fixed_queue", {
	enumerable: true,
	get: function() {
		return require_fixed_queue;
	}
});
Object.defineProperty(exports, "require_pool", {
	enumerable: true,
	get: function() {
		return require_pool;
	}
});
Object.defineProperty(exports, "require_pool_base", {
	enumerable: true,
	get: function() {
		return require_pool_base;
	}
});
Object.defineProperty(exports, "require_redirect_handler", {
	enumerable: true,
	get: function() {
		return require_redirect_handler;
	}
});
Object.defineProperty(exports, "require_redirect_interceptor", {
	enumerable: true,
	get: function() {
		return require_redirect_interceptor;
	}
});
Object.defineProperty(exports, "require_util", {
	enumerable: true,
	get: function() {
		return require_util;
	}
});
exports.runClientOptions = runClientOptions;
exports.startDeadline = startDeadline;
exports.startOf = startOf;
exports.summarizeReports = summarizeReports;
exports.tally = tally;
