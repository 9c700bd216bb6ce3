const require_index = require("./index.js");
// src/commits/view.ts
/**
* The commit list a message can carry (`commits`): what the view calls `commits[]`,
* `commits_more` and `compare_url`, from a push's payload or — for a release — the GitHub
* compare API (release.ts). Every text from a commit is outside text: one line, bounded, and
* escaped and defused by the template like every value. Pure.
*/
/** Most characters of a commit title or author kept. */
const MAX_TITLE = 120;
const MAX_AUTHOR = 60;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i;
function record$1(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}
function str(value) {
	return typeof value === "string" ? value : "";
}
/** Text on one line, whitespace collapsed, at most `max` characters. */
function oneLine(value, max) {
	const flat = (value.split(/\r?\n|\r|\u2028|\u2029/, 1)[0] ?? "").replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
/**
* One commit as the list shows it, from a push payload's commit (`id`, `message`, `author`) or
* the compare API's (`sha`, `commit.message`, `commit.author`, `author.login`); undefined when
* it has no sha. The link is built from the repository's page, not taken from the payload.
*/
function commitView(raw, repositoryUrl) {
	const c = record$1(raw);
	const sha = str(c.id) || str(c.sha);
	if (!SHA.test(sha)) return void 0;
	const inner = record$1(c.commit);
	const message = str(c.message) || str(inner.message);
	const author = str(record$1(c.author).login) || str(record$1(c.author).username) || str(record$1(c.author).name) || str(record$1(inner.author).name);
	const base = require_index.pageUrl(repositoryUrl);
	return {
		sha: sha.toLowerCase(),
		short_sha: sha.slice(0, 7).toLowerCase(),
		url: base ? `${base.replace(/\/+$/, "")}/commit/${sha.toLowerCase()}` : "",
		title: oneLine(message, MAX_TITLE),
		author: oneLine(author, MAX_AUTHOR)
	};
}
/**
* A push's first `limit` commits (the payload lists at most 20, oldest first; commits already
* on another branch, `distinct: false`, are left out), and how many more it lists.
*/
function pushCommits(event, repositoryUrl, limit) {
	const all = (Array.isArray(event.commits) ? event.commits : []).filter((c) => record$1(c).distinct !== false).map((c) => commitView(c, repositoryUrl)).filter((c) => c !== void 0);
	const commits = all.slice(0, Math.max(0, limit));
	return {
		commits,
		more: all.length - commits.length,
		compareUrl: require_index.pageUrl(event.compare)
	};
}
// src/commits/gate.ts
/**
* `commits`: the commit list of a push (from its payload) or of a release (since the previous
* release, from the GitHub API: `contents: read`). Without access a release goes out without
* its list, saying so in one notice. Small and in every run's chunk: the GitHub client and the
* compare reader load only for a release run that asks.
*/
/** Why the API gave no commits, and what to do: a refusal is a missing `contents: read`. */
function refusal(error) {
	if (error.status !== 403 && error.status !== 404) return `could not read them (${error.request}): ${error.message}`;
	const said = error.githubMessage ? ` (${error.githubMessage})` : "";
	return `GitHub answered ${error.status} to ${error.request}${said}: grant \`permissions: contents: read\` to the job (or pass a \`github-token\` that has it).`;
}
const record = (value) => typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
/**
* The commits this run's message lists, or undefined (none asked for, another event, no
* previous release, or no access). Never throws for the API.
*/
async function readCommits(settings, env, event, startMs, log) {
	if (settings.commits <= 0) return void 0;
	const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
	const repositoryUrl = env.GITHUB_REPOSITORY ? `${server}/${env.GITHUB_REPOSITORY}` : "";
	const eventName = env.GITHUB_EVENT_NAME ?? "";
	if (eventName === "push") return pushCommits(event, repositoryUrl, settings.commits);
	if (eventName !== "release") return void 0;
	const release = record(event.release);
	const tag = typeof release.tag_name === "string" ? release.tag_name : "";
	const repository = env.GITHUB_REPOSITORY ?? "";
	const leftOut = (why) => {
		log.notice(`commits: the release's commits are left out: ${why}`);
	};
	if (!tag || !/^[\w.-]+\/[\w.-]+$/.test(repository)) return leftOut("the release has no tag, or GITHUB_REPOSITORY is not set.");
	if (!settings.githubToken) return leftOut("`github-token` is empty (default `${{ github.token }}`).");
	const [{ GitHubClient }, { releaseCommits }, errors] = await Promise.all([
		Promise.resolve().then(() => require("./client.js")),
		Promise.resolve().then(() => require("./release.js")),
		Promise.resolve().then(() => require("./errors.js"))
	]);
	const client = new GitHubClient(require_index.runClientOptions(settings, env, startMs, log.info));
	try {
		const list = await releaseCommits(client, {
			repository,
			tag,
			prerelease: release.prerelease === true,
			repositoryUrl,
			limit: settings.commits
		});
		if (!list) log.info(`commits: ${tag} is the first release: there is no earlier one to list the commits since.`);
		return list;
	} catch (error) {
		return leftOut(error instanceof errors.GitHubError ? refusal(error) : errors.serverText(String(error), 300));
	} finally {
		await client.close();
	}
}
exports.commitView = commitView;
exports.readCommits = readCommits;
