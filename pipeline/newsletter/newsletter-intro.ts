import OpenAI from 'openai';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Context } from '../context.ts';
import type { LoadedArticle } from '../archive/archive.ts';
import { dataJson } from '../draft/openai-provider.ts';
import { loadPrompt, render } from '../draft/prompt-loader.ts';
import { resolvePromptFile } from '../draft/select-provider.ts';
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

export interface OpenAIIntroOptions {
  apiKey?: string | undefined;
  baseURL?: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  promptFile: string;
}

export function createOpenAIIntroWriter(options: OpenAIIntroOptions): IntroWriter {
  const client = new OpenAI({
    apiKey: options.apiKey || 'not-needed',
    // Explicit, so the SDK never reads process.env behind the caller's back.
    baseURL: options.baseURL || 'https://api.openai.com/v1',
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  return {
    name: 'openai',
    async write({ issue, articles, config, signal }) {
      const prompt = await loadPrompt(options.promptFile);
      const list = articles.map((article) => ({ title: article.frontmatter.title, description: article.frontmatter.description, tags: article.frontmatter.tags }));
      const rendered = render(prompt, {
        site_title: config.site.title,
        language: config.site.language,
        issue: String(issue),
        articles: dataJson(list, 2),
      });
      const completion = await client.chat.completions.create(
        {
          model: options.model,
          temperature: prompt.temperature,
          messages: [
            { role: 'system', content: rendered.system },
            { role: 'user', content: rendered.user },
          ],
        },
        signal ? { signal } : {},
      );
      const choice = completion.choices[0];
      if (!choice || choice.message.refusal || choice.finish_reason === 'content_filter') throw new Error('the model gave no usable answer');
      const text = plainIntro(choice.message.content ?? '');
      if (text.length < 20) throw new Error('the answer was empty or too short');
      return { text, model: completion.model || options.model, prompt: { name: prompt.name, hash: prompt.hash } };
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
  const hasEndpoint = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  if (config.newsletter.intro === 'extractive' || context.offline || config.draft.provider === 'extractive' || !hasEndpoint) {
    return extractiveIntroWriter;
  }
  const promptFile = resolvePromptFile(config.root, 'newsletter-intro.md');
  // A broken prompt is a config error at start, like the article prompt.
  await loadPrompt(promptFile);
  return createOpenAIIntroWriter({
    apiKey: env.OPENAI_API_KEY || undefined,
    baseURL: env.OPENAI_BASE_URL || undefined,
    model: env.OPENAI_MODEL || config.draft.model,
    timeoutMs: config.draft.timeoutMs,
    maxRetries: config.draft.maxRetries,
    promptFile,
  });
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
