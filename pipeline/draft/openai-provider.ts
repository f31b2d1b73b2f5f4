import { resolve } from 'node:path';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResolvedConfig } from '../config/niche-config.ts';
import type { Topic } from '../schema/feed-item.ts';
import { articleOutputSchema, type ArticleOutput } from './article-output.ts';
import { briefOutputSchema, type BriefOutput } from './brief-output.ts';
import type { TopicResearch } from '../research/research-sources.ts';
import { groundBrief, groundingSources, unsupportedFinding } from './ground-output.ts';
import { createOpenAIClient, type OpenAIClientOptions } from './openai-client.ts';
import { articleIssues, briefIssues } from './output-checks.ts';
import { dataJson, loadPrompt, render, type Prompt } from './prompt-loader.ts';
import type { DraftProvider, DraftRequest, DraftResult } from './provider.ts';
import { costOf, estimateTokens, type Reservation, type TokenUsage } from './run-budget.ts';
import { createStructuredCompleter } from './structured-completion.ts';
import { createBatchApi } from './batch-api.ts';
import { BATCH_PRICE_FACTOR } from './batch-answers.ts';
import { truncate } from './truncate.ts';

/**
 * Drafts through any OpenAI-compatible chat-completions endpoint (OpenAI, Ollama, vLLM,
 * LM Studio, OpenRouter…) in two structured steps: a research brief (angle, reader questions,
 * facts tied to source items, risks, outline), then the article written from that brief. Each
 * step has the structured-output fallbacks, one repair round trip, the budget check before
 * every call and its own cache entry (structured-completion.ts).
 */

export interface OpenAIProviderOptions extends OpenAIClientOptions {
  /** The article prompt; defaults to `prompts/article.md` under the project root. */
  promptFile?: string | undefined;
  /** The research-brief prompt; defaults to `prompts/brief.md` under the project root. */
  briefPromptFile?: string | undefined;
}

const BRIEF_FORMAT = zodResponseFormat(briefOutputSchema, 'research_brief');
const ARTICLE_FORMAT = zodResponseFormat(articleOutputSchema, 'article');

/** Feed summaries can be long; this bounds the prompt per item without losing the gist. */
const MAX_SUMMARY_CHARS = 1500;
/** The article builder links at most this many sources (assemble-article.ts); the model sees the same. */
const MAX_SOURCES = 8;

export function createOpenAIProvider(options: OpenAIProviderOptions): DraftProvider {
  const client = createOpenAIClient(options);
  const { maxOutputTokens } = client;
  const completer = createStructuredCompleter(client);

  // Read once per run: every topic of a run is written by the same prompt version.
  const prompts = new Map<string, Promise<Prompt>>();
  const promptAt = (file: string): Promise<Prompt> => {
    let prompt = prompts.get(file);
    if (!prompt) {
      prompt = loadPrompt(file);
      // A failed read is not remembered: the next topic tries again and reports its own error.
      prompt.catch(() => prompts.delete(file));
      prompts.set(file, prompt);
    }
    return prompt;
  };

  async function draft(request: DraftRequest): Promise<DraftResult> {
    const { topic, config } = request;
    const [briefPrompt, articlePrompt] = await Promise.all([
      promptAt(options.briefPromptFile ?? resolve(config.root, 'prompts/brief.md')),
      promptAt(options.promptFile ?? resolve(config.root, 'prompts/article.md')),
    ]);
    const variables = promptVariables(topic, config, request.research);
    const sourceCount = Math.min(topic.items.length, MAX_SOURCES);
    const briefMessages = chat(briefPrompt, variables);
    // Room for the article, held before the brief is paid for: its prompt is the article
    // template and schema plus a brief of at most maxOutputTokens, its answer at most as long.
    const articleRoom = {
      inputTokens: estimateTokens(JSON.stringify(chat(articlePrompt, { ...variables, brief: '' })) + JSON.stringify(ARTICLE_FORMAT)) + maxOutputTokens,
      outputTokens: maxOutputTokens,
    };
    // Taken just before the brief's first call, so a topic answered from the cache needs no room.
    const holder: { hold?: Reservation } = {};
    try {
      return await twoSteps(request, { briefPrompt, articlePrompt, briefMessages, variables, sourceCount, holder, articleRoom });
    } finally {
      if (holder.hold) request.budget?.release(holder.hold);
    }
  }

  async function twoSteps(
    request: DraftRequest,
    parts: {
      briefPrompt: Prompt;
      articlePrompt: Prompt;
      briefMessages: ChatCompletionMessageParam[];
      variables: Record<string, string>;
      sourceCount: number;
      holder: { hold?: Reservation };
      articleRoom: TokenUsage;
    },
  ): Promise<DraftResult> {
    const { topic, config } = request;
    const { briefPrompt, articlePrompt, briefMessages, variables, sourceCount } = parts;
    const run = { signal: request.signal, budget: request.budget, cache: request.cache, direct: request.direct };
    const brief = await completer.complete<BriefOutput>(
      {
        label: 'research brief',
        prompt: promptRef(briefPrompt),
        messages: briefMessages,
        temperature: briefPrompt.temperature,
        format: BRIEF_FORMAT,
        schema: briefOutputSchema,
        check: (value) => briefIssues(value, sourceCount),
      },
      {
        ...run,
        beforeCall: () => {
          // In batch mode the article is a later batch's request, held when it is submitted.
          if (client.batch && !request.direct) return;
          if (!parts.holder.hold && request.budget) parts.holder.hold = request.budget.reserve(parts.articleRoom);
        },
      },
    );

    // An invented fact never reaches the article step: brief entries whose claims their source
    // does not state are dropped here, and counted.
    const groundedBrief = request.research ? groundBrief(brief.output, groundingSources(request.research, config.site.title)) : undefined;
    const briefOutput = groundedBrief?.output ?? brief.output;

    const offered = offeredAffiliates(topic, config).map((program) => program.id);
    const voice = { avoidWords: config.voice.avoidWords, financial: config.voice.financial };
    const article = await completer.complete<ArticleOutput>(
      {
        label: 'article',
        prompt: promptRef(articlePrompt),
        // The brief is model output derived from untrusted feeds: it travels as data too.
        messages: chat(articlePrompt, { ...variables, brief: dataJson(briefOutput, 2) }),
        temperature: articlePrompt.temperature,
        format: ARTICLE_FORMAT,
        schema: articleOutputSchema,
        check: (value) => articleIssues(value, sourceCount, offered, voice),
      },
      { ...run, hold: parts.holder.hold },
    );

    const usage = {
      inputTokens: brief.usage.inputTokens + article.usage.inputTokens,
      outputTokens: brief.usage.outputTokens + article.usage.outputTokens,
    };
    // Answers collected from a batch were billed at the batch price; a direct call (`--retry`) at the full one.
    const price = client.batch && !request.direct && client.price ? { input: client.price.input * BATCH_PRICE_FACTOR, output: client.price.output * BATCH_PRICE_FACTOR } : client.price;
    const costUsd = costOf(usage, price);
    return {
      output: article.output,
      model: article.model,
      prompt: promptRef(articlePrompt),
      briefPrompt: promptRef(briefPrompt),
      usage,
      ...(costUsd !== undefined ? { costUsd: roundUsd(costUsd) } : {}),
      calls: brief.calls + article.calls,
      cacheHits: Number(brief.cached) + Number(article.cached),
      issues: [...brief.issues.map((issue) => `research brief: ${issue}`), ...article.issues.map((issue) => `article: ${issue}`)],
      ...(groundedBrief && request.research
        ? {
            research: {
              pagesRead: request.research.sources.filter((source) => source.from === 'page').length,
              feedOnly: request.research.sources.filter((source) => source.from === 'feed').length,
              claimsChecked: groundedBrief.checked,
              claimsDropped: groundedBrief.dropped.length,
            },
            findings: groundedBrief.dropped.map((entry) => unsupportedFinding(entry, topic.key, topic.label)),
          }
        : {}),
    };
  }

  return { name: 'openai', model: options.model, ...(client.batch ? { batch: { answers: client.batch, api: createBatchApi(client) } } : {}), draft };
}

