import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A disposable store of step answers; omit it to bypass the cache. */
export interface StepCache {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/**
 * Provider answers on disk, one JSON file per drafting step, keyed by a digest of everything
 * that shapes the answer (model, prompt hash, the rendered messages and the output schema). A
 * rerun with the same inputs pays for nothing. The cache is disposable and git-ignored; a
 * damaged entry is simply a miss, and every hit is validated again before use.
 */
export class DraftCache implements StepCache {
  readonly folder: string;
  /** With `readOnly` (a dry run) nothing is stored. */
  readonly readOnly: boolean;
  constructor(folder: string, options: { readOnly?: boolean } = {}) {
    this.folder = folder;
    this.readOnly = options.readOnly ?? false;
  }

  async get(key: string): Promise<unknown> {
    try {
      return JSON.parse(await readFile(this.pathOf(key), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
  }

  /**
   * Temp file + rename, so a reader never sees half an entry; but no fsync, unlike articles:
   * an entry lost to a power cut only costs a call, while an fsync sits between a topic's brief
   * and its article call and shows in every draft's latency.
   */
  async set(key: string, value: unknown): Promise<void> {
    if (this.readOnly) return;
    const file = this.pathOf(key);
    const temp = `${file}.tmp-${randomBytes(6).toString('hex')}`;
    await mkdir(this.folder, { recursive: true });
    try {
      await writeFile(temp, JSON.stringify(value));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    if (this.readOnly) return;
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    return join(this.folder, `${key.replace(/[^a-z0-9-]/gi, '')}.json`);
  }
}
