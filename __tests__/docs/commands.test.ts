/**
 * The commands README.md and docs/ give are run as a reader runs them: each `npm …` line of a
 * shell block and each `npm …` in the text, spawned through npm in a clean environment (no npm_*
 * or INIT_CWD from the test run), from the clone or from "your repository" (a scratch folder
 * holding the template the page shows). Stated stand-ins: `path/to/hipchat-notify` is this
 * clone, `path/to/your-repository` the scratch folder. Commands that cannot run here say why
 * (NOT_RUN); a command that is neither run nor explained fails. The preview's options table
 * lists exactly the options the script takes, and every one of them is run.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { blocksOf, readDoc, scanDoc, userDocs } from '../../scripts/lib/markdown-docs.ts';

const run = promisify(execFile);

/** Commands the tier does not run, and why. */
const NOT_RUN: Array<[RegExp, string]> = [
  [/^npm ci\b/, 'installs the project: the tier runs after it'],
  [/^npm (test|run all)\b/, 'the test suite this tier is part of'],
  [
    /^npm run sandbox(?! -- --help)/,
    'a server that runs until stopped (tested in __tests__/sandbox/cli.test.ts)',
  ],
  [
    /^npx @github\/local-action\b/,
    'downloads the tool from the registry (no network in tests; e2e/local-action.test.ts runs the same entry)',
  ],
  [/^npm run bench/, 'a benchmark: measured on a quiet machine, never in a test'],
  [/^npm run fuzz\b/, 'the fuzzing campaign; its cases run in __tests__/fuzz/ within npm test'],
];

/** A command line split into words as a POSIX shell would (quotes; no expansion is used). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g))
    out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

interface Command {
  where: string;
  line: string;
  /** `clone` or `your repository`, from a `cd` before it in the same block. */
  cwd: 'clone' | 'your repository';
}

