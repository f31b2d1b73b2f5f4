import type { AffiliateProgram } from '../schema/affiliate.ts';
import type { AffiliateReason, FeedItem } from '../schema/feed-item.ts';
import { mentions, normalisePhrase } from './topic-phrases.ts';

/** A program fits when its keyword names the topic, or is in at least this share of the headlines. */
const HEADLINE_SHARE = 0.5;

export interface AffiliateFit {
  /** Ids of the programs that fit, best first. */
  programs: string[];
  /** Why each of them fits, in the same order. */
  reasons: AffiliateReason[];
  /** 0–1: how squarely the best program's purpose is the topic. */
  fit: number;
}

/**
 * Which affiliate programs an article on this topic may recommend. A program fits only when the
 * topic is about what it is for: one of its keywords is in the topic's phrase, or in the
 * headlines of at least half the stories. A keyword in passing (one summary mentions
 * "regulation") is not enough: readers of an article on lending-rate caps do not need a tax tool.
 */
export function affiliateFit(topicKey: string, items: readonly FeedItem[], programs: readonly AffiliateProgram[]): AffiliateFit {
  const headlines = items.map((item) => normalisePhrase(item.title));
  const fits: { program: string; reason: AffiliateReason; strength: number }[] = [];
  for (const program of programs) {
    let best: { reason: AffiliateReason; strength: number } | undefined;
    for (const keyword of program.keywords) {
      const phrase = normalisePhrase(keyword);
      if (!phrase) continue;
      if (mentions(topicKey, phrase)) {
        best = { reason: reasonOf(program.id, keyword, 'topic', items.length, items.length), strength: 1 };
        break;
      }
      const matches = headlines.filter((headline) => mentions(headline, phrase)).length;
      const share = items.length ? matches / items.length : 0;
      if (share >= HEADLINE_SHARE && (!best || share > best.strength)) {
        best = { reason: reasonOf(program.id, keyword, 'headlines', matches, items.length), strength: share };
      }
    }
    if (best) fits.push({ program: program.id, ...best });
  }
  fits.sort((a, b) => b.strength - a.strength);
  return { programs: fits.map((entry) => entry.program), reasons: fits.map((entry) => entry.reason), fit: fits[0]?.strength ?? 0 };
}

function reasonOf(program: string, keyword: string, where: AffiliateReason['where'], matches: number, of: number): AffiliateReason {
  const summary = where === 'topic' ? `“${keyword}” names the topic` : `“${keyword}” is in ${matches} of ${of} headlines`;
  return { program, keyword, where, matches, of, summary };
}
