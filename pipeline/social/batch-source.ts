import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { displayPath, type ResolvedConfig } from '../config/niche-config.ts';
import { SocialBatchInvalid } from '../errors/catalogue.ts';
import { findingFrom, type Finding } from '../errors/finding.ts';
import { writeFileAtomic } from '../lib/atomic-write.ts';
import { contentWrite } from '../lib/scratch-dir.ts';
import { schemaIssues } from '../lib/schema-issues.ts';

/**
 * The posts one run made: content/social/<NNNN>.json. Committed with the content, it is both
 * the record of which articles already have posts (so reruns never post twice) and the source
 * the outbox exports (social.outDir) are rendered from on every run. An editor may reword a post
 * here before publishing it.
 */

const postSchema = z.strictObject({
  article: z.string().min(1),
  title: z.string(),
  network: z.enum(['x', 'bluesky', 'mastodon', 'linkedin']),
  text: z.string().min(1),
  url: z.url(),
  length: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});

const batchSchema = z.strictObject({
  batch: z.number().int().positive(),
  date: z.iso.datetime(),
  posts: z.array(postSchema).min(1),
});

export type SocialBatch = z.infer<typeof batchSchema>;
export type SocialPostRecord = z.infer<typeof postSchema>;

export function socialFolder(config: ResolvedConfig): string {
  return join(config.resolved.articles, '..', 'social');
}

export function padBatch(number: number): string {
  return String(number).padStart(4, '0');
}

export async function loadBatches(config: ResolvedConfig): Promise<{ batches: SocialBatch[]; findings: Finding[] }> {
  const folder = socialFolder(config);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => /^\d+\.json$/.test(name));
  } catch {
    return { batches: [], findings: [] };
  }
  const batches: SocialBatch[] = [];
  const findings: Finding[] = [];
  for (const name of names.sort()) {
    const file = join(folder, name);
    const shown = displayPath(config.root, file);
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      findings.push(findingFrom(SocialBatchInvalid, [shown, `not valid JSON (${(error as Error).message})`], { file: shown }));
      continue;
    }
    const result = batchSchema.safeParse(data);
    if (!result.success) {
      const first = schemaIssues(result.error)[0];
      findings.push(findingFrom(SocialBatchInvalid, [shown, first ? `${first.dottedPath}: ${first.message}` : 'invalid batch'], { file: shown }));
      continue;
    }
    batches.push(result.data);
  }
  return { batches: batches.sort((a, b) => a.batch - b.batch), findings };
}

export async function writeBatch(config: ResolvedConfig, batch: SocialBatch): Promise<string> {
  const file = join(socialFolder(config), `${padBatch(batch.batch)}.json`);
  await writeFileAtomic(file, `${JSON.stringify(batch, null, 2)}\n`, contentWrite(config));
  return file;
}
