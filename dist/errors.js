// src/github/errors.ts
/** A failed GitHub request. `message` is a sentence for the log, without any token. */
var GitHubError = class extends Error {
	kind;
	/** `GET /repos/…`: the request, without host or query. */
	request;
	status;
	/** GitHub's own `message` field, already made safe with `serverText`. */
	githubMessage;
	constructor(kind, request, message, details = {}) {
		super(message, details.cause === void 0 ? void 0 : { cause: details.cause });
		this.name = "GitHubError";
		this.kind = kind;
		this.request = request;
		this.status = details.status;
		this.githubMessage = details.githubMessage;
	}
};
/**
* A server's text made fit for a log line or a message: control characters (CR, LF, NUL, ESC,
* the Unicode line separators) become spaces, the `::` that opens a workflow command is broken
* up, and the result is cut to `max` characters.
*/
function serverText(text, max = 200) {
	const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/::/g, ": :").trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
/** The permission the whole-run features need, as a workflow grants it. */
const PERMISSION_HINT = "grant `permissions: actions: read` to the job (or pass a `github-token` that has it)";
/** One sentence (or two) saying what happened and what to do. The token never appears. */
function advice(error, context) {
	if (error.kind !== "http") return error.message;
	const said = error.githubMessage ? `: ${error.githubMessage}` : "";
	const answer = `GitHub answered ${error.status}${said}.`;
	switch (error.status) {
		case 401: return `${answer} The token was rejected: check the \`github-token\` input (default \`\${{ github.token }}\`).`;
		case 403: return `${answer} The token may not read workflow runs: ${PERMISSION_HINT}.`;
		case 404: return `${answer} Check that the repository ${context.repository} and ${context.subject} exist; on a private repository GitHub also answers 404 when the token lacks \`actions: read\`, so ${PERMISSION_HINT}.`;
		default: return `${answer} GitHub may be having trouble; try again later.`;
	}
}
exports.GitHubError = GitHubError;
exports.advice = advice;
exports.serverText = serverText;
