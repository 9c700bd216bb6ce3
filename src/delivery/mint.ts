/**
 * Minting the add-on token, under the same retries and budget as a post. Asking for a token
 * posts nothing, so whatever the policy would retry is retried here even where HipChat may have
 * acted (500, 504, a lost answer).
 */
import { describeHttpError } from '../hipchat/http-advice.js';
import type { TokenAnswer } from '../hipchat/types.js';
import type { AttemptResult } from './retry-policy.js';
import { BudgetExceeded } from './budget.js';
import type { Budget, Waiting } from './budget.js';
import { afterAttempts, retryLoop } from './retry-loop.js';
import type { LoopEnd, Retry } from './retry-loop.js';
import type { AddonCredentials, Clock, Log, Poster } from './types.js';
import { LIMIT_WORDS } from './log-words.js';
import { quotable } from '../hipchat/answer-body.js';

/** What a minted token must look like to be used and masked: visible ASCII, 16 to 512 long. */
const PLAUSIBLE_TOKEN = /^[\x21-\x7e]{16,512}$/;

const SUBJECT = 'the add-on token request';

/** Returns the minted (and masked) token, or the reason there is none. */
export async function mintToken(
  client: Poster,
  credentials: AddonCredentials,
  budget: Budget,
  clock: Clock,
  log: Log,
): Promise<string | { error: string }> {
  const waiting: Waiting = {};
  let end: LoopEnd<TokenAnswer>;
  try {
    end = await retryLoop(clock, {
      admit: async (n) => budget.left(SUBJECT, n > 1, waiting.for),
      send: (budgetMs) =>
        client.addonToken(credentials.id, credentials.secret, { budgetMs }, credentials.scopes),
      countAmbiguous: false,
      retry: async (decision, result) => {
        const why = retryWhy(decision, result);
        waiting.for = `${LIMIT_WORDS[decision.limit]} (${why})`;
        await budget.waitUntil(decision.atMs, decision.limit, SUBJECT, why);
      },
    });
  } catch (error) {
    if (error instanceof BudgetExceeded) return { error: error.message };
    throw error;
  }
  if (end.action === 'fail') return { error: failureText(client.server, end) };
  const minted = end.response.token;
  const asked = `HipChat answered the add-on token request (POST ${client.server}/v2/oauth/token) with ${end.response.status}`;
  if (!minted) {
    return {
      error: `${asked} but no access_token: is \`server\` really a HipChat server?`,
    };
  }
  if (!PLAUSIBLE_TOKEN.test(minted.access_token)) {
    // Masking "e" would blank every e in the log; a token with a line break would not fit a
    // header. Either way this is not HipChat's answer.
    return {
      error: `${asked} and an access_token that is not a plausible token (${minted.access_token.length} characters; HipChat's are 16 or more visible ASCII characters): is \`server\` really a HipChat server?`,
    };
  }
  credentials.mask(minted.access_token);
  const expires = Number(minted.expires_in);
  const minutes = Number.isFinite(expires) ? Math.round(expires / 60) : 0;
  const scope = typeof minted.scope === 'string' ? quotable(minted.scope, 100) : '';
  log.info(
    `Obtained an add-on token (scope: ${scope || 'send_notification'}; valid ${minutes} min).`,
  );
  return minted.access_token;
}

/** Why the token request is asked again; an ambiguous answer is no risk here, and says so. */
function retryWhy(decision: Retry, result: AttemptResult): string {
  if (!decision.ambiguous) return decision.why;
  const what =
    result.kind === 'response'
      ? `the server answered ${result.status}`
      : result.error.message.replace(/\.$/, '');
  return `${what}; asking for a token posts nothing, so it is asked again`;
}

function failureText(server: string, end: Extract<LoopEnd<TokenAnswer>, { action: 'fail' }>) {
  const after = afterAttempts(end.attempts);
  if (end.response)
    return `${describeHttpError(end.response, { action: 'token', server })}${after}`;
  const message = end.result.kind === 'transport' ? end.result.error.message : '';
  return `Could not obtain an add-on token: ${message}${after}`;
}
