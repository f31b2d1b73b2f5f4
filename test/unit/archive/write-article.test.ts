import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createExtractiveProvider } from '../../../pipeline/draft/extractive-provider.ts';
import { draftAndWrite } from '../../helpers/draft-and-write.ts';
import { emptyState } from '../../../pipeline/state.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { syntheticTopics } from '../../helpers/synthetic-topics.ts';

// The write step through the draft stage: an article on disk is never rewritten by the pipeline.

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function setup() {
  root = await mkdtemp(join(tmpdir(), 'nichepress-write-'));
  const config = await sampleConfig(root);
  return { config, context: contextFor(config), provider: createExtractiveProvider() };
}

const listArticles = async (folder: string) => (await readdir(folder)).filter((name) => name.endsWith('.md')).sort();

describe('writing articles', () => {
  it('never overwrites a hand-edited article, even when its topic is drafted again; it says so', async () => {
    const { config, context, provider } = await setup();
    const topics = syntheticTopics(2);
    const first = await draftAndWrite(context, emptyState(), topics, provider);
    expect(first.counts).toMatchObject({ written: 2 });
    const names = await listArticles(config.resolved.articles);
    const edited = join(config.resolved.articles, names[0]!);
    const text = `${await readFile(edited, 'utf8')}\nA paragraph the editor added by hand.\n`;
    await writeFile(edited, text);
    const before = await stat(edited);

    // The state forgot both topics (deleted, restored from an old commit…): they are drafted again.
    const state = emptyState();
    const again = await draftAndWrite(context, state, topics, provider);
    expect(again.counts).toMatchObject({ written: 0, unchanged: 2 });
    expect(await readFile(edited, 'utf8')).toBe(text);
    expect((await stat(edited)).mtimeMs).toBe(before.mtimeMs);
    expect(await listArticles(config.resolved.articles)).toEqual(names);
    // The edited one is reported (NP6004); the untouched one, identical to its new draft, is not.
    const kept = again.findings.filter((finding) => finding.code === 'NP6004');
    expect(kept.map((finding) => finding.file)).toEqual([`content/articles/${names[0]}`]);
    expect(kept[0]!.severity).toBe('info');
    // The state learns again which file covers each topic.
    expect(Object.keys(state.topics).sort()).toEqual(topics.map((topic) => topic.key).sort());
  });

  it('writes next to a hand-written article with the same slug, never over it', async () => {
    const { config, context, provider } = await setup();
    const [topic] = syntheticTopics(1);
    const probe = await draftAndWrite(contextFor(config, { dryRun: true }), emptyState(), [topic!], provider);
    const slug = probe.articles[0]!.slug;
    const human = join(config.resolved.articles, `${slug}.md`);
    const mine = '---\ntitle: My own take\ndescription: Written by hand.\npublishedAt: 2026-10-01T00:00:00.000Z\n---\n\nMine.\n';
    await mkdir(config.resolved.articles, { recursive: true });
    await writeFile(human, mine);

    const result = await draftAndWrite(context, emptyState(), [topic!], provider);
    expect(result.articles.map((article) => article.file)).toEqual([`content/articles/${slug}-2.md`]);
    expect(await readFile(human, 'utf8')).toBe(mine);
    expect(result.findings.find((finding) => finding.code === 'NP6002')).toMatchObject({ severity: 'info', file: `content/articles/${slug}.md` });
  });
});
