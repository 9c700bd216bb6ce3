/** The real clock, for the action's own runs (tests inject a virtual one). */
import type { Clock } from './types.js';

/** Wall-clock time, real timers and Math.random. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};
