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
 * The token comes from the run's session (session.ts): with add-on credentials it is minted
 * there, once, under the same retries and budget (mint.ts); when that fails, every room fails
 * with the reason, like any failed delivery.
 */
import { mapBounded } from './map-bounded.js';
import { deliverToRoom } from './post.js';
import type { RoomContext } from './post.js';
import type { Session } from './session.js';
import type { DeliveryPlan, Log, RoomResult } from './types.js';

/** How many rooms are posted at once by default: enough to overlap latency, few enough to be polite. */
const DEFAULT_CONCURRENCY = 4;

/**
 * Posts (or auth-tests) for every room through the run's `session` (its token, pacing and
 * budget) and returns one result per room, in the given order.
 */
export async function deliver(
  session: Session,
  plan: DeliveryPlan,
  log: Log,
): Promise<RoomResult[]> {
  const ctx: RoomContext = {
    client: session.poster(),
    plan,
    limiter: session.limiter,
    budget: session.budget,
    clock: session.clock,
    log,
    concurrency: Math.max(1, plan.concurrency ?? DEFAULT_CONCURRENCY),
  };
  // Only a run that makes a request needs a token (a dry run without auth test makes none).
  let token = '';
  if (!plan.dryRun || plan.authTest) {
    const given = await session.token();
    // Nothing can be posted without it: every room fails with the reason, like a delivery.
    if (typeof given !== 'string') return plan.rooms.map((room) => unsent(room, given.error));
    token = given;
  }
  return mapBounded(plan.rooms, ctx.concurrency, (room, index) =>
    deliverToRoom(ctx, token, room, index),
  );
}

function unsent(room: string, error: string): RoomResult {
  return { room, ok: false, status: null, attempts: 0, error };
}
