import { z } from 'zod';

/**
 * The structured article every provider returns — the offline extractive provider and the
 * OpenAI provider alike — so everything downstream (assembly, validation, writing) is identical.
 *
 * Citations and affiliate placements are references (source numbers, program ids), never raw
 * URLs: links are built later from the topic's sources and the affiliate registry, which is how
 * model output is kept from linking anywhere it likes.
 */
export const articleOutputSchema = z.strictObject({
  title: z.string().min(10).max(120),
  description: z.string().min(50).max(200),
  /** Lower-case hyphenated tags. */
  tags: z.array(z.string()).max(8),
  keyTakeaways: z.array(z.string().min(1)).min(1).max(6),
  sections: z
    .array(
      z.strictObject({
        heading: z.string().min(1),
        /** Markdown without headings above level 3; cites sources as [n] (1-based source numbers). */
        markdown: z.string().min(1),
      }),
    )
    .min(2),
  faq: z.array(z.strictObject({ question: z.string().min(1), answer: z.string().min(1) })).max(6),
  /** 1-based numbers of the topic's source items the article relies on. */
  citations: z.array(z.number().int().positive()).min(1),
  /** Affiliate program ids (from the registry) that fit the article, in order of relevance. */
  affiliates: z.array(z.string()).max(2),
});

export type ArticleOutput = z.infer<typeof articleOutputSchema>;
