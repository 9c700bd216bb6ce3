/**
 * The follow-up inputs, `attach-to` and `lookup-id`, validated with
 * the others (inputs.ts) before any request: each problem names the input, the value and what
 * is accepted.
 */

/** HipChat's limit for `attach_to`: a message id of at most 36 characters (a UUID). */
export const MAX_MESSAGE_ID_LENGTH = 36;

/**
 * What a HipChat message id may look like: HipChat's are UUIDs; letters, digits and `-_.:` leave
 * room for a compatible server's own, and nothing that could change a request's meaning.
 */
export const MESSAGE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,35}$/;

/** The follow-up settings of a run. */
export interface FollowUpInputs {
  /** `attach-to`: the id of the message this notification answers; '' for none. */
  attachTo: string;
  /** `lookup-id`: read the notification's id back from each room's history after posting. */
  lookupId: boolean;
}

/**
 * Reads `attach-to` (trimmed) for `rooms`, with `lookup-id` already read, and adds a sentence to `problems` when it is wrong:
 * not an id, too long, or given for several rooms (the id belongs to one room's history).
 */
export function parseFollowUp(
  attachToRaw: string,
  lookupId: boolean,
  rooms: readonly string[],
  problems: string[],
): FollowUpInputs {
  const attachTo = attachToRaw.trim();
  if (!attachTo) return { attachTo: '', lookupId };
  const shown = attachTo.length > 40 ? `${attachTo.slice(0, 40)}…` : attachTo;
  if (attachTo.length > MAX_MESSAGE_ID_LENGTH) {
    problems.push(
      `\`attach-to\` is '${shown}' (${attachTo.length} characters): a HipChat message id has at most ${MAX_MESSAGE_ID_LENGTH}, like the \`message-id\` output of a step with \`lookup-id: true\`.`,
    );
  } else if (!MESSAGE_ID.test(attachTo)) {
    problems.push(
      `\`attach-to\` is '${JSON.stringify(shown).slice(1, -1)}': a HipChat message id is letters and digits with - _ . or : (a UUID), like the \`message-id\` output of a step with \`lookup-id: true\`.`,
    );
  }
  if (rooms.length > 1) {
    problems.push(
      `\`attach-to\` is set with ${rooms.length} rooms: a message id belongs to one room's history, so give exactly one \`room\` (one step per room).`,
    );
  }
  return { attachTo, lookupId };
}
