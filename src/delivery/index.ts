/**
 * Delivery: posts one notification to every room, concurrently up to a small bound, pacing on
 * HipChat's rate-limit headers (limiter.ts) and retrying by the policy in retry-policy.ts
 * (retry-loop.ts). Every room gets its own result (post.ts); one room's failure never stops
 * another's delivery.
 *
 * A request waits while a window it needs is used up, so a run does not provoke the 429s it can
 * foresee; a 429 it could not foresee is waited out until the reset it announces. `max-wait` is
 * the whole run's budget (budget.ts): no request starts once it is spent, and a request under
 * way gets what is left of it when that is less than `timeout`.
 *
 * With add-on credentials, the token is minted here first, under the same retries and budget
 * (mint.ts); when that fails, every room fails with the reason, like any failed delivery.
 */
import { Budget } from './budget.js';
import { Limiter } from './limiter.js';
import { mapBounded } from './map-bounded.js';
import { mintToken } from './mint.js';
import { deliverToRoom } from './post.js';
import type { RoomContext } from './post.js';
import type { Clock, DeliveryPlan, Log, Poster, RoomResult } from './types.js';

/** How many rooms are posted at once by default: enough to overlap latency, few enough to be polite. */
const DEFAULT_CONCURRENCY = 4;

/** Posts (or auth-tests) for every room and returns one result per room, in the given order. */
export async function deliver(
  client: Poster,
  plan: DeliveryPlan,
  clock: Clock,
  log: Log,
  shared: Pacing = pacing(plan, clock, log),
): Promise<RoomResult[]> {
  const ctx: RoomContext = {
    client,
    plan,
    limiter: shared.limiter,
    budget: shared.budget,
    clock,
    log,
    concurrency: Math.max(1, plan.concurrency ?? DEFAULT_CONCURRENCY),
  };
  // Only a run that makes a request needs a token (a dry run without auth test makes none).
  let token = '';
  if (typeof plan.token === 'string') token = plan.token;
  else if (!plan.dryRun || plan.authTest) {
    const minted = await mintToken(client, plan.token, ctx.budget, clock, log);
    // Nothing can be posted without it: every room fails with the reason, like a delivery.
    if (typeof minted !== 'string') return plan.rooms.map((room) => unsent(room, minted.error));
    token = minted;
  }
  return mapBounded(plan.rooms, ctx.concurrency, (room, index) =>
    deliverToRoom(ctx, token, room, index),
  );
}

/** The run's pacing: the token's and rooms' windows, and `max-wait`. */
export interface Pacing {
  limiter: Limiter;
  budget: Budget;
}

/**
 * A run's pacing, made before `deliver` when other calls (user lookups, private messages) use
 * the same token, so that they and the posts share one view of its window and one budget.
 */
export function pacing(
  plan: Pick<DeliveryPlan, 'startMs' | 'maxWaitMs'>,
  clock: Clock,
  log: Log,
): Pacing {
  return { limiter: new Limiter(), budget: new Budget(plan.startMs, plan.maxWaitMs, clock, log) };
}

function unsent(room: string, error: string): RoomResult {
  return { room, ok: false, status: null, attempts: 0, error };
}
