import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/niche-config.ts';

/**
 * The scratch folder for temp files of atomic writes into content/ (`<paths.cacheDir>/tmp`):
 * a write killed half-way leaves its temp file here, never among the articles.
 */
export function scratchDir(config: ResolvedConfig): string {
  return join(config.resolved.cacheDir, 'tmp');
}

/** Options for writeFileAtomic when the target is under content/. */
export function contentWrite(config: ResolvedConfig): { tempDir: string } {
  return { tempDir: scratchDir(config) };
}

/**
 * Empties the scratch folder. Only called while holding the run lock: no other writer is live,
 * so every file there was left by a run that was killed.
 */
export async function clearScratch(config: ResolvedConfig): Promise<number> {
  const folder = scratchDir(config);
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.map((name) => rm(join(folder, name), { recursive: true, force: true })));
  return names.length;
}
