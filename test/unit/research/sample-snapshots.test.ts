import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createResearcher } from '../../../pipeline/research/research-sources.ts';
import { PACKAGE_ROOT } from '../../helpers/cli.ts';
import { contextFor, sampleConfig } from '../../helpers/context.ts';
import { serveSamplePages } from '../../helpers/sample-pages.ts';

// The sample ships snapshots of its source pages (content/sources/) so the offline quick start
// researches from pages. They must be what research really extracts from those pages today
// (regenerate with `npx node test/helpers/snapshot-sample-pages.ts`).

it('ships, for every sample page, exactly the snapshot research makes of it', async () => {
  const pages = await serveSamplePages();
  const folder = await mkdtemp(join(tmpdir(), 'nichepress-sample-snapshots-'));
  try {
    const base = await sampleConfig();
    const config = { ...base, research: { ...base.research, snapshots: folder } };
    const researcher = createResearcher(contextFor(config, { http: pages.http }), { resolveHost: pages.resolveHost });
    for (const topic of pages.topics) await researcher.research(topic);
    expect(researcher.counts).toMatchObject({ pagesRead: 18, feedOnly: 0 });

    const shipped = join(PACKAGE_ROOT, 'content/sources');
    const made = (await readdir(folder)).sort();
    expect((await readdir(shipped)).sort()).toEqual(made);
    for (const file of made) expect(await readFile(join(shipped, file), 'utf8'), file).toBe(await readFile(join(folder, file), 'utf8'));
    // Nothing of the pages' chrome or their comment threads was kept.
    const all = (await Promise.all(made.map((file) => readFile(join(folder, file), 'utf8')))).join('\n');
    for (const chrome of ['scam.example', 'Ignore the article', 'We use cookies', 'Most read', 'Share', 'Sample page for the nichepress']) expect(all).not.toContain(chrome);
  } finally {
    await pages.close();
    await rm(folder, { recursive: true, force: true });
  }
});
