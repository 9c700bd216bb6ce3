/**
 * Inputs that still hold an unevaluated `${{ … }}` expression. The runner evaluates action.yml's
 * defaults (`status`, `github-token`) and a workflow's `with:` before the action starts; an
 * environment written by hand for a local run (`.env` for `@github/local-action`, which itself
 * applies action.yml's defaults only inside its stand-in for `core.getInput`, never to the
 * `INPUT_*` variables this action reads) may hold the expression's text. Such a value is no input
 * anyone gave, so it is read as unset, with a one-line notice, instead of failing as invalid.
 */
import type { InputReader } from './inputs.js';

/** A whole `${{ … }}` on one line, as action.yml's defaults are written. */
const EXPRESSION = /^\$\{\{[^\r\n]*\}\}$/;

/** Whether `value` is an expression the runner would have evaluated. */
export function isUnevaluatedExpression(value: string): boolean {
  return EXPRESSION.test(value.trim());
}

/**
 * Wraps `read` so that an input holding an unevaluated expression reads as ''. `notice` is told
 * once per such input; it never repeats the value (a template author's text is theirs to see).
 */
export function withoutUnevaluatedExpressions(
  read: InputReader,
  notice: (message: string) => void,
): InputReader {
  const told = new Set<string>();
  return (name) => {
    const value = read(name);
    if (!isUnevaluatedExpression(value)) return value;
    if (!told.has(name)) {
      told.add(name);
      notice(
        `\`${name}\` holds an unevaluated \${{ … }} expression, which only a runner evaluates: treated as unset.`,
      );
    }
    return '';
  };
}
