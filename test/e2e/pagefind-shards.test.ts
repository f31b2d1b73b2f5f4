import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeShards, type Shard } from '../../site/lib/pagefind-shards.ts';
import type { SearchRecord } from '../../site/lib/search-records.ts';

/** Every file under `folder`, by relative path, with its bytes. */
async function tree(folder: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(folder, path), await readFile(path));
  }
  return files;
}

const record = (slug: string, words: string): SearchRecord => ({ url: `/articles/${slug}/`, content: words, language: 'en', meta: { title: slug } });
const shards: Array<Shard<SearchRecord>> = [
  { key: 'a+b', items: () => [record('a', 'restaking points explained'), record('b', 'lending rates move with utilisation')] },
  { key: 'c', items: () => [record('c', 'hardware wallets keep keys offline')] },
];
const add = (index: Parameters<Parameters<typeof writeShards>[1]>[0], item: SearchRecord) => index.addCustomRecord(item);

describe('writeShards with a cache', () => {
  let root: string;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('packs each bundle once, unpacks identical files, and indexes again when a pack is damaged', async () => {
    root = await mkdtemp(join(tmpdir(), 'nichepress-shards-'));
    const cacheDir = join(root, 'cache');
    // An entry no bundle uses (e.g. a folder left by an older cache format) is removed.
    await mkdir(join(cacheDir, 'stale-entry'), { recursive: true });
    await writeFile(join(cacheDir, 'stale-entry', 'x'), 'old');

    const first = await writeShards(shards, add, { outputRoot: join(root, 'first'), language: 'en', cacheDir });
    expect(first).toEqual({ shards: 2, reused: 0 });
    const packs = (await readdir(cacheDir)).sort();
    expect(packs).toHaveLength(2);
    expect(packs.every((name) => name.endsWith('.pack'))).toBe(true);
    const built = await tree(join(root, 'first'));
    expect(JSON.parse(built.get('pagefind/nichepress-shards.json')!.toString())).toEqual({ bundles: ['/pagefind-2/'] });
    for (const folder of ['pagefind', 'pagefind-2']) {
      expect(JSON.parse(built.get(`${folder}/pagefind-entry.json`)!.toString())).toMatchObject({ languages: { en: {} } });
    }
    expect([...built.keys()].filter((path) => path.includes('/fragment/'))).toHaveLength(3);

    const second = await writeShards(shards, add, { outputRoot: join(root, 'second'), language: 'en', cacheDir });
    expect(second).toEqual({ shards: 2, reused: 2 });
    expect(await tree(join(root, 'second'))).toEqual(built);

    // A pack cut short (a full disk, a hand edit) is not trusted: that bundle is indexed again.
    await truncate(join(cacheDir, packs[0]!), 100);
    const third = await writeShards(shards, add, { outputRoot: join(root, 'third'), language: 'en', cacheDir });
    expect(third).toEqual({ shards: 2, reused: 1 });
    const rebuilt = await tree(join(root, 'third'));
    expect([...rebuilt.keys()].sort()).toEqual([...built.keys()].sort());
    expect((await readdir(cacheDir)).sort()).toEqual(packs);
  }, 60_000);
});
