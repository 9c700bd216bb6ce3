/**
 * `npm run demo`: a failed push, notified for real. Starts the HipChat sandbox on 127.0.0.1,
 * runs the committed dist/ exactly as the GitHub runner would (INPUT_* with action.yml's
 * defaults, GITHUB_* variables and files, `job.status` = failure), and prints what the room got.
 * No HipChat account needed.
 */
import { PERSONAL_TOKEN, ROOM_CI, startSandbox } from '../sandbox/server.ts';
import { runStep } from './lib/action-runner.ts';

/** HipChat's HTML subset as a reader sees it: tags dropped, entities decoded. */
function asPlainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const sandbox = await startSandbox();
try {
  console.log(`HipChat sandbox on ${sandbox.url}`);
  console.log(`Running dist/index.js on Node ${process.versions.node} as a failed push to main…\n`);
  const step = await runStep({
    with: { token: PERSONAL_TOKEN, room: ROOM_CI.name, server: sandbox.url },
    jobStatus: 'failure',
  });

  console.log('── the step’s log ──');
  process.stdout.write(
    step.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
  );
  console.log(`\n── exit code ${step.exitCode}, ${Math.round(step.durationMs)} ms ──\n`);

  const delivered = sandbox.notifications(ROOM_CI.name);
  if (delivered.length === 0) {
    console.error('The room received nothing. stderr:\n' + step.stderr);
    process.exitCode = 1;
  }
  for (const n of delivered) {
    const body = n.body as Record<string, unknown>;
    console.log(
      `── room '${ROOM_CI.name}' received (colour ${body.color}, format ${body.message_format}, notify ${body.notify}) ──`,
    );
    console.log(body.message);
    if (body.message_format === 'html') {
      console.log(`\n── as people in the room read it ──\n${asPlainText(String(body.message))}`);
    }
  }
  console.log('\n── outputs ──');
  for (const [name, value] of Object.entries(step.outputs)) console.log(`${name}: ${value}`);
} finally {
  await sandbox.close();
}
