import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileIfChanged } from '../lib/atomic-write.ts';
import { digest } from '../lib/hash.ts';

/**
 * What we read on a source page, kept: the URL, when it was fetched, a hash of the text and the
 * article's paragraphs. One pretty-printed JSON file per URL (content/sources/ by default,
 * committed with the articles), so a rerun needs no network and an article can still be checked
 * against its sources after the page has gone. A page that could not be read is recorded too,
 * with the reason, so the next run does not knock again until `research.retryUnreadHours` passed.
 */

export const snapshotSchema = z.strictObject({
  url: z.string(),
  /** Where the page was read after redirects, when that differs. */
  finalUrl: z.string().optional(),
  fetchedAt: z.string(),
  status: z.enum(['read', 'unread']),
  reason: z.string().optional(),
  detail: z.string().optional(),
  title: z.string().optional(),
  /** sha256 of the paragraphs joined by blank lines: the text's identity for provenance. */
  contentHash: z.string().optional(),
  paragraphs: z.array(z.string()).optional(),
});

export type PageSnapshot = z.infer<typeof snapshotSchema>;

export function textHash(paragraphs: readonly string[]): string {
  return digest(paragraphs.join('\n\n'), 32);
}

export function createSnapshotStore(folder: string, options: { readOnly?: boolean; tempDir?: string } = {}) {
  const fileOf = (url: string) => {
    let host = 'page';
    try {
      host = new URL(url).hostname.replace(/[^a-z0-9.-]/gi, '') || host;
    } catch {
      // keep the generic name
    }
    return join(folder, `${host}-${digest(url, 12)}.json`);
  };

  return {
    folder,
    async get(url: string): Promise<PageSnapshot | undefined> {
      let data: unknown;
      try {
        data = JSON.parse(await readFile(fileOf(url), 'utf8'));
      } catch {
        return undefined;
      }
      const parsed = snapshotSchema.safeParse(data);
      // A damaged or hand-mangled snapshot is a miss: the page is read again, never trusted blindly.
      if (!parsed.success || parsed.data.url !== url) return undefined;
      const snapshot = parsed.data;
      if (snapshot.status === 'read' && (!snapshot.paragraphs || snapshot.contentHash !== textHash(snapshot.paragraphs))) return undefined;
      return snapshot;
    },
    async put(snapshot: PageSnapshot): Promise<void> {
      if (options.readOnly) return;
      await writeFileIfChanged(fileOf(snapshot.url), `${JSON.stringify(snapshot, null, 2)}\n`, options.tempDir ? { tempDir: options.tempDir } : {});
    },
  };
}

export type SnapshotStore = ReturnType<typeof createSnapshotStore>;
