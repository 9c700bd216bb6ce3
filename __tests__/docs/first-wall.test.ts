/**
 * The first wall a HipChat Server user hits comes first: before the README's first workflow, it
 * says where the server usually lives, what that means for runners (self-hosted, a reachable
 * address, proxies), and the one line that tells which (`auth-test: true`). The errors it quotes
 * are the action's own words for a runner that cannot reach the server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { readDoc } from '../../scripts/lib/markdown-docs.ts';

describe("the README's first wall", () => {
  const readme = readDoc('README.md');
  const start = readme.indexOf('## First: can your runner reach HipChat?');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('comes before the first workflow and says what it means for runners', () => {
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThan(readme.indexOf('```yaml'));
    for (const words of [
      'self-hosted runner',
      'HTTPS_PROXY',
      'NODE_EXTRA_CA_CERTS',
      '`auth-test: true`',
    ]) {
      expect(section).toContain(words);
    }
  });

  it("quotes the action's own words for an unreachable server", () => {
    const advice = readFileSync(path.join(ROOT, 'src', 'hipchat', 'transport-advice.ts'), 'utf8');
    const quoted = [...section.matchAll(/`([^`]+)`/g)]
      .map((m) => m[1]!.replace(/\s+/g, ' '))
      .filter((code) => /resolve|reached|No connection/.test(code));
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const text of quoted) {
      // `…` and a code in parentheses stand for what the message fills in.
      const pieces = text
        .split(/…|\([A-Z]+\)/)
        .map((p) => p.trim())
        .filter(Boolean);
      for (const piece of pieces) expect(advice, text).toContain(piece);
    }
  });
});
