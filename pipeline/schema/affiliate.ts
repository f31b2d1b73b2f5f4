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
  /**
   * The base link with its tracking parameter(s), e.g. `https://shop.example/?ref=you`. Links to
   * deeper pages of the merchant keep these parameters with these values (see `linkTemplate`).
   */
  url: z.string().refine((value) => /^https:\/\//.test(value) && URL.canParse(value), 'expected an https URL'),
  /**
   * How to link a specific merchant page, when the program uses a different shape than "page URL +
   * the tracking parameters of `url`": `{url}` is the merchant page (URL-encoded), e.g.
   * `https://go.network.example/c?id=42&u={url}`. Its host must be one of `domains`.
   */
  linkTemplate: z
    .string()
    .refine((value) => value.includes('{url}') && URL.canParse(value.replace('{url}', 'x')), 'expected an https URL containing {url}')
    .optional(),
  /** Query parameters that carry the tracking id; a link without them earns nothing. */
  trackingParams: z.array(z.string().min(1)).min(1),
  /** Words that make an article a fit for this program. */
  keywords: z.array(z.string().min(1)).default([]),
  /** Whether links may go through /go/<id>/ (some programs forbid cloaking). */
  cloak: z.boolean().default(false),
  /** A statement the program requires wherever its links appear (the site shows it with the disclosure). */
  statement: z.string().optional(),
  /** The program's own disclosure wording, when its terms require one: an article body may carry it instead of the site's. */
  disclosure: z.string().min(20, 'a disclosure must say what it discloses').optional(),
  /**
   * Keywords the drafting stage may turn into links to this program, and the most links to it one
   * article may carry (more reads as spam to readers and search engines alike).
   */
  autoLink: z
    .strictObject({
      keywords: z.array(z.string().min(1)).default([]),
      maxPerArticle: z.number().int().nonnegative().default(2),
    })
    .prefault({}),
  description: z.string().optional(),
});

export type AffiliateProgram = z.infer<typeof affiliateProgramSchema>;
