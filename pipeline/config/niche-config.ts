import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import cron from 'node-cron';
import { z } from 'zod';
import { ConfigFieldInvalid, ConfigNotFound, ConfigYamlInvalid } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';
import { schemaIssues } from '../lib/schema-issues.ts';
import { parseYamlSource } from '../lib/yaml-source.ts';
import { affiliateProgramSchema } from '../schema/affiliate.ts';
import { PRESET_NAMES, PRESETS, selectedPresets, withPresetDefaults } from './presets/index.ts';

/**
 * The niche's configuration (content/niche.yaml). One zod schema gives both the input type
 * (what a user may write, defaults optional) and the resolved type (defaults filled in), as in
 * Starlight's user-config.
 *
 * Paths in the config (feeds, site.ogImage, paths.*) are relative to the niche's root folder:
 * the folder named by `root:`, itself relative to the config file (`root: .` — what `init`
 * writes — makes the niche self-contained: everything it reads and writes stays beside its
 * niche.yaml). Without `root:` the root is the working directory, as for the bundled sample,
 * whose paths name `content/…` from the project root.
 *
 * Presets (`preset: finance`, `presets: [finance]`) merge their defaults under the niche's own
 * settings before the schema runs, and add the settings they require (see presets/).
 */

const feedLocation = z
  .string({ error: 'expected an http(s) URL or a file path' })
  .min(1, 'expected an http(s) URL or a file path')
  .refine((value) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return /^https?:\/\//i.test(value) && URL.canParse(value);
    return !/^[a-z][a-z0-9+.-]*:/i.test(value) || /^[a-z]:[\\/]/i.test(value);
  }, 'expected an http(s) URL or a file path');

const cronExpression = z
  .string()
  .refine((value) => cron.validate(value), 'expected a valid cron expression with 5 or 6 fields, e.g. "0 7 * * *" for 07:00 every day');

export const feedSchema = z.strictObject({
  name: z.string().min(1, 'a feed needs a name'),
  url: feedLocation,
});

const presetName = z.enum(PRESET_NAMES, { error: `expected a preset name: ${PRESET_NAMES.join(', ')}` });

