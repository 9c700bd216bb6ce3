/**
 * `npm run release [-- X.Y.Z] [-- --dry-run]`: tags a release of the action. It checks that the
 * working tree is clean and `dist/` is a fresh build of the sources, takes the version (asks for
 * it on a terminal, suggesting package.json's), checks that CHANGELOG.md has its section and
 * nothing waiting under `[Unreleased]`, that package.json says the same version, that the docs
 * use its major tag and only inputs the release has; then tags `vX.Y.Z`, moves the major tag
 * `vX` to the same commit, and prints the push commands. It pushes nothing. `--dry-run` prints
 * the same plan and changes nothing.
 *
 * `npm run release -- --prepare X.Y.Z` is the step before: it moves every `[Unreleased]` entry
 * into X.Y.Z's section (made or merged), sets package.json's version, the docs' `@vN` and the
 * README's latest release, and regenerates the README's tables. Commit, then release.
 *
 * Versioning (CONTRIBUTING.md "Releasing"): workflows use the moving major tag `v2`, an exact
 * tag `v2.0.0`, or a commit SHA.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ROOT } from './lib/action-runner.ts';
import { staleDistFiles } from './lib/fresh-dist.ts';
import { docsActionUse, markdownFiles } from './lib/markdown-docs.ts';
import { inputSince, moveUnreleased } from './lib/changelog.ts';
import { latestRelease, nextPatch, parseVersion, planRelease } from './lib/release-plan.ts';
import { loadActionDocs, updateReadme } from './generate-docs.ts';

const ACTION = 'hipchat-notify/hipchat-notify';
const REPOSITORY_URL = 'https://github.com/hipchat-notify/hipchat-notify';
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');
const packageVersion = (): string =>
  (JSON.parse(read('package.json')) as { version: string }).version;

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trimEnd();

/** The version to release: the argument, else an answer on a terminal, else package.json's. */
async function chooseVersion(given: string | undefined, tags: string[]): Promise<string> {
  if (given) return given;
  const pkg = { version: packageVersion() };
  const latest = latestRelease(tags);
  // package.json's version until it is tagged; after that, the next patch of the latest tag.
  const untagged = parseVersion(pkg.version) && !tags.includes(`v${pkg.version}`);
  const suggested = untagged || !latest ? pkg.version : nextPatch(latest);
  if (!process.stdin.isTTY) return suggested;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const latestText = latest ? `v${latest.join('.')}` : 'none yet';
    const answer = await prompt.question(
      `Version to release (latest: ${latestText}) [${suggested}]: `,
    );
    return answer.trim() || suggested;
  } finally {
    prompt.close();
  }
}

/** Why this checkout may not be released as it is: uncommitted changes, a stale dist/. */
async function checkoutProblems(): Promise<string[]> {
  const problems: string[] = [];
  const dirty = git('status', '--porcelain');
  if (dirty) {
    problems.push(`the working tree has uncommitted changes:\n${dirty}`);
  }
  const stale = await staleDistFiles();
  if (stale.length) {
    problems.push(
      `dist/ is not a fresh build of the sources (${stale.join(', ')}): run npm run bundle and commit dist/.`,
    );
  }
  return problems;
}

/**
 * `--prepare X.Y.Z`: [Unreleased] into X.Y.Z's section, package.json (and the lock file) at
 * X.Y.Z, the docs' `@vN` and the README's latest release named, the README's tables regenerated.
 */
