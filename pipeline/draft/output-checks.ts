import type { ArticleOutput } from './article-output.ts';
import type { BriefOutput } from './brief-output.ts';

/**
 * What the zod schemas cannot express about a model's answer: references must name existing
 * source items and offered affiliate programs (links are built from them), and the article must
 * keep the niche's rules from config (words to avoid, a risks section for money topics).
 * Each issue is a `path: message` line the repair request shows the model.
 */

export interface VoiceRules {
  avoidWords: readonly string[];
  /** A money niche: the article needs a section whose heading names the risks. */
  financial: boolean;
}

export function briefIssues(brief: BriefOutput, sourceCount: number): string[] {
  const issues: string[] = [];
  const range = rangeText(sourceCount);
  brief.keyFacts.forEach((fact, index) => {
    if (fact.source > sourceCount) issues.push(`keyFacts[${index}].source: source ${fact.source} does not exist (${range})`);
  });
  brief.risks.forEach((risk, index) => {
    if (risk.source !== null && risk.source > sourceCount) issues.push(`risks[${index}].source: source ${risk.source} does not exist (${range})`);
  });
  return issues;
}

export function articleIssues(output: ArticleOutput, sourceCount: number, allowedAffiliates: readonly string[], voice: VoiceRules): string[] {
  const issues: string[] = [];
  const range = rangeText(sourceCount);
  output.citations.forEach((n, index) => {
    if (n > sourceCount) issues.push(`citations[${index}]: source ${n} does not exist (${range})`);
  });
  for (const [path, markdown] of proseOf(output)) {
    const bad = [...markdown.matchAll(/\[(\d+)\](?!\()/g)].map((match) => Number(match[1])).filter((n) => n < 1 || n > sourceCount);
    if (bad.length) issues.push(`${path}: cites [${[...new Set(bad)].join('], [')}] but ${range}`);
  }
  output.affiliates.forEach((id, index) => {
    if (!allowedAffiliates.includes(id)) {
      const offered = allowedAffiliates.length ? allowedAffiliates.join(', ') : 'none';
      issues.push(`affiliates[${index}]: "${id}" is not one of the offered programs (${offered})`);
    }
  });
  issues.push(...voiceIssues(output, voice));
  return issues;
}

export function voiceIssues(output: ArticleOutput, voice: VoiceRules): string[] {
  const issues: string[] = [];
  const texts: (readonly [string, string])[] = [
    ['title', output.title],
    ['description', output.description],
    ...output.keyTakeaways.map((text, index) => [`keyTakeaways[${index}]`, text] as const),
    ...output.sections.map((section, index) => [`sections[${index}].heading`, section.heading] as const),
    ...proseOf(output),
    ...output.faq.map((entry, index) => [`faq[${index}].question`, entry.question] as const),
  ];
  for (const word of voice.avoidWords) {
    const pattern = wordPattern(word);
    const where = texts.filter(([, text]) => pattern.test(text)).map(([path]) => path);
    if (where.length) issues.push(`${where[0]}: uses "${word}", which this site never uses${where.length > 1 ? ` (also in ${where.slice(1, 4).join(', ')})` : ''}`);
  }
  if (voice.financial && !output.sections.some((section) => /\brisks?\b/i.test(section.heading))) {
    issues.push('sections: a section whose heading names the risks (e.g. "Risks to weigh") is required on this site');
  }
  return issues;
}

function proseOf(output: ArticleOutput): (readonly [string, string])[] {
  return [
    ...output.sections.map((section, index) => [`sections[${index}].markdown`, section.markdown] as const),
    ...output.faq.map((entry, index) => [`faq[${index}].answer`, entry.answer] as const),
  ];
}

/** Whole words, any case ("delve" matches "Delve", not "delved"); a space matches any run of white space. */
function wordPattern(word: string): RegExp {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'iu');
}

function rangeText(sourceCount: number): string {
  return `there are sources 1 to ${sourceCount}`;
}
