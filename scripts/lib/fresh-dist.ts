/**
 * Whether the committed `dist/` is what the sources build to: rolldown.config.ts's build is
 * made in memory and compared file by file with `dist/` on disk. Nothing is written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import config from '../../rolldown.config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The files of `dist/` that differ from a fresh build, are missing or are extra; [] when fresh. */
export async function staleDistFiles(distDir = path.join(ROOT, 'dist')): Promise<string[]> {
  const { output, ...input } = config;
  const single = Array.isArray(output) ? output[0] : output;
  const bundle = await rolldown({ ...input, cwd: ROOT, logLevel: 'warn' });
  let built: Map<string, string>;
  try {
    const { output: files } = await bundle.generate({ ...single, dir: undefined, cleanDir: false });
    built = new Map(
      files.map((file) => [
        file.fileName,
        file.type === 'chunk' ? file.code : Buffer.from(file.source).toString('utf8'),
      ]),
    );
  } finally {
    await bundle.close();
  }
  const stale: string[] = [];
  for (const [name, text] of built) {
    const onDisk = path.join(distDir, name);
    if (!existsSync(onDisk) || readFileSync(onDisk, 'utf8') !== text) stale.push(`dist/${name}`);
  }
  const present = existsSync(distDir) ? readdirSync(distDir) : [];
  for (const name of present) if (!built.has(name)) stale.push(`dist/${name} (not built any more)`);
  return stale.sort();
}
