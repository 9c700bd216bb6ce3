/**
 * Inputs that still hold an unevaluated `${{ … }}` expression. The runner evaluates action.yml's
 * defaults (`status`, `github-token`) before the action starts; `@github/local-action` does not,
 * and passes the expression's text through. Such a value is no input anyone gave, so it is read
 * as unset, with a one-line notice, instead of failing as an invalid value.
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
        `\`${name}\` holds an unevaluated \${{ … }} expression (as @github/local-action passes action.yml's defaults): treated as unset.`,
      );
    }
    return '';
  };
}
