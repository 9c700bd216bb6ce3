/**
 * `npm run release [-- X.Y.Z] [-- --dry-run]`: tags a release of the action. It checks that the
 * working tree is clean and `dist/` is a fresh build of the sources, takes the version (asks for
 * it on a terminal, suggesting package.json's), checks CHANGELOG.md has its section, tags
 * `vX.Y.Z`, moves the major tag `vX` to the same commit, and prints the push commands. It pushes
 * nothing. `--dry-run` prints the same plan and changes nothing.
 *
 * Versioning (CONTRIBUTING.md "Releasing"): workflows use the moving major tag `v1`, an exact
 * tag `v1.2.3`, or a commit SHA.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ROOT } from './lib/action-runner.ts';
import { staleDistFiles } from './lib/fresh-dist.ts';
import { latestRelease, nextPatch, parseVersion, planRelease } from './lib/release-plan.ts';

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trimEnd();

/** The version to release: the argument, else an answer on a terminal, else package.json's. */
async function chooseVersion(given: string | undefined, tags: string[]): Promise<string> {
  if (given) return given;
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter((arg) => arg.startsWith('-') && arg !== '--dry-run');
  if (unknown.length)
    throw new Error(
      `unknown option ${unknown.join(', ')}: usage: npm run release -- [X.Y.Z] [--dry-run]`,
    );
  const tags = git('tag', '--list', 'v*').split('\n').filter(Boolean);
  const versionText = await chooseVersion(
    args.find((arg) => !arg.startsWith('-')),
    tags,
  );
  const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
  const plan = planRelease({ versionText, tags, changelog });
  const problems = [...(await checkoutProblems()), ...plan.problems];
  const head = git('rev-parse', '--short', 'HEAD');
  const subject = git('log', '-1', '--format=%s');

  console.log(`${dryRun ? 'Would tag' : 'Tagging'} ${head} (${subject}):`);
  console.log(`  ${plan.tag}  the exact release`);
  const from = plan.movesMajor ? git('rev-parse', '--short', `${plan.major}^{commit}`) : '';
  console.log(`  ${plan.major}  ${plan.movesMajor ? `moved here from ${from}` : 'created'}`);
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