export const configSchema = z.strictObject({
  /**
   * The niche's root folder, relative to this file: every other path is relative to it.
   * Left out, paths are relative to the working directory (the project root).
   */
  root: z.string().min(1).optional(),
  /** One preset, or several with `presets:`; their defaults sit under your own settings. */
  preset: presetName.optional(),
  presets: z.array(presetName).default([]),
  site: z.strictObject({
    title: z.string().min(1),
    description: z.string().min(1),
    /** The public address of the site, for canonical URLs, RSS and the newsletter's links. */
    url: z.string().refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'expected the site address as an http(s) URL'),
    language: z.string().default('en'),
    author: z.string().min(1),
    /** Shown before the first affiliate link of an article and in the newsletter. */
    disclosure: z.string().min(20, 'the affiliate disclosure is required and must say what it discloses'),
    /**
     * Shown on every YMYL article (see `ymyl`). A preset that needs it (finance) requires it;
     * empty when no preset asks for one, so templates show it only when it is set.
     */
    riskDisclaimer: z.string().min(20, 'a risk disclaimer must say what the risks are (at least 20 characters)').default(''),
    /**
     * The social card (Open Graph / Twitter image) of every page: a PNG in the project, relative
     * to its root, ideally 1200×630. Without it a brand-neutral default is used.
     */
    ogImage: z.string().regex(/\.png$/i, 'expected the path of a PNG file, like content/og-card.png').optional(),
    /** How readers reach the publisher (a mailto: or https: address), shown on the about and privacy pages. */
    contact: z.string().regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'expected a mailto: or https: address').optional(),
  }),
  /**
   * A fixed clock for reproducible runs (the bundled sample uses one so it gives the same
   * articles on any date). Leave it out in production: the real time is used.
   */
  clock: z.coerce.date({ error: 'expected clock as an ISO date-time like 2026-11-01T09:00:00Z' }).optional(),
  feeds: z.array(feedSchema).min(1, 'list at least one feed'),
  affiliates: z.array(affiliateProgramSchema).default([]),
  ingest: z
    .strictObject({
      /** Per-feed time limit for the whole request, body included. */
      timeoutMs: z.number().int().positive().default(15_000),
      /** A feed body larger than this is cut off (and reported); memory stays bounded. */
      maxBytes: z.number().int().positive().default(10 * 1024 * 1024),
      maxRedirects: z.number().int().nonnegative().max(20).default(5),
      /** Feeds fetched at once, and at once from one host (be polite to small publishers). */
      concurrency: z.number().int().positive().default(8),
      perHost: z.number().int().positive().default(2),
      /** Items older than this are pruned from the history in content/state.json. */
      historyDays: z.number().int().positive().default(90),
    })
    .prefault({}),
  trends: z
    .strictObject({
      /** Days counted as "recent" before the newest item. */
      recentDays: z.number().int().positive().default(14),
      /** Days before the recent window used as the baseline. */
      baselineDays: z.number().int().positive().default(42),
      /** A topic needs at least this many distinct feeds mentioning it recently. */
      minSources: z.number().int().positive().default(2),
      /** A topic must be mentioned at least this many times more often than its baseline rate. */
      minVelocity: z.number().positive().default(2),
      /** Words never used as topics (besides the built-in stop words and the site's own name). */
      ignore: z.array(z.string()).default([]),
      maxTopics: z.number().int().positive().default(20),
      /** How much each part counts (see `nichepress trends`): demand × gap × fit. */
      weights: z
        .strictObject({
          velocity: z.number().nonnegative().default(1),
          breadth: z.number().nonnegative().default(1),
          recency: z.number().nonnegative().default(0.5),
          gap: z.number().nonnegative().default(1),
          fit: z.number().nonnegative().default(0.25),
        })
        .prefault({}),
    })
    .prefault({}),
  draft: z
    .strictObject({
      /** Budget cap: at most this many new articles per run. */
      maxArticles: z.number().int().nonnegative().default(6),
      /** `auto` = openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, extractive otherwise. */
      provider: z.enum(['auto', 'extractive', 'openai']).default('auto'),
      model: z.string().default('gpt-4o-mini'),
      /**
       * `sync` asks the API and waits; `batch` sends the run's requests through the OpenAI Batch
       * API (half the price, answers within 24 hours) and collects them on a later run.
       */
      mode: z.enum(['sync', 'batch']).default('sync'),
      /** Per-call timeout in milliseconds. */
      timeoutMs: z.number().int().positive().default(120_000),
      maxRetries: z.number().int().nonnegative().default(2),
      concurrency: z.number().int().positive().default(4),
      /** Budget cap: input + output tokens per run, across all calls. Checked before each call. */
      maxTokens: z.number().int().positive().optional(),
      /** Budget cap: US dollars per run, priced from `prices`. Checked before each call. */
      maxCostUsd: z.number().positive().optional(),
      /**
       * Budget cap: US dollars all runs of a calendar month may spend together (the pipeline's
       * clock decides the month; spending is kept in the state file). Checked before each call.
       */
      monthlyBudgetUsd: z.number().positive().optional(),
      /**
       * The most output tokens one call may produce (sent as the request's token limit), so the
       * worst case of a call is known before it is made and the budget check can be honest.
       */
      maxOutputTokens: z.number().int().positive().default(4096),
      /** US dollars per million tokens, per model id (a dated id like gpt-4o-mini-2024-07-18 matches gpt-4o-mini). */
      prices: z.record(z.string(), z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() })).default({}),
    })
    .prefault({}),
  /** Reading the pages behind a topic's items before drafting (pipeline/research/). */
  research: z
    .strictObject({
      /** Off: articles are drafted from the feed text alone. */
      enabled: z.boolean().default(true),
      /** Where page snapshots are kept (committed with the content), relative to the project root. */
      snapshots: z.string().default('content/sources'),
      /** Per page, every redirect hop and the body included. */
      timeoutMs: z.number().int().positive().default(15_000),
      /** A larger page is not read (its item falls back to the feed text). */
      maxBytes: z.number().int().positive().default(3_000_000),
      /** Requests in flight to one host. */
      perHost: z.number().int().positive().default(2),
      /** Passages of the pages sent with each drafting call, in tokens (estimated on the high side). */
      maxPromptTokens: z.number().int().positive().default(3000),
      /** A page that could not be read is tried again after this many hours. */
      retryUnreadHours: z.number().nonnegative().default(24),
      /**
       * Words that mark a source sentence as naming a risk, beside the general ones ("risk",
       * "loss", "warn"…): the niche's own, e.g. a money niche's "slashing" or "liquidation".
       */
      riskTerms: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** The niche's voice and rules for drafted articles: given to the model and checked on its answer. */
  voice: z
    .strictObject({
      /** Who reads the site; defaults to site.description. */
      audience: z.string().min(1).optional(),
      tone: z.string().min(1).default('sober, precise and plain: a careful research note for a curious non-expert, never marketing'),
      /** Words and phrases an article must not use (case-insensitive); a draft using one is sent back for repair. */
      avoidWords: z.array(z.string().min(1)).default([]),
      /** Same as ymyl.riskSection (kept for configs that set it); when set, it wins. */
      financial: z.boolean().optional(),
    })
    .prefault({}),
  /**
   * "Your money or your life": topics where a mistake costs readers money, health or rights.
   * Off by default; a preset (finance) turns the parts on, and each can be set by hand.
   */
  ymyl: z
    .strictObject({
      /** Articles are marked `ymyl` and show site.riskDisclaimer. */
      enabled: z.boolean().default(false),
      /** Every article has a section whose heading names the risks. */
      riskSection: z.boolean().default(false),
      /** The risks come before any section about gains or returns. */
      riskFirst: z.boolean().default(false),
      /** No promise language ("guaranteed", "risk-free"): the compliance/no-promises rule. */
      noPromises: z.boolean().default(false),
      /** A one-line notice for page footers, social posts and the newsletter, e.g. "Research, not financial advice." */
      notice: z.string().min(1).optional(),
    })
    .prefault({}),
  validate: z
    .strictObject({
      /** Per-rule severity overrides, e.g. `html/no-raw-html: warn`. */
      rules: z.record(z.string(), z.enum(['off', 'warn', 'error'], { error: 'expected off, warn or error' })).default({}),
      /** `citations/min-sources`: distinct sources an article must list and cite. */
      minSources: z.number().int().nonnegative().default(2),
      /** `structure/min-length`: words of body text (markup and link targets not counted). */
      minWords: z.number().int().nonnegative().default(150),
      /** `quality/near-duplicate`: estimated Jaccard similarity of 5-word shingles that counts as a duplicate. */
      duplicateThreshold: z.number().gt(0).max(1).default(0.8),
    })
    .prefault({}),
  newsletter: z
    .strictObject({
      title: z.string().optional(),
      maxArticles: z.number().int().positive().default(10),
      /** Placeholder each email service replaces with its own unsubscribe link. */
      unsubscribeUrl: z.string().default('{{unsubscribe_url}}'),
      /** Optional second List-Unsubscribe target, e.g. mailto:unsubscribe@example.com. */
      unsubscribeMailto: z.string().regex(/^mailto:\S+@\S+$/, 'expected a mailto: address').optional(),
      /** The From header of issue.eml; defaults to "<site title> <newsletter@<site host>>". */
      from: z.string().optional(),
      /** `auto` = the drafting model writes the intro when one is configured, extractive otherwise. */
      intro: z.enum(['auto', 'extractive', 'none']).default('auto'),
      /** utm_source and utm_medium of the issue's links (utm_campaign is the issue). */
      utmSource: z.string().min(1).default('newsletter'),
      utmMedium: z.string().min(1).default('email'),
      /**
       * Where the email files are written: a folder of the project that is not deployed (never
       * inside paths.outDir, which is published as it is).
       */
      outDir: z.string().default('.nichepress/outbox/newsletter'),
      /**
       * The sign-up form on the site (home, after each article, /newsletter/): the form action of
       * the niche's email service (Buttondown, Mailchimp, listmonk, ConvertKit…) and the name of
       * its email field, plus any fixed hidden fields it needs (a list id). No form when unset.
       */
      subscribe: z
        .strictObject({
          action: z.string().refine((value) => /^https:\/\//.test(value) && URL.canParse(value), 'expected the form action as an https URL'),
          field: z.string().min(1).default('email'),
          hidden: z.record(z.string(), z.string()).default({}),
        })
        .optional(),
    })
    .prefault({}),
  social: z
    .strictObject({
      /** Hashtags added to every post, without the # (letters, digits and _). */
      hashtags: z.array(z.string().regex(/^[\p{L}\p{N}_]+$/u, 'a hashtag is letters, digits and _, without the #')).default([]),
      networks: z.array(z.enum(['x', 'bluesky', 'mastodon', 'linkedin'])).min(1).default(['x', 'bluesky', 'mastodon', 'linkedin']),
      /** At most this many articles get posts per run (the rest wait for the next run). */
      maxArticles: z.number().int().positive().default(10),
      /** utm_medium of the posts' links (utm_source is the network, utm_campaign the article). */
      utmMedium: z.string().min(1).default('social'),
      /** Where the post queue is written: a folder of the project that is not deployed. */
      outDir: z.string().default('.nichepress/outbox/social'),
    })
    .prefault({}),
  /**
   * Programmatic ads on article pages: off by default. One slot after the n-th paragraph of the
   * body, which comes after the affiliate disclosure, so an ad is never above it. `ads.txt` is
   * generated from `client` plus `adsTxt` (extra lines from your ad networks).
   */
  ads: z
    .strictObject({
      enabled: z.boolean().default(false),
      provider: z.enum(['adsense']).default('adsense'),
      /** The publisher id, e.g. ca-pub-1234567890123456. */
      client: z.string().regex(/^ca-pub-\d{10,20}$/, 'expected an AdSense publisher id like ca-pub-1234567890123456').optional(),
      /** Ad unit ids per placement. */
      slots: z.strictObject({ inArticle: z.string().regex(/^\d+$/, 'expected a numeric ad unit id').optional() }).prefault({}),
      /** The in-article slot goes after this paragraph of the body (1-based; skipped when the body is shorter). */
      afterParagraph: z.number().int().positive().default(3),
      /** Extra ads.txt lines, e.g. "example-exchange.com, 12345, RESELLER". */
      adsTxt: z.array(z.string().min(1)).default([]),
    })
    .prefault({})
    .refine((ads) => !ads.enabled || (ads.client !== undefined && ads.slots.inArticle !== undefined), {
      message: 'with ads.enabled, set ads.client and ads.slots.inArticle',
    }),
  schedule: z
    .strictObject({
      timezone: z
        .string()
        .refine((zone) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: zone });
            return true;
          } catch {
            return false;
          }
        }, 'expected an IANA time zone such as UTC or Europe/Berlin')
        .default('UTC'),
      ingest: cronExpression.default('0 * * * *'),
      publish: cronExpression.default('0 7 * * *'),
      newsletter: cronExpression.default('0 8 * * 1'),
      checkLinks: cronExpression.default('0 9 * * 1'),
    })
    .prefault({}),
  paths: z
    .strictObject({
      articles: z.string().default('content/articles'),
      state: z.string().default('content/state.json'),
      outDir: z.string().default('dist'),
      /** Disposable, git-ignored: LLM response cache and run reports. */
      cacheDir: z.string().default('.nichepress'),
    })
    .prefault({}),
  checkLinks: z
    .strictObject({
      /** Per-request time limit. */
      timeoutMs: z.number().int().positive().default(10_000),
      /** Retries after a timeout, a network error, 429 or 5xx (retry-after is honoured up to maxRetryAfterMs). */
      retries: z.number().int().nonnegative().default(2),
      maxRetryAfterMs: z.number().int().nonnegative().default(30_000),
      /** Minimum gap between two requests to the same host (be polite; merchants rate-limit). */
      perHostIntervalMs: z.number().int().nonnegative().default(1_000),
      concurrency: z.number().int().positive().default(8),
      maxRedirects: z.number().int().nonnegative().max(20).default(10),
      /** How long a verdict stays in the cache (.nichepress/link-cache.json); unknown verdicts are never cached. */
      cacheTtlHours: z.number().nonnegative().default(24),
    })
    .prefault({}),
}).superRefine((config, context) => {
  for (const name of selectedPresets(config)) {
    for (const requirement of PRESETS[name].requires) {
      if (!requirement.holds(config)) context.addIssue({ code: 'custom', path: [...requirement.path], message: requirement.message });
    }
  }
});

