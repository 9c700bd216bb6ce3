/** HipChat API v2 shapes used by the action. Facts: see the project's HipChat API notes. */

/** Colours HipChat accepts for a room notification. */
export const COLORS = ['yellow', 'green', 'red', 'purple', 'gray', 'random'] as const;
export type Color = (typeof COLORS)[number];

/** HipChat's `message_format`. */
export const FORMATS = ['html', 'text'] as const;
export type MessageFormat = (typeof FORMATS)[number];

/** HipChat rejects messages longer than this many characters. */
export const MAX_MESSAGE_LENGTH = 10_000;

/** HipChat rejects a `from` label longer than this many characters. */
export const MAX_FROM_LENGTH = 64;

/** Styles of a card attribute value. */
export type LozengeStyle =
  | 'lozenge-success'
  | 'lozenge-error'
  | 'lozenge-current'
  | 'lozenge-complete'
  | 'lozenge-moved'
  | 'lozenge';

/** One `{label, value}` row of a card. */
export interface CardAttribute {
  label: string;
  value: { label: string; url?: string; style?: LozengeStyle; icon?: { url: string } };
}

/** A HipChat card (only the fields this action sends). */
export interface Card {
  style: 'application' | 'file' | 'image' | 'link' | 'media';
  id: string;
  title: string;
  url?: string;
  format?: 'compact' | 'medium';
  description?: string | { value: string; format: MessageFormat };
  icon?: { url: string };
  attributes?: CardAttribute[];
}

/** Body of `POST /v2/room/{id_or_name}/notification`. */
export interface NotificationBody {
  message: string;
  color: Color;
  message_format: MessageFormat;
  notify: boolean;
  from?: string;
  /**
   * The id of a message in the same room that this notification answers. Absent, never null or
   * empty, when there is none: servers answer 400 to `attach_to: null`.
   */
  attach_to?: string;
  card?: Card;
}

/** Body of `POST /v2/user/{id_or_email}/message` (a private message). */
export interface PrivateMessageBody {
  message: string;
  message_format: MessageFormat;
  notify: boolean;
}

/** Answer of `POST /v2/oauth/token` (client credentials). */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  scope: string;
  expires_in: number;
  group_id?: number;
  group_name?: string;
}

/** What HipChat (or whatever answered in its place) said: status, lower-cased headers, body. */
export interface HipChatResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Set when the body was cut: beyond the client's cap, or the connection lost while it came. */
  truncated?: boolean;
}

/** The answer to the add-on token request, with the token read from it when there is one. */
export interface TokenAnswer extends HipChatResponse {
  /** The token of a 2xx answer that carries an `access_token`; undefined otherwise. */
  token?: TokenResponse;
}