function promptRef(prompt: Prompt): { name: string; hash: string } {
  return { name: prompt.name, hash: prompt.hash };
}

function chat(prompt: Prompt, variables: Record<string, string>): ChatCompletionMessageParam[] {
  const rendered = render(prompt, variables);
  return [
    { role: 'system', content: rendered.system },
    { role: 'user', content: rendered.user },
  ];
}

/** Micro-dollars are noise in a frontmatter field; keep six decimals. */
function roundUsd(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

// ── prompt variables ───────────────────────────────────────────────────────────────────────

/** Everything the prompts may use; a prompt that declares fewer variables simply ignores the rest. */
export function promptVariables(topic: Topic, config: ResolvedConfig, research?: TopicResearch): Record<string, string> {
  const sources = topic.items.slice(0, MAX_SOURCES).map((item, index) => {
    const n = index + 1;
    const reading = research?.sources.find((source) => source.n === n);
    const passages = research?.passages.filter((passage) => passage.source === n).map((passage) => passage.text) ?? [];
    return {
      n,
      title: item.title,
      publisher: item.publisher,
      published: item.publishedAt,
      url: item.url,
      summary: truncate(item.summary, MAX_SUMMARY_CHARS),
      // What was read of the page, chosen for this topic; empty when only the feed text is known.
      read: reading?.from === 'page' ? 'page' : 'feed summary only',
      passages,
    };
  });
  const affiliates = offeredAffiliates(topic, config).map(({ id, name, keywords }) => ({ id, name, keywords }));
  const { voice } = config;
  return {
    site_title: config.site.title,
    audience: voice.audience ?? config.site.description,
    tone: voice.tone,
    avoid_words: voice.avoidWords.length ? voice.avoidWords.map((word) => `"${word}"`).join(', ') : '(none beyond rule 8)',
    risk_rule: voice.financial
      ? 'This is a money site: one of the sections must be about the risks, with a heading that says so (for example "Risks to weigh"), placed before any section about returns.'
      : 'Where the topic carries risks for the reader, give them their own section.',
    language: config.site.language,
    topic: dataJson(topic.label),
    sources: dataJson(sources, 2),
    affiliates: dataJson(affiliates),
  };
}

/** The programs whose keywords matched the topic (ranked by trends); the model may only pick among these. */
function offeredAffiliates(topic: Topic, config: ResolvedConfig): ResolvedConfig['affiliates'] {
  return topic.affiliates.flatMap((id) => config.affiliates.filter((program) => program.id === id));
}
