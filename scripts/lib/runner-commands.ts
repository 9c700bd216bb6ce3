/**
 * The workflow commands the GitHub runner would act on in a step's stdout, read the way the
 * runner reads them (its `ActionCommand` parsers), for tests that prove outside text starts
 * none. The runner splits stdout into lines at CR or LF, then tries two syntaxes on each line:
 *
 * - `::name props::data` — the line, with leading white space trimmed (.NET's notion of white
 *   space), starts with `::`; the name ends at the first space or at the next `::`.
 * - `##[name props]data` — the older syntax, found anywhere in the line; the name ends at the
 *   first space or at the `]`.
 *
 * The runner acts on a legacy command only when its name is one it knows and ignores the rest
 * (and after `::stop-commands::` it ignores commands until the token): this reading counts every
 * `##[` followed by a `]` and every `::` line, so it finds at least what the runner would act on.
 */

/** One command the runner would read. */
export interface RunnerCommand {
  syntax: '::' | '##[';
  name: string;
  /** The data after the command, percent-decoded as the runner does. */
  data: string;
  /** The whole line it was read from. */
  line: string;
}

/** White space as .NET's `Char.IsWhiteSpace` knows it (what the runner's `TrimStart` removes). */
const DOTNET_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

/** Every command the runner would read in `stdout`, in order. */
export function runnerCommands(stdout: string): RunnerCommand[] {
  const found: RunnerCommand[] = [];
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const trimmed = line.replace(DOTNET_SPACE, '');
    const end = trimmed.startsWith('::') ? trimmed.indexOf('::', 2) : -1;
    if (end >= 0) {
      const name = trimmed.slice(2, end).split(' ')[0] ?? '';
      found.push({ syntax: '::', name, data: decode(trimmed.slice(end + 2)), line });
      continue;
    }
    // Not a `::` command: the runner tries the older syntax on the line.
    for (let at = line.indexOf('##['); at >= 0; at = line.indexOf('##[', at + 3)) {
      const close = line.indexOf(']', at);
      if (close < 0) break;
      // The runner reads the first `##[` of a line; every one is counted here.
      const info = line.slice(at + 3, close);
      found.push({
        syntax: '##[',
        name: info.split(' ')[0] ?? '',
        data: decode(line.slice(close + 1)),
        line,
      });
    }
  }
  return found;
}

function decode(data: string): string {
  return data.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
