import type { Heading, Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { nodesOfType } from '../tree-nodes.ts';
import { defineRule, type RuleMessage } from './rule.ts';

/**
 * An article concludes once. A second "Conclusion" (or "Final thoughts", "Fazit", "Conclusión",
 * "Заключение", "결론", "结论", "まとめ"…) heading, or a paragraph opening with "In conclusion"
 * outside the conclusion section, is a second ending.
 *
 * Models that are asked to continue, or whose drafts are merged, end the article twice; the
 * reader sees it wrap up and then start again.
 *
 * ok:     one ## Conclusion, whose first paragraph may say "In short, …"
 * not-ok: ## Conclusion … ## Final thoughts
 */
export const structureSingleConclusion = defineRule({
  id: 'structure/single-conclusion',
  version: 1,
  severity: 'error',
  description: 'The article has one conclusion.',
  check(article) {
    const messages: RuleMessage[] = [];
    let concluded = false;
    let inConclusionSection = false;
    for (const node of nodesOfType(article.tree, 'heading', 'paragraph')) {
      if (node.type === 'heading') {
        const heading = node;
        const isConclusion = CONCLUSION_HEADING.test(toString(heading).trim());
        if (isConclusion && concluded) messages.push(second(heading));
        // Subsections of the conclusion stay in it; a new section at its level or above leaves it.
        if (isConclusion) inConclusionSection = true;
        else if (heading.depth <= 2) inConclusionSection = false;
        concluded ||= isConclusion;
        continue;
      }
      if (CONCLUSION_OPENER.test(toString(node).trim())) {
        if (concluded && !inConclusionSection) messages.push(second(node));
        if (!inConclusionSection) concluded = true;
      }
    }
    return messages;
  },
});

function second(node: Heading | Paragraph): RuleMessage {
  return {
    message: 'A second conclusion: the article has already concluded above',
    hint: 'Merge the two endings into one conclusion at the end of the article.',
    node,
  };
}

const CONCLUSION_HEADING =
  /^(?:\d+[.)]?\s*)?(?:conclusions?|in conclusion|final (?:thoughts|words|verdict)|closing thoughts|wrapping up|the bottom line|bottom line|summary|to sum up|fazit|schlussfolgerung|zusammenfassung|schlusswort|conclusión|conclusiones|en resumen|reflexiones finales|conclusion générale|en conclusion|conclusione|заключение|выводы?|итоги?|결론|맺음말|마무리|结论|总结|结语|まとめ|結論|おわりに|الخلاصة|خاتمة|الخاتمة)[.:!]?$/iu;

const CONCLUSION_OPENER = /^(?:in conclusion|to conclude|in summary|to sum up|all in all|zusammenfassend|abschließend|en conclusión|en resumen|para concluir|en conclusion|pour conclure|в заключение|подводя итоги|결론적으로|요약하면|总之|综上所述|まとめると|結論として|في الختام|ختاماً)\b/iu;
