/**
 * Reading an HTTP answer as HipChat's or not: pure functions over status, headers and body,
 * shared by the retry policy (is a 2xx really HipChat's?) and the advice (what to tell users).
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

/** The `<title>` of an HTML page, as ` ("title")`, or ''. */
export function pageTitle(body: string): string {
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(body)?.[1]?.trim();
  return title ? ` ("${title}")` : '';
}
