import { stepOf, type FakeReply, type FakeUsage } from './fake-openai-server.ts';

/**
 * A stand-in "model" for the fake OpenAI server's `respond` hook: it reads a drafting request
 * (brief or article step), finds the topic and the numbered sources in it, and answers with a
 * valid research brief or article for them. Tests and the draft benchmark use it where many
 * topics are drafted concurrently, so replies cannot be scripted in order.
 */

export interface DraftRequestView {
  step: 'brief' | 'article';
  topic: string;
  sources: { n: number; title: string; url: string; summary: string }[];
  /** The request is a repair (the model's earlier answer and the validation errors follow). */
  repair: boolean;
  system: string;
  user: string;
}

export function viewOf(body: any): DraftRequestView {
  const messages: { role: string; content: string }[] = body?.messages ?? [];
  const user = messages.find((message) => message.role === 'user')?.content ?? '';
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const inside = (open: string, close: string) => user.slice(user.indexOf(open) + open.length, user.indexOf(close)).trim();
  let sources: DraftRequestView['sources'] = [];
  let topic = '';
  try {
    sources = JSON.parse(inside('<sources>', '</sources>'));
    topic = JSON.parse(inside('<topic>', '</topic>'));
  } catch {
    // Not a drafting request; the caller's reply decides.
  }
  return { step: stepOf(body), topic, sources, repair: messages.length > 2, system, user };
}

export function briefFor(view: DraftRequestView): unknown {
  const numbers = view.sources.map((source) => source.n);
  return {
    angle: `What the reporting on ${view.topic} says, and what can go wrong for a reader who acts on it.`,
    readerQuestions: [`What changed for ${view.topic}?`, 'What are the risks?'],
    keyFacts: numbers.map((n) => ({ fact: `Source ${n} reports a change.`, source: n })),
    risks: [{ risk: 'Terms can change without notice.', source: numbers[0] ?? null }],
    outline: [
      { heading: 'Risks to weigh', points: ['terms can change'] },
      { heading: 'What changed', points: ['the reported change'] },
    ],
  };
}

export function articleFor(view: DraftRequestView, extra: { markdown?: string; title?: string } = {}): unknown {
  const numbers = view.sources.map((source) => source.n);
  const cite = numbers.map((n) => `[${n}]`).join('');
  // A body long enough for the quality rules and distinct per topic (it retells that topic's
  // sources), so the site's near-duplicate check sees different articles.
  const reporting = view.sources.map((source) => `${source.title}: the report says that ${lowerFirst(dataOnly(source.summary))} [${source.n}]`).join('\n\n');
  return {
    title: extra.title ?? `${capitalise(view.topic)}: what the sources report and what can go wrong`,
    description: `A sourced research note on ${view.topic}: what the reports say, which numbers changed and which risks to weigh first.`,
    tags: ['defi', 'research'],
    keyTakeaways: [`Terms can change without notice [${numbers[0] ?? 1}].`],
    sections: [
      {
        heading: 'Risks to weigh',
        markdown: `- Terms and rates can change without notice, and past figures say little about the next month [${numbers[0] ?? 1}]\n- Smart-contract failures, withdrawal delays and changing rules remain possible for every protocol named here ${cite}`,
      },
      { heading: 'What the sources report', markdown: `${reporting}${extra.markdown ?? ''}` },
    ],
    faq: [{ question: 'Is this advice?', answer: 'No. It summarises reporting; read the sources.' }],
    citations: numbers.length ? numbers : [1],
    affiliates: [],
  };
}

/** A careful model quotes the facts of a source, never the instructions injected into it. */
function dataOnly(summary: string): string {
  const cut = summary.indexOf(' Ignore previous instructions');
  return (cut >= 0 ? summary.slice(0, cut) : summary).trim();
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Valid answers for every step of every topic. */
export function validReply(body: any, usage?: FakeUsage): FakeReply {
  const view = viewOf(body);
  const json = view.step === 'brief' ? briefFor(view) : articleFor(view);
  return usage ? { json, usage } : { json };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
