import { httpHost } from './link-targets.ts';
import { defineRule } from './rule.ts';

/**
 * An article lists at least `validate.minSources` distinct sources (different publishers'
 * hosts count separately; two pages of one site count once).
 *
 * One source makes an article a rewrite of someone else's; the niche promises research. Human
 * articles (`generator: human`, or no generator at all) are exempt: an editor may write an
 * essay or a how-to.
 *
 * ok:     sources on defiledger.example and yieldwatch.example
 * not-ok: a generated article with one source
 */
export const citationsMinSources = defineRule({
  id: 'citations/min-sources',
  version: 2,
  severity: 'error',
  description: 'Generated articles cite a minimum number of distinct sources.',
  options: (config) => ({ minimum: config.validate.minSources }),
  check(article, { minimum }) {
    const frontmatter = article.frontmatter;
    if (!frontmatter || frontmatter.generator === 'human') return [];
    const hosts = new Set(frontmatter.sources.map((source) => httpHost(source.url)?.replace(/^www\./, '') ?? source.url));
    if (hosts.size >= minimum) return [];
    return [
      {
        message: `The article has ${hosts.size} distinct ${hosts.size === 1 ? 'source' : 'sources'}; at least ${minimum} are required`,
        hint: 'Add sources from other publishers, or lower validate.minSources in the config.',
        path: frontmatter.sources.length > 0 ? ['sources'] : ['generator'],
      },
    ];
  },
});
