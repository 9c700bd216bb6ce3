/**
 * The project's Markdown as the docs tier reads it: which files, their fenced code blocks (with
 * the heading they sit under and their line), and their blockquotes. A line scanner, not a
 * renderer: it only has to find fences and quotes the way CommonMark opens and closes them
 * (the docs tier checks links on the GFM rendering: __tests__/docs/links.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './action-runner.ts';

/** Folders that hold no documentation of ours. */
const SKIPPED = new Set(['node_modules', 'dist', '.git', 'preview-out', 'coverage', '.bench']);

/** Every Markdown file of the project, relative to the root, sorted. */
export function markdownFiles(dir = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) files.push(...markdownFiles(rel));
    } else if (entry.isFile() && entry.name.endsWith('.md')) {
      files.push(rel);
    }
  }
  return files.sort();
}

/** The pages written for workflow authors: README.md and everything under docs/. */
export function userDocs(): string[] {
  return markdownFiles().filter((file) => file === 'README.md' || file.startsWith('docs/'));
}

/** One fenced code block. */
export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word (`yaml`, `sh`, `text`, or '' for none). */
  lang: string;
  /** The content, with the fence's indentation removed. */
  text: string;
  /** The text of the nearest heading above the block ('' before the first). */
  heading: string;
}

/** One blockquote: its lines without the `>` markers. */
export interface Quote {
  file: string;
  line: number;
  markdown: string;
  heading: string;
}

/** A Markdown file's text, by its path relative to the root. */
export function readDoc(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

interface Fence {
  marker: string;
  indent: number;
  lang: string;
  line: number;
  lines: string[];
}

/** The fenced code blocks and blockquotes of a file, in order. */
export function scanDoc(file: string): { blocks: CodeBlock[]; quotes: Quote[] } {
  const blocks: CodeBlock[] = [];
  const quotes: Quote[] = [];
  let heading = '';
  let fence: Fence | undefined;
  let quote: Quote | undefined;
  readDoc(file)
    .split('\n')
    .forEach((line, index) => {
      if (fence) {
        if (isClosing(line, fence)) {
          blocks.push({
            file,
            line: fence.line,
            lang: fence.lang,
            text: fence.lines.join('\n') + '\n',
            heading,
          });
          fence = undefined;
        } else {
          fence.lines.push(stripIndent(line, fence.indent));
        }
        return;
      }
      const open = /^( {0,3}|\s*(?:[-*]|\d+\.)\s+|\s+)(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (open && !/^\s*>/.test(line)) {
        fence = {
          marker: open[2]!,
          indent: open[1]!.length,
          lang: open[3] ?? '',
          line: index + 1,
          lines: [],
        };
        quote = undefined;
        return;
      }
      const quoted = /^\s{0,3}> ?(.*)$/.exec(line);
      if (quoted) {
        quote ??= quotes[quotes.push({ file, line: index + 1, markdown: '', heading }) - 1];
        quote!.markdown += `${quoted[1]}\n`;
        return;
      }
      quote = undefined;
      const title = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (title) heading = title[1]!;
    });
  return { blocks, quotes };
}

function isClosing(line: string, fence: Fence): boolean {
  const match = /^\s*(`{3,}|~{3,})\s*$/.exec(line);
  return !!match && match[1]![0] === fence.marker[0] && match[1]!.length >= fence.marker.length;
}

function stripIndent(line: string, indent: number): string {
  let cut = 0;
  while (cut < indent && line[cut] === ' ') cut++;
  return line.slice(cut);
}

/** Every fenced block of the user docs in one of `langs`. */
export function blocksOf(langs: readonly string[], files = userDocs()): CodeBlock[] {
  return files.flatMap((file) => scanDoc(file).blocks.filter((b) => langs.includes(b.lang)));
}

/** `README.md:42` — where a block is, for test names and messages. */
export function where(item: { file: string; line: number }): string {
  return `${item.file}:${item.line}`;
}

/** What the user docs' YAML examples ask of the action: the refs they use and the inputs they set. */
export function docsActionUse(action: string): { refs: string[]; inputs: string[] } {
  const refs = new Set<string>();
  const inputs = new Set<string>();
  const visit = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, false);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const map = node as Record<string, unknown>;
    const uses = typeof map.uses === 'string' ? map.uses : undefined;
    const ours = uses?.startsWith(`${action}@`);
    if (ours) refs.add(uses!.slice(action.length + 1));
    // A step of the action, or a bare `with:` fragment (a block that is only the step's inputs).
    const withMap = map.with;
    if ((ours || (top && !uses)) && typeof withMap === 'object' && withMap !== null) {
      for (const key of Object.keys(withMap)) inputs.add(key);
    }
    for (const value of Object.values(map)) visit(value, false);
  };
  for (const block of blocksOf(['yaml', 'yml'])) visit(parseYaml(block.text), true);
  return { refs: [...refs].sort(), inputs: [...inputs].sort() };
}
