import { stringify } from 'yaml';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { ArticleOutput } from './article-output.ts';
import type { DraftResult } from './provider.ts';
import { sanitizeMarkdown } from '../lib/sanitize-markdown.ts';
import { slugify } from '../lib/slug.ts';
import type { ArticleFrontmatterInput } from '../schema/article.ts';
import type { Topic } from '../schema/feed-item.ts';

export interface AssembledArticle {
  slug: string;
  frontmatter: ArticleFrontmatterInput;
  body: string;
  /** The whole file: frontmatter block and body. */
  text: string;
  /** What the sanitiser removed from the provider's output (links, HTML). */
  removed: string[];
}

/**
 * Turns a provider's structured output into an article file. This is where untrusted model
 * output is tamed: citations become links to the topic's own sources, affiliate placements
 * become links built from the registry, and everything else link- or HTML-like is removed.
 */
export function assembleArticle(input: {
  result: DraftResult;
  topic: Topic;
  config: ResolvedConfig;
  generator: 'extractive' | 'openai';
  now: Date;
  inputHash: string;
}): AssembledArticle {
  const { result, topic, config, now } = input;
  const output: ArticleOutput = result.output;
  const sources = topic.items.slice(0, 8);
  const programs = output.affiliates
    .map((id) => config.affiliates.find((program) => program.id === id))
    .filter((program) => program !== undefined);

  const allowed = new Set<string>([...sources.map((item) => item.url), ...programs.map((program) => program.url)]);
  // Site-relative paths, but not `//host` or `/\host`, which browsers read as another site.
  const isAllowed = (url: string) => allowed.has(url) || /^\/(?![/\\])/.test(url) || url.startsWith('#');

  const removed: string[] = [];
  const plain = (text: string) => plainLine(withoutBareUrls(stripLinks(text), isAllowed, removed));
  const citeLinks = (markdown: string) =>
    markdown.replace(/(?<!\\)\[(\d{1,2})\](?!\()/g, (_match, number: string) => {
      const source = sources[Number(number) - 1];
      if (!source) {
        removed.push(`citation [${number}] has no source`);
        return '';
      }
      return `[[${number}]](${source.url})`;
    });

  const sections = output.sections.map((section) => {
    const clean = sanitizeMarkdown(demoteHeadings(section.markdown), isAllowed);
    removed.push(...clean.removed);
    // Markdown renderers turn bare URLs into links (GFM autolinks), so they are links too.
    const markdown = withoutBareUrls(clean.markdown, isAllowed, removed);
    return `## ${plain(section.heading)}\n\n${citeLinks(markdown.trim())}`;
  });

  if (programs.length > 0) {
    const links = programs.map((program) => `[${program.name}](${program.url})`).join(' and ');
    const placement = `If you want a tool for this: ${links}. Check its terms before you sign up.`;
    // After the first section, so the disclosure the site shows above the body comes first.
    sections.splice(Math.min(1, sections.length), 0, placement);
  }

  const body = `${sections.join('\n\n')}\n`;
  const frontmatter: ArticleFrontmatterInput = {
    title: plain(output.title),
    description: plain(output.description),
    publishedAt: now.toISOString(),
    draft: false,
    lang: config.site.language,
    tags: output.tags.map((tag) => slugify(tag, 40)).filter((tag, index, all) => all.indexOf(tag) === index),
    // Only a niche with the money preset (or ymyl.enabled) marks its articles YMYL.
    ymyl: config.ymyl.enabled,
    topic: { key: topic.key, label: topic.label, score: topic.score },
    keyTakeaways: output.keyTakeaways.map(plain),
    faq: output.faq.map((entry) => ({ question: plain(entry.question), answer: plain(entry.answer) })),
    sources: sources.map((item) => ({ title: item.title, url: item.url, publisher: item.publisher, publishedAt: item.publishedAt })),
    affiliates: programs.map((program) => program.id),
    generator: input.generator,
    provenance: {
      model: result.model,
      ...(result.prompt ? { prompt: result.prompt } : {}),
      ...(result.briefPrompt ? { briefPrompt: result.briefPrompt } : {}),
      ...(result.usage ? { usage: result.usage } : {}),
      ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
      draftedAt: now.toISOString(),
      inputHash: input.inputHash,
      ...(result.research ? { research: result.research } : {}),
    },
  };

  return { slug: slugOf(output.title), frontmatter, body, text: serializeArticle(frontmatter, body), removed };
}

export function serializeArticle(frontmatter: object, body: string): string {
  const yaml = stringify(frontmatter, { lineWidth: 0 });
  return `---\n${yaml}---\n\n${body}`;
}

/** "Liquid restaking: what recent reporting says" → "liquid-restaking": the part before a colon names the subject. */
function slugOf(title: string): string {
  const head = title.split(':')[0] ?? title;
  return slugify(head.split(/\s+/).length >= 2 ? head : title, 60);
}

/** Sections are rendered under an h2; headings inside them start at h3. */
function demoteHeadings(markdown: string): string {
  return markdown.replace(/^(#{1,2})(?=\s)/gm, '###');
}

/**
 * Bare http(s) and www. addresses that are not allowed, removed (and reported). What is left of
 * the sentence still reads; the address is simply gone.
 */
function withoutBareUrls(text: string, isAllowed: (url: string) => boolean, removed: string[]): string {
  return text.replace(/(?<![(<\w/])(?:https?:\/\/|www\.)[^\s<>()[\]"'`]+/gi, (match) => {
    const url = match.replace(/[.,;:!?]+$/, '');
    if (isAllowed(url)) return match;
    removed.push(`bare URL ${url.slice(0, 80)}`);
    return match.slice(url.length);
  });
}

/** `[label](target)` → label, for fields rendered as plain text: they never carry links. */
function stripLinks(text: string): string {
  return text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
}

/** Single-line plain text for titles, takeaways and FAQ: no markup, no line breaks. */
function plainLine(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