/**
 * Settings of the neutral core that a preset may change: with no preset asking for them, the
 * money-specific rules are off (a coffee article needs no risk disclaimer and may say
 * "guaranteed crema").
 */
const NEUTRAL_DEFAULTS = {
  validate: { rules: { 'compliance/ymyl-disclaimer': 'off', 'compliance/no-promises': 'off' } },
};

export type NicheConfigInput = z.input<typeof configSchema>;
export type NicheConfig = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG_PATH = 'content/niche.yaml';

/** Config plus where it came from and the absolute paths derived from it. */
export interface ResolvedConfig extends Omit<NicheConfig, 'voice'> {
  /** `financial` resolved: the niche's own value, else ymyl.riskSection. */
  voice: NicheConfig['voice'] & { financial: boolean };
  /** The niche's root folder (absolute): relative paths in the config resolve against it. */
  root: string;
  configFile: string;
  resolved: { articles: string; state: string; outDir: string; cacheDir: string };
}

/** Typed identity helper for configs written in TypeScript (tests, scripts). */
export function defineConfig(config: NicheConfigInput): NicheConfigInput {
  return config;
}

/**
 * Reads and validates the config. Throws a NichepressError (exit code 2) naming file, line and
 * field — never a stack trace or a raw zod dump.
 */
