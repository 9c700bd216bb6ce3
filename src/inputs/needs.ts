/**
 * The `needs` input: `${{ toJSON(needs) }}` of a final job, GitHub's own record of each job it
 * needs — `{"build": {"result": "failure", "outputs": {}}, …}`. It costs no API call and no
 * token scope, so it is what `summary: run` trusts for the outcome. Validated with the other
 * inputs, before any request.
 */

/** The results GitHub gives a needed job (a matrix job's is the aggregate of its legs). */
export const NEEDS_RESULTS = ['success', 'failure', 'cancelled', 'skipped'] as const;
export type NeedsResult = (typeof NEEDS_RESULTS)[number];

/** Job ids to their results, in the order given; absent when the input is empty or `{}`. */
export type Needs = ReadonlyMap<string, NeedsResult>;

/** What the input takes, for every error about it. */
const SHAPE =
  'expected `${{ toJSON(needs) }}`: a JSON object of job ids to {"result": "success" | "failure" | "cancelled" | "skipped", "outputs": {…}}';

/** A job id as GitHub allows it: a letter or `_`, then letters, digits, `-` or `_`. */
const JOB_ID = /^[A-Za-z_][\w-]{0,99}$/;

/** Jobs a workflow can hold, and then some: more is not what `toJSON(needs)` writes. */
const MAX_JOBS = 1000;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value as an error shows it: one line, at most 60 characters. */
function shown(raw: string): string {
  const line = raw.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/**
 * Reads `needs` (raw text); adds one sentence to `problems` when it is not what
 * `toJSON(needs)` gives. `undefined` for an empty input or `{}` (a job that needs none).
 */
export function parseNeeds(raw: string, problems: string[]): Needs | undefined {
  const text = raw.trim();
  if (!text) return undefined;
  const fail = (why: string): undefined => {
    problems.push(`\`needs\` is '${shown(text)}': ${why}; ${SHAPE}.`);
    return undefined;
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (!isObject(value)) return fail('not a JSON object');
  const entries = Object.entries(value);
  if (entries.length > MAX_JOBS) return fail(`${entries.length} jobs, more than ${MAX_JOBS}`);
  const needs = new Map<string, NeedsResult>();
  for (const [id, job] of entries) {
    const name = shown(id).slice(0, 40);
    if (!JOB_ID.test(id)) return fail(`'${name}' is not a job id`);
    const result = isObject(job) ? job['result'] : undefined;
    if (typeof result !== 'string' || !(NEEDS_RESULTS as readonly string[]).includes(result)) {
      return fail(`job '${name}' has no result GitHub gives`);
    }
    if (isObject(job) && job['outputs'] !== undefined && !isObject(job['outputs'])) {
      return fail(`the outputs of job '${name}' are not an object`);
    }
    needs.set(id, result as NeedsResult);
  }
  return needs.size > 0 ? needs : undefined;
}

/**
 * The outcome GitHub's results add up to: any failure → `failure`; else any cancelled →
 * `cancelled`; else (every job succeeded or was skipped) `success`.
 */
export function needsStatus(needs: Needs): 'failure' | 'cancelled' | 'success' {
  const results = [...needs.values()];
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  return 'success';
}
