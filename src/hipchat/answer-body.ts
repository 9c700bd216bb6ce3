/**
 * What an answer's body says, once the client has turned it into a `HipChatResponse`
 * (response.ts): HipChat's own error message, or a page that is not HipChat's, and server text
 * made fit to quote. Pure, shared by the retry policy (is a 2xx really HipChat's?) and the
 * advice (what to tell users).
 */

/** HipChat's `error.message` from an error body, or undefined for a non-JSON answer. */
export function hipchatMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an answer is an HTML page: labelled `text/html`, or an HTML document whatever its
 * label. HipChat's API never answers with one (204 and an empty body, or JSON); a login page of
 * an SSO proxy, a web server's or a proxy's error page does.
 */
export function isHtmlPage(headers: Record<string, string>, body: string): boolean {
  return (
    /^\s*text\/html\b/i.test(headers['content-type'] ?? '') ||
    /^\s*<(!doctype\s+html|html)\b/i.test(body)
  );
}

/**
 * Whether a 2xx answer is not HipChat's: an HTML page, or a non-empty body that is not JSON
 * ("Please log in" as text from an SSO proxy). HipChat answers 204 with nothing, or JSON. A body
 * cut short (the connection lost after the status) counts as JSON when it starts as JSON.
 */
export function isForeignBody(
  headers: Record<string, string>,
  body: string,
  truncated = false,
): boolean {
  if (isHtmlPage(headers, body)) return true;
  const text = body.trim();
  if (!text) return false;
  if (truncated) return !/^[{[]/.test(text);
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

/**
 * Server text made fit to quote in a message: control and bidirectional-override characters
 * dropped, line breaks and tabs as spaces, at most `max` characters (with an ellipsis). The
 * text is already redacted of secrets by the client, before any cut.
 */
export function quotable(text: string, max = 300): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' ')
    // C0 and C1 controls, and the bidi embeddings, overrides and isolates (Trojan Source).
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '')
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The `<title>` of an HTML page, as ` ("title")`, or ''. */
export function pageTitle(body: string): string {
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(body)?.[1];
  const shown = title ? quotable(title, 120) : '';
  return shown ? ` ("${shown}")` : '';
}
