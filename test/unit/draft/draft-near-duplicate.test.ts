import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../pipeline/config/niche-config.ts';
import { createExtractiveProvider } from '../../../pipeline/draft/extractive-provider.ts';
import { withResearch } from '../../../pipeline/draft/researched-provider.ts';
import { createResearcher } from '../../../pipeline/research/research-sources.ts';
import { draftAndWrite } from '../../helpers/draft-and-write.ts';
import { rankHistory } from '../../../pipeline/trends/rank-history.ts';
import { loadState } from '../../../pipeline/state.ts';
import { copySampleNiche, runCli } from '../../helpers/cli.ts';
import { contextFor } from '../../helpers/context.ts';

describe('drafting next to the archive', () => {
  it('keeps a draft that repeats an existing article aside, as a draft with the finding recorded', async () => {
    const root = await copySampleNiche();
    expect((await runCli(['ingest'], { cwd: root })).code).toBe(0);
    expect((await runCli(['draft'], { cwd: root })).code).toBe(0);

    const config = await loadConfig({ root });
    const state = await loadState(config.resolved.state);
    const blob = rankHistory(config, state, [], { ignoreCoverage: true }).topics.find((topic) => topic.key === 'blob fees')!;
    // The same stories under another topic key: the digest comes out the same as blob-fees.md.
    const again = { ...blob, key: 'blob fees again' };
    // Drafted as `draft` drafts, from the same sources' pages (the sample's snapshots).
    const context = contextFor(config);
    const result = await draftAndWrite(context, state, [again], withResearch(createExtractiveProvider(), createResearcher(context), config));

    expect(result.articles).toEqual([expect.objectContaining({ status: 'quarantined', slug: 'blob-fees-2' })]);
    expect(result.findings.map((finding) => finding.rule ?? finding.code)).toContain('quality/near-duplicate');
    const text = await readFile(join(root, 'content/articles/blob-fees-2.md'), 'utf8');
    expect(text).toMatch(/^draft: true$/m);
    expect(text).toMatch(/quality\/near-duplicate/);
    // The original is untouched.
    expect(await readFile(join(root, 'content/articles/blob-fees.md'), 'utf8')).toMatch(/^draft: false$/m);
  }, 60_000);
});
