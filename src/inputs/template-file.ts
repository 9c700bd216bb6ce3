/**
 * The `template` and `template-file` inputs: one of them, read from the workspace, line endings
 * normalised, and checked as Mustache before anything is sent.
 */
import { parseTemplate } from './template-syntax.js';
import { readWorkspaceFile } from './workspace-file.js';

/** The template text and where it came from; problems are pushed, not thrown. */
export function readTemplate(
  inline: string,
  file: string,
  workspace: string,
  problems: string[],
): { template: string; templateSource: string } {
  if (inline.trim() && file) {
    problems.push('`template` and `template-file` are both set: use one of them.');
    return { template: '', templateSource: 'template' };
  }
  let template = normalizeLineEndings(inline);
  let templateSource = 'template';
  if (file) {
    templateSource = file;
    // Confined to the workspace on the real path, regular files up to 1 MiB (workspace-file.ts).
    const read = readWorkspaceFile(file, workspace);
    if ('problem' in read) {
      problems.push(`\`template-file\` is '${file}': ${read.problem}`);
      return { template: '', templateSource };
    }
    template = normalizeLineEndings(read.text);
    if (!template.trim()) {
      problems.push(`\`template-file\` '${file}' is empty.`);
      return { template: '', templateSource };
    }
  }
  if (template.trim()) {
    try {
      parseTemplate(template);
    } catch (error) {
      problems.push(
        `\`${templateSource === 'template' ? 'template' : 'template-file'}\` ${
          templateSource === 'template' ? '' : `'${file}' `
        }is not a valid Mustache template: ${(error as Error).message}.`,
      );
    }
  } else {
    template = '';
  }
  return { template, templateSource };
}

/**
 * `\r\n` and lone `\r` as `\n`: a template file checked out on a Windows runner (git's
 * autocrlf) must not send `\r\n` into the room, nor a template pasted from such a file.
 */
function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