export async function loadConfig(options: { root: string; configPath?: string | undefined }): Promise<ResolvedConfig> {
  const configFile = resolve(options.root, options.configPath ?? DEFAULT_CONFIG_PATH);
  const shown = displayPath(options.root, configFile);
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch (error) {
    throw NichepressError.from(ConfigNotFound, [shown], { cause: error });
  }
  return parseConfig(text, { root: options.root, configFile });
}

export function parseConfig(text: string, options: { root: string; configFile: string }): ResolvedConfig {
  const shown = displayPath(options.root, options.configFile);
  const source = parseYamlSource(text);
  if (source.error) {
    throw NichepressError.from(ConfigYamlInvalid, [source.error.message], {
      location: { file: shown, line: source.error.line, column: source.error.column },
    });
  }
  const input = withNeutralDefaults(withPresetDefaults(source.value ?? {}));
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const [first, ...rest] = schemaIssues(result.error);
    if (!first) throw NichepressError.from(ConfigFieldInvalid, ['(root)', 'invalid config'], { location: { file: shown } });
    const position = source.locate(first.path);
    const more = rest.length ? ` (and ${rest.length} more: ${rest.map((issue) => issue.dottedPath).join(', ')})` : '';
    throw NichepressError.from(ConfigFieldInvalid, [first.dottedPath, first.message + more], {
      location: { file: shown, ...position },
    });
  }
  const parsed = result.data;
  // One switch, two names: voice.financial (older configs) and ymyl.riskSection agree.
  const riskSection = parsed.voice.financial ?? parsed.ymyl.riskSection;
  const config = {
    ...parsed,
    presets: selectedPresets(parsed),
    voice: { ...parsed.voice, financial: riskSection },
    ymyl: { ...parsed.ymyl, riskSection },
  };
  const root = config.root === undefined ? options.root : resolve(dirname(options.configFile), config.root);
  const at = (path: string) => (isAbsolute(path) ? path : resolve(root, path));
  return {
    ...config,
    root,
    configFile: options.configFile,
    resolved: {
      articles: at(config.paths.articles),
      state: at(config.paths.state),
      outDir: at(config.paths.outDir),
      cacheDir: at(config.paths.cacheDir),
    },
  };
}

function withNeutralDefaults(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const own = input as { validate?: unknown };
  if (own.validate !== undefined && (typeof own.validate !== 'object' || own.validate === null)) return input;
  const validate = (own.validate ?? {}) as { rules?: unknown };
  if (validate.rules !== undefined && (typeof validate.rules !== 'object' || validate.rules === null)) return input;
  return { ...own, validate: { ...validate, rules: { ...NEUTRAL_DEFAULTS.validate.rules, ...(validate.rules as object | undefined) } } };
}

/** Paths in messages are relative to the project root when they are inside it. */
export function displayPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : file;
}
