import { linksOf } from '../markdown-links.ts';
import { matchesIn, proseOf, textBlocks } from '../prose.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * No assistant residue: the model talking to whoever asked for the article instead of to the
 * reader — preambles ("Sure! Here is the article…"), acknowledgements of the request, sign-offs
 * ("I hope this helps! Let me know if…"), refusals, self-references as an AI, placeholders a
 * template left unfilled ("[ADD LINK HERE]", "{{affiliate_url}}", "TODO"), in the text or in a
 * link's target, and teasers for follow-up parts that do not exist ("In part 2 we will…").
 *
 * Each is a tell that nobody read the page before it went out.
 *
 * ok:     Staking rewards fell in October.
 * not-ok: Certainly! Here is an article about staking rewards.
 */
export const qualityAssistantResidue = defineRule({
  id: 'quality/assistant-residue',
  version: 2,
  severity: 'error',
  description: 'No chatbot preambles, sign-offs, self-references, placeholders or promised follow-ups.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const block of textBlocks(article.tree)) {
      const prose = proseOf(block);
      for (const [pattern, what, hint] of PATTERNS) {
        for (const match of matchesIn(prose.text, pattern)) {
          messages.push({ message: `${what}: "${match[0].trim().slice(0, 60)}"`, hint, point: prose.pointAt(match.index) });
        }
      }
    }
    for (const link of linksOf(article.tree)) {
      if (/\{\{|%7B%7B|^\[?(?:url|link|insert|todo|placeholder)\]?$/i.test(link.url)) {
        messages.push({ message: `Unfilled placeholder in a link target: "${link.url.slice(0, 60)}"`, hint: FILL, node: link });
      }
    }
    return messages;
  },
});

const REMOVE = 'Remove it: the reader never saw the request.';
const FILL = 'Fill in the placeholder or remove the sentence.';

const PATTERNS: Array<[RegExp, string, string]> = [
  [
    /^(?:(?:sure|certainly|of course|absolutely|great question|okay|ok)[!,.] *)?(?:here(?:['’]s| is| are) (?:an?|the|your) (?:article|draft|blog post|post|rewrite|revised|updated|summary|version)\b|below is (?:an?|the|your) (?:article|draft)\b|(?:sure|certainly|of course|absolutely)[!,.])/gim,
    'Assistant preamble',
    REMOVE,
  ],
  [/\bas an ai(?: language model)?\b|\bas a (?:large )?language model\b|\bI(?:['’]m| am) (?:just )?an ai\b|\bmy (?:training data|knowledge cutoff)\b/gi, 'Self-reference as an AI', REMOVE],
  [/\bI (?:can(?:no|['’])t|cannot|am unable to|won['’]t be able to) (?:help|assist|provide|browse|access|write|give|offer)\b|\bI(?:['’]m| am) sorry,? but\b/gi, 'Refusal', 'The model refused part of the task: rewrite or drop that part.'],
  [
    /\b(?:I hope (?:this|that) helps|let me know if (?:you|there)|feel free to (?:ask|reach out|let me know)|happy to help|would you like me to|if you(?:['’]d| would) like,? I can|as (?:you )?requested|per your request)\b/gi,
    'Assistant sign-off or request acknowledgement',
    REMOVE,
  ],
  [/\[(?:insert|add|your|link|todo|tbd|placeholder|citation needed|source|name|date|number|url)\b[^\]\n]{0,40}\]|\{\{\s*[\w .-]+\s*\}\}|\blorem ipsum\b|<(?:insert|your)[^>\n]{0,40}>/gi, 'Unfilled placeholder', FILL],
  // Upper case only: "todo" and "xx" can be words, TODO/TBD/XX% are notes to self.
  [/\bTODO\b|\bTBD\b|\bXX+%?(?=\W|$)/g, 'Unfilled placeholder', FILL],
  [
    /\b(?:in|stay tuned for|look out for|watch for|coming up in) (?:the |our )?(?:next|upcoming|following|second|third) (?:part|article|post|installment|instalment|chapter|episode)\b|\bin part (?:2|3|two|three|ii)\b|\bpart (?:2|two) (?:will|of this series)\b|\b(?:will|we['’]ll) (?:cover|explore|look at|discuss) (?:this|that|these|it) in (?:a|the) (?:future|later|separate|follow-up|next) (?:article|post|part)\b/gi,
    'Teaser for a follow-up part that does not exist',
    'Cover it here, or link an existing article instead of promising one.',
  ],
];
