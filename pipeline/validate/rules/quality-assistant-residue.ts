import { codeOf, matchesOutsideCode } from './markdown-scan.ts';
import { foldCase, matchesIgnoringCase, mentionsAny, type FoldedPattern } from './phrase-gates.ts';
import { type Rule } from './rule.ts';

/**
 * No assistant residue: the model talking to whoever asked for the article instead of to the
 * reader — preambles ("Sure! Here is the article…"), acknowledgements of the request, sign-offs
 * ("I hope this helps! Let me know if…"), refusals, self-references as an AI, unfilled template
 * placeholders ("[Insert link here]", "{{product}}", "TODO"), and promises of follow-up parts
 * that do not exist ("In part 2 we will…").
 *
 * Each is a tell that nobody read the page before it went out.
 *
 * ok:     Staking rewards fell in October.
 * not-ok: Certainly! Here is an article about staking rewards.
 */
export const qualityAssistantResidue: Rule = {
  id: 'quality/assistant-residue',
  severity: 'error',
  description: 'No chatbot preambles, sign-offs, self-references, placeholders or promised follow-ups.',
  check(article) {
    const code = codeOf(article);
    const messages = [];
    for (const [pattern, what, hint, gates] of PATTERNS) {
      // Cheap substring gates first: the patterns are long alternations, costly on every body.
      if (gates && !mentionsAny(article, gates)) continue;
      const matches = pattern.original.flags.includes('i')
        ? matchesIgnoringCase(article, pattern, code)
        : matchesOutsideCode(article.body, pattern.original, code).map((match) => ({ index: match.index, text: match[0] }));
      for (const match of matches) {
        messages.push({ message: `${what}: "${match.text.trim().slice(0, 60)}"`, hint, offset: match.index });
      }
    }
    return messages;
  },
};

const REMOVE = 'Remove it: the reader never saw the request.';

/**
 * Pattern, what it is, hint, and the lower-case substrings one of which every match contains: a
 * cheap gate (all gates are answered in one pass, see mentionsAny). A gate must follow its pattern
 * exactly, or matches are missed; the tight ones (every "<next> <part>" pair rather than "next")
 * keep the long alternations off the many bodies that merely say "next" or "second".
 */
const PATTERNS: Array<[FoldedPattern, string, string, (readonly string[])?]> = ([
  [
    /^(?:(?:sure|certainly|of course|absolutely|great question|okay|ok)[!,.] *)?(?:here(?:'s| is| are) (?:an?|the|your) (?:article|draft|blog post|post|rewrite|revised|updated|summary|version)\b|below is (?:an?|the|your) (?:article|draft)\b|(?:sure|certainly|of course|absolutely)[!,.])/gim,
    'Assistant preamble',
    REMOVE,
    ["here's ", 'here is ', 'here are ', 'below is ', ...['sure', 'certainly', 'of course', 'absolutely'].flatMap((word) => [`${word}!`, `${word},`, `${word}.`])],
  ],
  [/\bas an ai(?: language model)?\b|\bas a (?:large )?language model\b|\bI(?:'m| am) (?:just )?an ai\b|\bmy (?:training data|knowledge cutoff)\b/gi, 'Self-reference as an AI', REMOVE, ['an ai', 'language model', 'my training', 'knowledge cutoff']],
  [/\bI (?:can(?:no|')t|cannot|am unable to|won't be able to) (?:help|assist|provide|browse|access|write|give|offer)\b|\bI(?:'m| am) sorry,? but\b/gi, 'Refusal', 'The model refused part of the task: rewrite or drop that part.', ['i can', 'i am unable', "i won't", 'sorry']],
  [
    /\b(?:I hope (?:this|that) helps|let me know if (?:you|there)|feel free to (?:ask|reach out|let me know)|happy to help|would you like me to|if you(?:'d| would) like,? I can|as (?:you )?requested|per your request)\b/gi,
    'Assistant sign-off or request acknowledgement',
    REMOVE,
    ['hope th', 'let me know', 'feel free', 'happy to help', 'like me to', 'i can', 'requested', 'your request'],
  ],
  [
    /\[(?:insert|add|your|link|todo|tbd|placeholder|citation needed|source|name|date|number)\b[^\]\n]{0,40}\](?!\()|\{\{\s*[\w .-]+\s*\}\}|\blorem ipsum\b|<(?:insert|your)[^>\n]{0,40}>/gi,
    'Unfilled placeholder',
    'Fill in the placeholder or remove the sentence.',
    [...['insert', 'add', 'your', 'link', 'todo', 'tbd', 'placeholder', 'citation needed', 'source', 'name', 'date', 'number'].map((word) => `[${word}`), '{{', 'lorem ipsum', '<insert', '<your'],
  ],
  // Upper case only: "todo" and "xx" can be words, TODO/TBD/XX% are notes to self.
  [/\bTODO\b|\bTBD\b|\bXX+%?(?=\W|$)/g, 'Unfilled placeholder', 'Fill in the placeholder or remove the sentence.', ['todo', 'tbd', 'xx']],
  [
    /\b(?:in|stay tuned for|look out for|watch for) (?:the |our )?(?:next|upcoming|following|second|third) (?:part|article|post|installment|instalment|chapter)\b|\bin part (?:2|3|two|three|ii)\b|\bpart (?:2|two) (?:will|of this series)\b|\b(?:will|we'll) cover (?:this|that|these) in (?:a|the) (?:future|later|separate|follow-up) (?:article|post)\b/gi,
    'Promise of a follow-up part that does not exist',
    'Cover it here, or link an existing article instead of promising one.',
    [
      ...['next', 'upcoming', 'following', 'second', 'third'].flatMap((which) => ['part', 'article', 'post', 'installment', 'instalment', 'chapter'].map((what) => `${which} ${what}`)),
      ...['2', '3', 'two', 'three', 'ii'].map((part) => `in part ${part}`),
      'part 2 will', 'part two will', 'part 2 of this series', 'part two of this series',
      'cover this in', 'cover that in', 'cover these in',
    ],
  ],
] as Array<[RegExp, string, string, (readonly string[])?]>).map(([pattern, what, hint, gates]) => [
  pattern.flags.includes('i') ? foldCase(pattern) : { original: pattern, lower: pattern },
  what,
  hint,
  gates,
]);
