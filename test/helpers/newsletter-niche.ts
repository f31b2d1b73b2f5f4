import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseConfig, type ResolvedConfig } from '../../pipeline/config/niche-config.ts';
import type { ArticleFrontmatterInput } from '../../pipeline/schema/article.ts';
import { PACKAGE_ROOT } from './cli.ts';
import { contextFor } from './context.ts';

/**
 * A throwaway niche for newsletter and social tests: the sample config (optionally amended) in a
 * temp folder, and articles written on demand as real files the pipeline loads.
 */
export interface TestNiche {
  root: string;
  config: ResolvedConfig;
  context: ReturnType<typeof contextFor>;
  addArticle(slug: string, overrides?: Partial<ArticleFrontmatterInput>): Promise<void>;
}

export async function newsletterNiche(options: { yamlSuffix?: string; now?: Date } = {}): Promise<TestNiche> {
  const root = await mkdtemp(join(tmpdir(), 'nichepress-newsletter-'));
  const yaml = (await readFile(join(PACKAGE_ROOT, 'content/niche.yaml'), 'utf8')) + (options.yamlSuffix ?? '');
  await mkdir(join(root, 'content/articles'), { recursive: true });
  const configFile = join(root, 'content/niche.yaml');
  await writeFile(configFile, yaml);
  const config = parseConfig(yaml, { root, configFile });
  const context = contextFor(config, { offline: true, ...(options.now ? { now: options.now } : {}) });
  return {
    root,
    config,
    context,
    async addArticle(slug, overrides = {}) {
      const frontmatter: ArticleFrontmatterInput = {
        title: `A research note about ${slug.replace(/-/g, ' ')}`,
        description: `What recent reporting says about ${slug.replace(/-/g, ' ')}, with the risks the sources raise first.`,
        publishedAt: '2026-10-30T07:00:00Z',
        draft: false,
        tags: ['staking'],
        keyTakeaways: ['Rewards are variable and can fall to zero. [1]', 'Withdrawals can take days. [2]'],
        sources: [
          { title: 'First source', url: 'https://staking-notes.example/one' },
          { title: 'Second source', url: 'https://defi-ledger.example/two' },
        ],
        generator: 'human',
        ...overrides,
      };
      await writeFile(join(root, 'content/articles', `${slug}.md`), `---\n${stringify(frontmatter)}---\n\nBody of ${slug}.\n`);
    },
  };
}

/**
 * A niche with three published articles — one linking StakePort, one TaxTrail (whose URL already
 * carries a utm_source), one without affiliates — and its first issue rendered by the stage.
 * Returns the issue's output folder.
 */
export async function renderedSampleIssue(): Promise<{ niche: TestNiche; folder: string; findings: { severity: string; code?: string; message: string }[] }> {
  const { runNewsletter } = await import('../../pipeline/newsletter/newsletter.ts');
  const { emptyState } = await import('../../pipeline/state.ts');
  const niche = await newsletterNiche();
  await niche.addArticle('plain-note', { publishedAt: '2026-10-31T07:00:00Z' });
  await niche.addArticle('staking-dashboards', { publishedAt: '2026-10-30T07:00:00Z', affiliates: ['stakeport'] });
  await niche.addArticle('tax-records', { publishedAt: '2026-10-29T07:00:00Z', affiliates: ['taxtrail'] });
  const result = await runNewsletter(niche.context, emptyState(), await articlesOf(niche.context));
  return { niche, folder: join(niche.root, 'dist/newsletter/0001'), findings: result.findings };
}

/** The niche's articles as a run's archive holds them. */
export async function articlesOf(context: { config: { resolved: { articles: string } } }) {
  const { loadArticles } = await import('../../pipeline/archive/archive.ts');
  return loadArticles(context.config.resolved.articles);
}
