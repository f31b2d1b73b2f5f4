import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import type { DraftResult } from './provider.ts';

/**
 * Provider responses on disk, keyed by a digest of everything that shapes the answer (provider,
 * model, prompt hash, topic and its sources). A rerun with the same inputs pays for nothing.
 * The cache is disposable and git-ignored; a damaged entry is simply a miss.
 */
export class DraftCache {
  readonly folder: string;
  constructor(folder: string) {
    this.folder = folder;
  }

  async get(key: string): Promise<DraftResult | undefined> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as DraftResult;
    } catch {
      return undefined;
    }
  }

  async set(key: string, result: DraftResult): Promise<void> {
    await writeFileAtomic(this.pathOf(key), JSON.stringify(result));
  }

  private pathOf(key: string): string {
    return join(this.folder, `${key.replace(/[^a-z0-9-]/gi, '')}.json`);
  }
}
