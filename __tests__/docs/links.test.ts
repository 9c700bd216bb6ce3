/**
 * Every Markdown file of the project, rendered as GitHub renders it (micromark with its GFM
 * extension: tables, autolinks, …): each relative link and image leads to a file that exists,
 * each `#anchor` to a heading of the target page (GitHub's slugs, github-slugger), and every
 * link written in the source is still a link in the rendered page — so a link lost in a broken
 * table row (a cell past the header's count is dropped) fails.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/action-runner.ts';
import { decodeEntities } from '../../scripts/lib/hipchat-html.ts';
import { markdownFiles, readDoc } from '../../scripts/lib/markdown-docs.ts';

const rendered = new Map<string, string>();
/** A page rendered to HTML, once. */
function render(file: string): string {
  let html = rendered.get(file);
  if (html === undefined) {
    html = micromark(readDoc(file), {
      allowDangerousHtml: true,
      extensions: [gfm()],
      htmlExtensions: [gfmHtml()],
    });
    rendered.set(file, html);
  }
  return html;
}

/** The anchors GitHub gives a rendered page: one per heading, numbered when repeated. */
function anchors(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const ids = new Set<string>();
  for (const match of render(file).matchAll(/<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/g)) {
    ids.add(slugger.slug(decodeEntities(match[1]!.replace(/<[^>]*>/g, ''))));
  }
  for (const match of render(file).matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) ids.add(match[1]!);
  return ids;
}

/** Link targets in the rendered page (`href` and `src`), entities decoded. */
function renderedTargets(file: string): string[] {
  return [...render(file).matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => decodeEntities(m[1]!));
}

/** Link targets written in the Markdown source, code left out: `[text](target)`, `![alt](target)`. */
function sourceTargets(file: string): string[] {
  const prose = readDoc(file)
    .replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
  return [...prose.matchAll(/\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
}

const isRelative = (target: string): boolean =>
  !/^[a-z][a-z\d+.-]*:/i.test(target) && !target.startsWith('//');

/** What is wrong with a relative target of `file`, or undefined. */
function problem(file: string, target: string): string | undefined {
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  const targetFile = rawPath
    ? path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURIComponent(rawPath)))
    : file;
  if (targetFile.startsWith('..')) return `${target}: outside the repository`;
  if (!existsSync(path.join(ROOT, targetFile))) return `${target}: ${targetFile} does not exist`;
  // An empty anchor (`#`) is the top of the page.
  if (anchor && targetFile.endsWith('.md') && !anchors(targetFile).has(anchor)) {
    return `${target}: ${targetFile} has no heading #${anchor}`;
  }
  return undefined;
}

const files = markdownFiles();

describe('links in the rendered Markdown resolve', () => {
  it('finds the pages', () => {
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(5);
  });

  it.each(files)('%s', (file) => {
    const targets = renderedTargets(file).filter(isRelative);
    expect(targets.map((t) => problem(file, t)).filter(Boolean)).toEqual([]);
    const lost = sourceTargets(file).filter(
      (t) => isRelative(t) && !renderedTargets(file).includes(t),
    );
    expect(
      lost,
      'links written in the source that the rendered page lost (a broken table row?)',
    ).toEqual([]);
  });
});
