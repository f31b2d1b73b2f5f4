import { z } from 'zod';

/**
 * An affiliate program in the registry (content/niche.yaml `affiliates`). Articles never carry
 * raw affiliate URLs from a model: they name a program id, and links are built from here.
 */
export const affiliateProgramSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'an id is lower-case words joined by hyphens'),
  name: z.string().min(1),
  /** Hosts the program's links point to (e.g. `ledgerly.example`). */
  domains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'expected a host name like shop.example')).min(1),
  /** The tracked link, including its tracking parameter(s). */
  url: z.string().refine((value) => /^https:\/\//.test(value) && URL.canParse(value), 'expected an https URL'),
  /** Query parameters that carry the tracking id; a link without them earns nothing. */
  trackingParams: z.array(z.string().min(1)).min(1),
  /** Words that make an article a fit for this program. */
  keywords: z.array(z.string().min(1)).default([]),
  /** Whether links may go through /go/<id>/ (some programs forbid cloaking). */
  cloak: z.boolean().default(false),
  /** A statement the program requires wherever its links appear. */
  statement: z.string().optional(),
  description: z.string().optional(),
});

export type AffiliateProgram = z.infer<typeof affiliateProgramSchema>;
