import type { Nodes } from 'mdast';
import { proseOf } from '../prose.ts';
import { placedOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * A lead-in that promises a list or a set of links is followed by it. "The main risks are:",
 * "Here are the best resources.", "Siehe die folgenden Links:", "다음과 같습니다:" followed by the
 * next heading, a horizontal rule or the end of the article promised something that was lost.
 *
 * A lead-in followed by its list, table, code, quotation or paragraph (a quotation introduced by
 * a colon) is fine.
 *
 * ok:     The main risks are:\n\n- slashing\n- depegs
 * not-ok: The main risks are:\n\n## Next section
 */
export const structureDanglingLeadIn = defineRule({
  id: 'structure/dangling-lead-in',
  version: 1,
  severity: 'error',
  description: 'A lead-in that promises a list is followed by one.',
  check(article) {
    const messages: RuleMessage[] = [];
    for (const { node, parent, index } of placedOfType(article.tree, 'paragraph')) {
      if (!parent || parent.type === 'listItem') continue;
      const next = parent.children[index + 1] as Nodes | undefined;
      // Only the top level can "end": a lead-in at the end of a quotation is the quotation's business.
      const nothingFollows = next ? next.type === 'heading' || next.type === 'thematicBreak' : parent.type === 'root';
      if (!nothingFollows) continue;
      const text = proseOf(node).text.trim();
      if (LEAD_IN_COLON.test(text) || PROMISE.test(lastSentence(text))) {
        messages.push({
          message: `The lead-in "${text.slice(-50)}" promises a list or links, and ${next ? 'the next section starts instead' : 'the article ends'}`,
          hint: 'Restore the list it introduces, or rewrite the sentence so it does not promise one.',
          node,
        });
      }
    }
    return messages;
  },
});

/**
 * The text after the last full stop, exclamation or question mark before the end: a promise of
 * a list is the paragraph's last sentence, and no alternative of PROMISE spans one of them.
 */
function lastSentence(text: string): string {
  const before = text.length - 2;
  return text.slice(Math.max(text.lastIndexOf('.', before), text.lastIndexOf('!', before), text.lastIndexOf('?', before)) + 1);
}

/** A paragraph ending with a colon (ASCII or full-width). */
const LEAD_IN_COLON = /[:：]$/;

/**
 * Sentences that end by announcing what follows without a colon: "Here are the best resources.",
 * "…in the following guides.", "Hier sind die wichtigsten Links.", "다음과 같습니다.". A sentence
 * that merely mentions "the following weeks" goes on after the phrase and is not one.
 */
const PROMISE =
  /(?:\b(?:here are|below are|see|check out)\b[^.!?]{0,60}\b(?:links|resources|sources|steps|tips|options|tools|examples|guides|articles|reads)\b[^.!?]{0,30}[.!]?$|\bthe following(?: \p{L}+){0,2}[.!]?$|\bas follows[.!]?$|\b(?:hier sind|folgende[nrs]?|wie folgt)\b[^.!?]{0,60}[.!]?$|\b(?:los siguientes|las siguientes|a continuación)\b[^.!?]{0,40}[.!]?$|следующ\p{L}+(?: \p{L}+){0,2}[.!]?$|다음과 같[습다]\p{L}*[.!]?$|如下[。.]?$|以下の通り\p{L}*[。.]?$)/iu;
