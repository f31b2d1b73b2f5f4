import { z } from 'zod';

/**
 * The research brief: the first of the two drafting steps. The model reads the sources once and
 * commits to an angle, the reader's questions, the facts it will use — each tied to the source
 * item it comes from — the risks and an outline. The article step then writes from the brief,
 * which keeps the article grounded and makes an unsupported claim easy to spot in review.
 *
 * Every field is required (nullable where "none" is an answer) because OpenAI's strict
 * structured outputs do not allow optional keys.
 */
export const briefOutputSchema = z.strictObject({
  /** The one thing the article explains, in a sentence. */
  angle: z.string().min(10).max(400),
  readerQuestions: z.array(z.string().min(1)).min(1).max(8),
  keyFacts: z
    .array(
      z.strictObject({
        fact: z.string().min(1),
        /** 1-based number of the source item stating it. */
        source: z.number().int().positive(),
      }),
    )
    .min(1)
    .max(20),
  risks: z
    .array(
      z.strictObject({
        risk: z.string().min(1),
        /** The source raising it, or null for a general risk of the kind of product. */
        source: z.number().int().positive().nullable(),
      }),
    )
    .max(10),
  outline: z.array(z.strictObject({ heading: z.string().min(1), points: z.array(z.string().min(1)).min(1).max(8) })).min(2).max(8),
});

export type BriefOutput = z.infer<typeof briefOutputSchema>;