/** `npm …` commands of shell blocks and of the text of the user docs. */
function documentedCommands(): Command[] {
  const commands: Command[] = [];
  for (const block of blocksOf(['sh', 'shell', 'bash', 'console'])) {
    let cwd: Command['cwd'] = 'clone';
    block.text.split('\n').forEach((raw, i) => {
      const line = raw
        .replace(/\s+#.*$/, '')
        .replace(/^\$\s*/, '')
        .trim();
      if (line.startsWith('cd '))
        cwd = line.includes('your-repository') ? 'your repository' : 'clone';
      else if (line) commands.push({ where: `${block.file}:${block.line + 1 + i}`, line, cwd });
    });
  }
  for (const file of userDocs()) {
    const prose = readDoc(file).replace(
      /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm,
      '',
    );
    for (const m of prose.matchAll(/(?<!`)`([^`]+)`(?!`)/g)) {
      const line = m[1]!.replace(/\s+/g, ' ').trim();
      // A command, not a mention of one: whole, without an ellipsis standing for the rest.
      if (/^(npm (run|--prefix) |npx @)/.test(line) && !line.includes('…')) {
        commands.push({ where: file, line, cwd: 'clone' });
      }
    }
  }
  return commands;
}

const scratch = mkdtempSync(path.join(tmpdir(), 'hipchat-docs-commands-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** "Your repository": a folder with the template docs/templates.md shows, at the path it uses. */
function yourRepository(): string {
  const dir = mkdtempSync(path.join(scratch, 'your-repository-'));
  const template = scanDoc('docs/templates.md').blocks.find((b) => b.lang === 'mustache');
  mkdirSync(path.join(dir, '.github'));
  writeFileSync(path.join(dir, '.github', 'hipchat.mustache'), template!.text);
  return dir;
}

/** The environment of a fresh terminal: none of the npm run that started the tests. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(key)) env[key] = value;
  }
  return env;
}

async function spawnCommand(line: string, cwd: string): Promise<{ code: number; output: string }> {
  const [command, ...args] = words(line.replaceAll('path/to/hipchat-notify', ROOT));
  try {
    const { stdout, stderr } = await run(command!, args, { cwd, env: cleanEnv(), timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

/** Each command once: the same line from the same folder is the same run. */
const commands = documentedCommands().filter(
  (c, i, all) => all.findIndex((o) => o.line === c.line && o.cwd === c.cwd) === i,
);
const skipped = (line: string): string | undefined => NOT_RUN.find(([re]) => re.test(line))?.[1];

// A spawned npm on a loaded 2-core machine: more than vitest's default 30 s per test.
describe.concurrent('commands the docs give', { timeout: 90_000 }, () => {
  it('finds them, the preview among them', () => {
    expect(commands.filter((c) => c.line.includes('run preview')).length).toBeGreaterThan(2);
  });

  it.each(commands.filter((c) => !skipped(c.line)).map((c) => [`${c.where}: ${c.line}`, c]))(
    '%s',
    async (_, c) => {
      const cwd = c.cwd === 'clone' ? ROOT : yourRepository();
      const { code, output } = await spawnCommand(c.line, cwd);
      expect(code, output).toBe(0);
    },
  );
});

describe("the preview's documented options", { timeout: 90_000 }, () => {
  const usage = readFileSync(path.join(ROOT, 'scripts', 'preview.ts'), 'utf8');
  const taken = [...usage.matchAll(/^ {2}(--[a-z-]+)/gm)]
    .map((m) => m[1]!)
    .filter((o) => o !== '--help');
  const table = readDoc('docs/templates.md')
    .split('\n')
    .filter((row) => /^\| `--/.test(row))
    .flatMap((row) => [...row.split('|')[1]!.matchAll(/`(--[a-z-]+)/g)].map((m) => m[1]!));

  it('docs/templates.md lists exactly the options the script takes', () => {
    expect([...table].sort()).toEqual([...taken].sort());
  });

  /** A value for each option, as a reader would pass it from their repository. */
  const VALUES: Record<string, string | null> = {
    '--event': path.join(ROOT, '__tests__', 'fixtures', 'events', 'pull_request.json'),
    '--event-name': 'pull_request',
    '--status': 'failure',
    '--previous-status': 'success',
    '--format': 'text',
    '--card': null,
    '--follow-up': null,
    '--color': 'purple',
    '--from': 'CI',
    '--vars': 'environment: prod',
    '--test-results': 'reports/*.xml',
    '--summary': 'run',
    '--jobs': path.join(ROOT, '__tests__', 'fixtures', 'github', 'jobs.json'),
    '--log-lines': '5',
    '--commits': '3',
    '--notify': 'failure, fixed',
    '--template':
      '{{status_icon}} {{github.repository}} {{vars.environment}} {{tests.failed}} {{jobs_failed}}',
    '--template-file': '.github/hipchat.mustache',
  };

  it.each([['--template'], ['--template-file']])(
    'every option at once, with %s',
    async (template) => {
      const args: string[] = [];
      const dir = yourRepository();
      mkdirSync(path.join(dir, 'reports'));
      for (const report of ['surefire.xml', 'vitest.xml']) {
        const fixture = path.join(ROOT, '__tests__', 'fixtures', 'junit', report);
        writeFileSync(path.join(dir, 'reports', report), readFileSync(fixture));
      }
      for (const option of table.filter((o) => !o.startsWith('--template') || o === template)) {
        if (option === '--out') {
          args.push(option, path.join(dir, 'out'));
          continue;
        }
        expect(option in VALUES, `a value for ${option} in VALUES`).toBe(true);
        const value = VALUES[option];
        args.push(option, ...(value === null || value === undefined ? [] : [value]));
      }
      const quoted = args.map((a) => `'${a}'`).join(' ');
      const { code, output } = await spawnCommand(
        `npm --prefix path/to/hipchat-notify run preview -- ${quoted}`,
        dir,
      );
      expect(code, output).toBe(0);
      expect(readFileSync(path.join(dir, 'out', 'preview.html'), 'utf8')).toContain('<html');
    },
  );
});
