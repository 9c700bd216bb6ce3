/**
 * `npm run preview -- [options]`: what the room would receive, without sending anything.
 * Prints the message (and the card, line by line) and writes `preview-out/preview.html`, a page
 * that shows it as HipChat would. Runs the action's own TypeScript from src/ (see
 * `lib/src-imports.ts`), so it needs no build and always matches the code being edited.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/action-runner.ts';
import { htmlToTerminalText } from './lib/hipchat-html.ts';
import { buildPreview, sampleEventNames } from './lib/preview-build.ts';
import type { Preview } from './lib/preview-build.ts';
import { previewPage } from './lib/preview-page.ts';

const USAGE = `Usage: npm run preview -- [options]

Renders the notification the action would post, prints it, and writes an HTML page that shows
it as a HipChat room would. Nothing is sent.

  --event FILE           event payload (JSON); default: the sample for --event-name, or a push
  --event-name NAME      github.event_name; default: guessed from the payload
                         (samples: ${sampleEventNames().join(', ')})
  --status S             success (default), failure, cancelled, skipped, or '' for none
  --previous-status S    the previous run's status, as send-when sees it ("is fixed", "still failing")
  --template T           Mustache template (default: the built-in message)
  --template-file F      template file (instead of --template)
  --format html|text     message format (default html)
  --card                 add the HipChat card
  --color C              auto (default) or a HipChat colour
  --from LABEL           the from label
  --vars YAML            the vars input, e.g. 'environment: prod'
  --test-results GLOBS   JUnit reports to read, e.g. '__tests__/fixtures/junit/*.xml'
                         (one glob per line; relative to where you ran npm)
  --summary job|run      with the whole-run facts of a jobs listing (default: a sample run
                         whose notifying job is in progress; see --jobs)
  --jobs FILE            the jobs listing to use (GitHub's {"jobs": [...]}, plus runner_name
                         and logs by job id); implies --summary job unless given
  --log-lines N          with --summary run, the last N lines of each failed job's log
  --follow-up            as a follow-up (attach-to) under the same event's "started" note
  --commits N            list the first N commits of a push payload (a release's come from
                         the GitHub API, which the preview does not ask)
  --notify V             true, false, or the outcomes that alert the room (failure, fixed…)
  --out DIR              where to write preview.html (default preview-out/)
  -h, --help             this help

Relative paths are taken from the directory you ran npm in.`;

/** Parses the command line; `undefined` when help was asked for. */
function parseCommandLine(
  argv: string[],
): { options: Parameters<typeof buildPreview>[0]; outDir: string } | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      event: { type: 'string' },
      'event-name': { type: 'string' },
      status: { type: 'string' },
      'previous-status': { type: 'string' },
      template: { type: 'string' },
      'template-file': { type: 'string' },
      format: { type: 'string' },
      card: { type: 'boolean' },
      color: { type: 'string' },
      from: { type: 'string' },
      vars: { type: 'string' },
      'test-results': { type: 'string' },
      summary: { type: 'string' },
      jobs: { type: 'string' },
      'log-lines': { type: 'string' },
      'follow-up': { type: 'boolean' },
      commits: { type: 'string' },
      notify: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.INIT_CWD || process.cwd();
  return {
    options: {
      eventFile: values.event === undefined ? undefined : path.resolve(cwd, values.event),
      eventName: values['event-name'],
      status: values.status,
      previousStatus: values['previous-status'],
      template: values.template,
      templateFile: values['template-file'],
      format: values.format,
      card: values.card ?? false,
      color: values.color,
      from: values.from,
      vars: values.vars,
      testResults: values['test-results'],
      summary: values.summary,
      jobsFile: values.jobs === undefined ? undefined : path.resolve(cwd, values.jobs),
      logLines: values['log-lines'],
      followUp: values['follow-up'] ?? false,
      commits: values.commits,
      notify: values.notify,
      workspace: cwd,
    },
    outDir: path.resolve(cwd, values.out ?? path.join(ROOT, 'preview-out')),
  };
}

/** The preview as lines for a terminal. */
function terminalText(preview: Preview, pagePath: string): string {
  const { body } = preview;
  const lines: string[] = [];
  const rule = (title: string) => lines.push('', `── ${title} ──`);
  lines.push(
    `Preview of a ${preview.eventName}${preview.eventNameGuessed ? ' (guessed from the payload; set --event-name to choose)' : ''} event, status ${preview.status || '(none)'}: ${path.relative(process.cwd(), preview.eventFile) || preview.eventFile}`,
  );
  lines.push(
    `colour ${body.color} · format ${body.message_format} · ${body.message.length} characters · notify ${body.notify}${body.from ? ` · from "${body.from}"` : ''}`,
  );
  if (preview.parent) {
    rule('attached to (the start note, as the first step posted it)');
    lines.push(htmlToTerminalText(preview.parent.message));
  }
  rule(`message (${body.message_format}, as sent)`);
  lines.push(body.message);
  if (body.message_format === 'html') {
    rule('as the room reads it');
    lines.push(htmlToTerminalText(body.message));
  }
  if (body.card) {
    const card = body.card;
    rule(`card (${card.style}, ${card.format ?? 'default'} format)`);
    // Title and labels are HTML (escaped by the action): shown as the room reads them.
    lines.push(`title:       ${htmlToTerminalText(card.title)}`);
    if (card.description) {
      const description =
        typeof card.description === 'string' ? card.description : card.description.value;
      lines.push(`description: ${description}`);
    }
    if (card.url) lines.push(`link:        ${card.url}`);
    for (const attribute of card.attributes ?? []) {
      const { label, url, style } = attribute.value;
      const extra = [style ? `[${style}]` : '', url ? `<${url}>` : ''].filter(Boolean).join(' ');
      const shown = htmlToTerminalText(label);
      lines.push(
        `${`${htmlToTerminalText(attribute.label)}:`.padEnd(12)} ${shown}${extra ? ` ${extra}` : ''}`,
      );
    }
    lines.push('(the message above is the fallback for clients without cards)');
  }
  const problems = [...preview.warnings, ...preview.cardProblems.map((p) => `card schema: ${p}`)];
  if (problems.length > 0) {
    rule('warnings the action would log');
    for (const problem of problems) lines.push(`⚠ ${problem}`);
  }
  lines.push('', `Page: ${pagePath}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (!parsed) {
    console.log(USAGE);
    return;
  }
  let preview: Preview;
  try {
    preview = await buildPreview(parsed.options);
  } catch (error) {
    // The action's own wording (it names the input: `template-file`, `status`, …).
    console.error((error as Error).message);
    process.exitCode = 1;
    return;
  }
  mkdirSync(parsed.outDir, { recursive: true });
  const pagePath = path.join(parsed.outDir, 'preview.html');
  writeFileSync(pagePath, previewPage(preview));
  console.log(terminalText(preview, pagePath));
}

await main();