function prepare(versionText: string | undefined): void {
  const version = versionText ? parseVersion(versionText) : undefined;
  if (!version) throw new Error('usage: npm run release -- --prepare X.Y.Z');
  const plain = version.join('.');
  const before = packageVersion();
  const today = new Date().toISOString().slice(0, 10);
  const changelog = moveUnreleased(read('CHANGELOG.md'), plain, today, REPOSITORY_URL);
  writeFileSync(path.join(ROOT, 'CHANGELOG.md'), changelog);
  for (const file of ['package.json', 'package-lock.json']) {
    // The package's own version: package.json's first, the lock file's first two (root, "").
    let left = file === 'package.json' ? 1 : 2;
    const text = read(file).replace(/^( {2}| {6})"version": "[^"]*"/gm, (all, indent: string) =>
      left-- > 0 ? `${indent}"version": "${plain}"` : all,
    );
    writeFileSync(path.join(ROOT, file), text);
  }
  const major = `@v${version[0]}`;
  for (const file of markdownFiles().filter((f) => f === 'README.md' || f.startsWith('docs/'))) {
    let text = read(file).replace(
      new RegExp(`${ACTION}@v\\d+(?![\\d.])`, 'g'),
      `${ACTION}${major}`,
    );
    if (file === 'README.md') {
      text = text
        .replace(/The latest release is \*\*[^*]+\*\*/, `The latest release is **${plain}**`)
        .replaceAll(`v${before}`, `v${plain}`);
    }
    writeFileSync(path.join(ROOT, file), text);
  }
  const action = loadActionDocs();
  const since = inputSince(changelog, Object.keys(action.inputs));
  writeFileSync(path.join(ROOT, 'README.md'), updateReadme(read('README.md'), action, since));
  console.log(
    `CHANGELOG.md's [Unreleased] is now in [${plain}]; package.json says ${plain}; the docs use ${major}.`,
  );
  if (Number(before.split('.')[0]) !== version[0]) {
    console.log(
      `A new major version: check the README's Versions section by hand (upgrading from v${before.split('.')[0]}), and point the action's links to its docs in src/ at v${version[0]} (the docs tier's versions test lists them).`,
    );
  }
  console.log(`Review and commit, then: npm run release -- ${plain} --dry-run`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--prepare') {
    prepare(args[1]);
    return;
  }
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--dry-run');
  if (unknown.length)
    throw new Error(
      `unknown option ${unknown.join(', ')}: usage: npm run release -- [X.Y.Z] [--dry-run], or npm run release -- --prepare X.Y.Z`,
    );
  const tags = git('tag', '--list', 'v*').split('\n').filter(Boolean);
  const versionText = await chooseVersion(
    args.find((arg) => !arg.startsWith('-')),
    tags,
  );
  const changelog = read('CHANGELOG.md');
  const plan = planRelease({
    versionText,
    tags,
    changelog,
    packageVersion: packageVersion(),
    docs: docsActionUse(ACTION),
  });
  const problems = [...(await checkoutProblems()), ...plan.problems];
  const head = git('rev-parse', '--short', 'HEAD');
  const subject = git('log', '-1', '--format=%s');

  console.log(`${dryRun ? 'Would tag' : 'Tagging'} ${head} (${subject}):`);
  console.log(`  ${plan.tag}  the exact release`);
  const from = plan.movesMajor ? git('rev-parse', '--short', `${plan.major}^{commit}`) : '';
  console.log(`  ${plan.major}  ${plan.movesMajor ? `moved here from ${from}` : 'created'}`);
  const held = plan.docsInputs.filter(({ since }) => since && parseVersion(since));
  if (plan.tag && held.length === plan.docsInputs.length) {
    console.log(
      `  ${plan.tag} holds every input the docs use (${held.length}: ${held.map((h) => `${h.input} ${h.since}`).join(', ')})`,
    );
  }
  if (problems.length) {
    for (const problem of problems) console.error(`✗ ${problem}`);
    console.error(dryRun ? 'A real run would stop here.' : 'Nothing was tagged.');
    process.exitCode = 1;
    return;
  }
  if (!dryRun)
    for (const [command, ...rest] of plan.tagCommands) execFileSync(command!, rest, { cwd: ROOT });
  console.log(
    dryRun
      ? '\nNothing was changed (dry run). A real run would then print:'
      : '\nTagged. To publish:',
  );
  for (const command of plan.pushCommands) console.log(`  ${command}`);
}

await main();
