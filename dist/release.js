const require_gate = require("./gate.js");
const require_index = require("./index.js");
// src/commits/release.ts
/**
* The tag of the release before `tag` in `releases` (newest first): the next one listed that
* is published — and, for a full release, not a pre-release, so `v2.0.0` lists everything since
* `v1.9.0`, not since `v2.0.0-rc.1`. '' when there is none.
*/
function previousTag(releases, tag, prerelease) {
	const at = releases.findIndex((r) => r?.tag_name === tag);
	for (const release of releases.slice(at + 1)) {
		if (typeof release?.tag_name !== "string" || release.tag_name === tag) continue;
		if (release.draft === true || !prerelease && release.prerelease === true) continue;
		return release.tag_name;
	}
	return "";
}
/**
* The commits since the previous release, or undefined when there is no previous release.
* Rejects with a `GitHubError` when the API refuses (e.g. without `contents: read`).
*/
async function releaseCommits(client, ref) {
	const base = `/repos/${ref.repository}`;
	const releases = await client.getJson(`${base}/releases`, { per_page: 100 });
	const previous = previousTag(Array.isArray(releases) ? releases : [], ref.tag, ref.prerelease);
	if (!previous) return void 0;
	const range = `${encodeURIComponent(previous)}...${encodeURIComponent(ref.tag)}`;
	const compare = await client.getJson(`${base}/compare/${range}`, { per_page: Math.max(1, ref.limit) });
	const listed = Array.isArray(compare.commits) ? compare.commits : [];
	const commits = listed.map((c) => require_gate.commitView(c, ref.repositoryUrl)).filter((c) => c !== void 0).slice(0, ref.limit);
	const total = typeof compare.total_commits === "number" ? compare.total_commits : listed.length;
	return {
		commits,
		more: Math.max(0, total - commits.length),
		compareUrl: require_index.pageUrl(compare.html_url)
	};
}
exports.previousTag = previousTag;
exports.releaseCommits = releaseCommits;
