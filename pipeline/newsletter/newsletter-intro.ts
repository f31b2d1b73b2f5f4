import { join } from 'node:path';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { DraftCache, type StepCache } from '../draft/draft-cache.ts';
import { clientOptionsFrom, createOpenAIClient, hasEndpoint, type OpenAIClientOptions } from '../draft/openai-client.ts';
import { dataJson, loadPrompt, render, resolvePromptFile } from '../draft/prompt-loader.ts';
import { RunBudget } from '../draft/run-budget.ts';
import { digestJson } from '../lib/hash.ts';
import { extractiveIntro } from './extractive-intro.ts';
import { checkIntro } from './intro-checks.ts';
import { reasonInIssue, withoutCitations } from './issue-reasons.ts';

/**
 * The newsletter's opening paragraph: what is in the issue and why it matters. Kept behind one
 * small interface so the newsletter stage does not care who writes it: the extractive writer
 * (offline, deterministic, from the articles' own sentences) or a language model through the
 * same OpenAI-compatible endpoint and settings as drafting (prompts/newsletter-intro.md).
 *
 * Model output is untrusted: the answer is checked (./intro-checks.ts) and refused when it breaks
 * a rule — a link, markup, a question, hype, a promise, a claim no article makes, too long. A
 * refused or failed call never stops an issue: the stage falls back to the extractive intro and
 * reports why.
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
      const rendered = render(prompt, introVariables(issue, articles, config));
      const messages = [
        { role: 'system' as const, content: rendered.system },
        { role: 'user' as const, content: rendered.user },
      ];
      const key = digestJson({ step: 'newsletter-intro', model: client.model, prompt: prompt.hash, messages }, 32);
      const cached = (await options.cache?.get(key)) as CachedIntro | undefined;
      const promptRef = { name: prompt.name, hash: prompt.hash };
      // Cached text is checked again: a damaged or hand-edited entry cannot smuggle anything in.
      if (typeof cached?.text === 'string' && typeof cached.model === 'string') {
        const again = checkIntro(cached.text, articles, config);
        if (again.ok) return { text: again.text, model: cached.model, prompt: promptRef };
      }
      const completion = await client.complete(
        { model: client.model, temperature: prompt.temperature, messages, [client.tokenLimitParam]: INTRO_OUTPUT_TOKENS },
        { signal, budget: options.budget },
      );
      const choice = completion.choices[0];
      if (!choice || choice.message.refusal || choice.finish_reason === 'content_filter') throw new Error('the model gave no usable answer');
      // A paragraph cut at the token limit ends mid-sentence.
      if (choice.finish_reason === 'length') throw new Error('the answer was cut off at the length limit');
      const checked = checkIntro(choice.message.content ?? '', articles, config);
      if (!checked.ok) throw new Error(checked.problems.join('; '));
      const model = completion.model || client.model;
      await options.cache?.set(key, { text: checked.text, model } satisfies CachedIntro);
      return { text: checked.text, model, prompt: promptRef };
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

/**
 * What the prompt is given: the site and its readers, the niche's words to avoid and whether it
 * is a money niche, and per article (in issue order, the lead first) its title, description,
 * key takeaways and why it is in the issue — everything the intro may say, as data.
 */
export function introVariables(issue: number, articles: readonly LoadedArticle[], config: ResolvedConfig): Record<string, string> {
  const list = articles.map((article, position) => ({
    position: position + 1,
    title: article.frontmatter.title,
    description: withoutCitations(article.frontmatter.description),
    key_takeaways: article.frontmatter.keyTakeaways.map(withoutCitations),
    why_in_this_issue: reasonInIssue(articles, position),
  }));
  const { voice } = config;
  return {
    site_title: config.site.title,
    site_description: config.site.description,
    audience: voice.audience ?? config.site.description,
    avoid_words: voice.avoidWords.length ? voice.avoidWords.map((word) => `"${word}"`).join(', ') : '(none beyond the examples above)',
    money_rule:
      voice.financial || config.ymyl.noPromises
        ? 'This is a money site: where the articles name risks, say so plainly; never promise or predict returns, prices or safety, and never call anything safe, guaranteed, risk-free or easy. This is research, not advice.'
        : 'Promise nothing: no results, outcomes or guarantees the articles do not state.',
    language: config.site.language,
    issue: String(issue),
    articles: dataJson(list, 2),
  };
}
