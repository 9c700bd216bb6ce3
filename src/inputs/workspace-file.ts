/**
 * Reading a file the workflow names (`template-file`) without trusting the checkout: a pull
 * request can plant a symlink to /proc/self/environ, a FIFO that blocks forever, or a file of
 * gigabytes. The file must resolve — on its real path, symlinks followed — inside the workspace,
 * be a regular file, and be at most `MAX_WORKSPACE_FILE_BYTES` long.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** The largest file read (a template is a few KB; HipChat takes 10,000 characters). */
export const MAX_WORKSPACE_FILE_BYTES = 1024 * 1024;

/** The file's text, or one sentence saying why it was not read (for an input problem). */
export type WorkspaceRead = { text: string } | { problem: string };

/** Whether `target` is `root` or inside it. */
function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Reads `file` (relative to `workspace`, or absolute inside it) as UTF-8. Never blocks on a
 * FIFO or device and never reads more than the limit allows.
 */
export function readWorkspaceFile(file: string, workspace: string): WorkspaceRead {
  const given = path.resolve(workspace, file);
  let root: string;
  let real: string;
  try {
    root = realpathSync(workspace);
  } catch {
    return { problem: `the workspace (${workspace}) does not exist.` };
  }
  try {
    real = realpathSync(given);
  } catch {
    return {
      problem: `no such file in the workspace (${given}). Check the path, and that the repository is checked out before this step.`,
    };
  }
  if (!inside(root, real)) {
    return {
      problem: `it resolves to ${real}, outside the workspace (${root}): only files of the checked-out workspace are read, and symlinks must stay inside it.`,
    };
  }
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).` };
  }
  try {
    // The opened file itself is checked, so a swap after the path checks changes nothing.
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      return { problem: 'it is not a regular file (a directory, FIFO, socket or device).' };
    }
    const buffer = Buffer.alloc(MAX_WORKSPACE_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_WORKSPACE_FILE_BYTES) {
      return { problem: 'it is larger than 1 MiB: a template is a few KB.' };
    }
    return { text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
