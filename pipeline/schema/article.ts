import { z } from 'zod';

/**
 * The article frontmatter schema — the one schema with two users: `validate` (pipeline) and the
 * Astro content collection (site/content.config.ts). Change it here and both follow.
 *
 * Objects are strict: an unknown key is reported (usually a typo like `tittle:`), never silently
 * dropped. Dates accept both YAML timestamps (Astro's parser gives Date objects) and ISO strings
 * (our parser keeps strings).
 */

const date = (what: string) =>
  z.coerce.date({ error: `expected ${what} as a date like 2026-11-01 or 2026-11-01T09:00:00Z` });

const httpUrl = z
  .string({ error: 'expected a URL' })
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'expected an absolute http(s) URL');

export const tagSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'tags are lower-case words joined by hyphens, e.g. "liquid-staking"');

export const sourceSchema = z.strictObject({
  title: z.string().min(1, 'a source needs a title'),
  url: httpUrl,
  publisher: z.string().optional(),
  publishedAt: date('the source date').optional(),
});

/** What produced the article: the audit trail a human uses to review and roll back. */
export const provenanceSchema = z.strictObject({
  /** Model id for LLM drafts; the extractive provider's version otherwise. */
  model: z.string().optional(),
  /** The prompt that wrote the article (name + content hash of the file in prompts/). */
  prompt: z.strictObject({ name: z.string(), hash: z.string() }).optional(),
  /** The prompt of the research-brief step the article was written from (two-step drafting). */
  briefPrompt: z.strictObject({ name: z.string(), hash: z.string() }).optional(),
  usage: z
    .strictObject({ inputTokens: z.number().int().nonnegative(), outputTokens: z.number().int().nonnegative() })
    .optional(),
  costUsd: z.number().nonnegative().optional(),
  draftedAt: date('the drafting time'),
  /** Digest of the topic and source items the draft was made from: reruns skip equal inputs. */
  inputHash: z.string().optional(),
  /**
   * How the draft was researched: sources read as pages (the rest from their feed text), and
   * the figures, dates, names and quotations checked against the cited sources and dropped.
   */
  research: z
    .strictObject({
      pagesRead: z.number().int().nonnegative(),
      feedOnly: z.number().int().nonnegative(),
      claimsChecked: z.number().int().nonnegative(),
      claimsDropped: z.number().int().nonnegative(),
    })
    .optional(),
});

export const topicRefSchema = z.strictObject({
  /** Stable key of the trend topic, used to never draft the same topic twice. */
  key: z.string().min(1),
  label: z.string().min(1),
  score: z.number().optional(),
});

export const faqEntrySchema = z.strictObject({
  question: z.string().min(1),
  answer: z.string().min(1),
});

export const articleFrontmatterSchema = z.strictObject({
  title: z
    .string({ error: 'a title is required' })
    .min(10, 'the title is too short (at least 10 characters)')
    .max(120, 'the title is too long (at most 120 characters)'),
  description: z
    .string({ error: 'a description is required (it is the search-result snippet)' })
    .min(50, 'the description is too short (at least 50 characters)')
    .max(200, 'the description is too long (at most 200 characters; search engines cut it)'),
  publishedAt: date('publishedAt'),
  updatedAt: date('updatedAt').optional(),
  /** Drafts are never published: the site and the newsletter skip them. */
  draft: z.boolean().default(false),
  lang: z.string().regex(/^[a-z]{2}(?:-[A-Z]{2})?$/, 'expected a language code like "en" or "en-GB"').default('en'),
  tags: z.array(tagSchema, { error: 'expected tags as a list, e.g. [liquid-staking, defi] or one "- tag" line each' }).max(12, 'at most 12 tags').default([]),
  /** Your-money-or-your-life topic: the page shows the financial-risk disclaimer. */
  ymyl: z.boolean().default(true),
  topic: topicRefSchema.optional(),
  keyTakeaways: z.array(z.string().min(1)).default([]),
  faq: z.array(faqEntrySchema).default([]),
  sources: z.array(sourceSchema).default([]),
  /** Ids of affiliate programs linked from the body (see content/niche.yaml `affiliates`). */
  affiliates: z.array(z.string()).default([]),
  /** What wrote the article; a file without it is a human article (hand-written articles need no pipeline fields). */
  generator: z
    .enum(['extractive', 'openai', 'human'], {
      error: 'expected generator to be one of: extractive, openai, human (or leave it out for a hand-written article)',
    })
    .default('human'),
  provenance: provenanceSchema.optional(),
  /** Findings that kept this article as a draft (written by the pipeline, for the editor). */
  validation: z.array(z.string()).optional(),
});

/** What a user writes (defaults optional). */
export type ArticleFrontmatterInput = z.input<typeof articleFrontmatterSchema>;
/** What the pipeline and the site see after parsing (defaults filled in). */
export type ArticleFrontmatter = z.infer<typeof articleFrontmatterSchema>;
export type ArticleSource = z.infer<typeof sourceSchema>;
