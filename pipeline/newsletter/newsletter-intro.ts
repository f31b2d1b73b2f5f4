import { join } from 'node:path';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { DraftCache, type StepCache } from '../draft/draft-cache.ts';
import { clientOptionsFrom, createOpenAIClient, hasEndpoint, type OpenAIClientOptions } from '../draft/openai-client.ts';
import { dataJson, loadPrompt, render, resolvePromptFile } from '../draft/prompt-loader.ts';
import { RunBudget } from '../draft/run-budget.ts';
import { digestJson } from '../lib/hash.ts';
import { claimsOf, indexSource, isStated, normaliseText, type Claim } from '../research/ground-claims.ts';
import { extractiveIntro } from './extractive-intro.ts';

/**
 * The newsletter's opening paragraph. Kept behind one small interface so the newsletter stage
 * does not care who writes it: the extractive writer (offline, deterministic, a plain summary)
 * or a language model through the same OpenAI-compatible endpoint and settings as drafting
 * (prompts/newsletter-intro.md).
 *
 * Model output is untrusted: the intro is reduced to plain text without links or markup and
 * capped in length before the newsletter uses it. A failed call never stops an issue — the
 * stage falls back to the extractive intro and reports why.
 */
export interface IntroRequest {
  issue: number;
  articles: LoadedArticle[];
  config: ResolvedConfig;
  signal?: AbortSignal;
}

export interface IntroResult {
  text: string;
  /** Model id, or `extractive`. */
  model: string;
  prompt?: { name: string; hash: string };
}

export interface IntroWriter {
  readonly name: 'extractive' | 'openai';
  write(request: IntroRequest): Promise<IntroResult>;
}

const MAX_INTRO_CHARS = 700;

export const extractiveIntroWriter: IntroWriter = {
  name: 'extractive',
  async write({ articles }) {
    return { text: extractiveIntro(articles), model: 'extractive' };
  },
};

export interface OpenAIIntroOptions extends OpenAIClientOptions {
  promptFile: string;
  /** The run's spending caps (`draft.maxTokens`, `draft.maxCostUsd`), as for drafting. */
  budget?: RunBudget | undefined;
  /** Answers of earlier runs; omitted with --no-cache. */
  cache?: StepCache | undefined;
}

/** An intro is one paragraph: this bounds the answer, and so the call's worst case in the budget. */
const INTRO_OUTPUT_TOKENS = 400;

interface CachedIntro {
  text: string;
  model: string;
}

export function createOpenAIIntroWriter(options: OpenAIIntroOptions): IntroWriter {
  const client = createOpenAIClient(options);
  return {
    name: 'openai',
    async write({ issue, articles, config, signal }) {
      const prompt = await loadPrompt(options.promptFile);
      const list = articles.map((article) => ({ title: article.frontmatter.title, description: article.frontmatter.description, tags: article.frontmatter.tags }));
      const rendered = render(prompt, {
        site_title: config.site.title,
        site_description: config.site.description,
        language: config.site.language,
        issue: String(issue),
        articles: dataJson(list, 2),
      });
      const messages = [
        { role: 'system' as const, content: rendered.system },
        { role: 'user' as const, content: rendered.user },
      ];
      const key = digestJson({ step: 'newsletter-intro', model: client.model, prompt: prompt.hash, messages }, 32);
      const cached = (await options.cache?.get(key)) as CachedIntro | undefined;
      const promptRef = { name: prompt.name, hash: prompt.hash };
      // Cached text is read back through the same filter: a damaged entry cannot smuggle markup in.
      if (typeof cached?.text === 'string' && typeof cached.model === 'string' && plainIntro(cached.text).length >= 20) {
        return { text: plainIntro(cached.text), model: cached.model, prompt: promptRef };
      }
      const completion = await client.complete(
        { model: client.model, temperature: prompt.temperature, messages, [client.tokenLimitParam]: INTRO_OUTPUT_TOKENS },
        { signal, budget: options.budget },
      );
      const choice = completion.choices[0];
      if (!choice || choice.message.refusal || choice.finish_reason === 'content_filter') throw new Error('the model gave no usable answer');
      const text = plainIntro(choice.message.content ?? '');
      if (text.length < 20) throw new Error('the answer was empty or too short');
      // The intro may only say what the issue's articles say, like the articles their sources.
      const unsupported = unsupportedClaims(text, articles, config.site.title);
      if (unsupported.length) throw new Error(`the intro states what no article of the issue does (${unsupported.map((claim) => `${claim.kind} "${claim.text}"`).join(', ')})`);
      const model = completion.model || client.model;
      await options.cache?.set(key, { text, model } satisfies CachedIntro);
      return { text, model, prompt: promptRef };
    },
  };
}

/**
 * The writer `newsletter.intro` and the environment ask for: `none` → undefined, `extractive`
 * or no endpoint or --offline → extractive, otherwise the model (same rules as drafting).
 */
export async function selectIntroWriter(context: Context): Promise<IntroWriter | undefined> {
  const { config, env } = context;
  if (config.newsletter.intro === 'none') return undefined;
  if (config.newsletter.intro === 'extractive' || context.offline || config.draft.provider === 'extractive' || !hasEndpoint(env)) {
    return extractiveIntroWriter;
  }
  const promptFile = resolvePromptFile(config.root, 'newsletter-intro.md');
  // A broken prompt is a config error at start, like the article prompt.
  await loadPrompt(promptFile);
  const client = clientOptionsFrom(context);
  return createOpenAIIntroWriter({
    ...client,
    promptFile,
    budget: new RunBudget({ maxTokens: config.draft.maxTokens, maxCostUsd: config.draft.maxCostUsd, price: client.price }),
    ...(context.noCache ? {} : { cache: new DraftCache(join(config.resolved.cacheDir, 'cache', 'newsletter'), { readOnly: context.dryRun }) }),
  });
}

function unsupportedClaims(text: string, articles: readonly LoadedArticle[], siteTitle: string): Claim[] {
  const source = indexSource(
    articles
      .flatMap((article) => [article.frontmatter.title, article.frontmatter.description, ...article.frontmatter.keyTakeaways, article.body, ...article.frontmatter.sources.map((entry) => entry.publisher ?? '')])
      .join('\n'),
  );
  const ownNames = new Set([normaliseText(siteTitle).trim()]);
  return claimsOf(text, ownNames).filter((claim) => !isStated(claim, source));
}

/** One plain paragraph: no URLs, no markup, no line breaks, at most MAX_INTRO_CHARS. */
export function plainIntro(text: string): string {
  let clean = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\b(?:https?|ftp|javascript|data):\S*/gi, '')
    .replace(/\bwww\.\S+/gi, '')
    .replace(/[*_`#>|~]/g, '')
    .replace(/\s+/g, ' ')
    // What a removed tag or link leaves before punctuation ("now </b>." → "now .").
    .replace(/\s+([.,;:!?])/g, '$1')
    .trim();
  if (clean.length > MAX_INTRO_CHARS) {
    const cut = clean.slice(0, MAX_INTRO_CHARS);
    const end = cut.lastIndexOf('. ');
    clean = end > 100 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}…`;
  }
  return clean;
}
