/** A feed entry after normalisation: plain text, canonical URL, a real date. */
export interface FeedItem {
  /** Stable id: hash of the canonical URL. */
  id: string;
  title: string;
  url: string;
  summary: string;
  publishedAt: string;
  /** Name of the feed (from config) it was read from. */
  feed: string;
  /** Publisher (the feed's own title). */
  publisher: string;
}

export interface TopicScoreParts {
  /** Mentions in the recent window, and in the baseline window before it. */
  recent: number;
  before: number;
  /** Breadth: distinct feeds mentioning it recently. */
  sources: number;
  /** Affiliate fit, 0–1: how well it matches a program's keywords. */
  fit: number;
  /** Burst z-score: recent mentions against what the baseline rate predicts. */
  velocity?: number;
  /** 0–1: how fresh the newest mention is (halves every half recent window). */
  recency?: number;
  /** 0–1: how little our own articles already cover it (1 = not at all). */
  gap?: number;
}

/** Why an affiliate program fits a topic: its keyword names the topic, or is in most headlines. */
export interface AffiliateReason {
  program: string;
  keyword: string;
  where: 'topic' | 'headlines';
  /** Stories whose headline has the keyword (all of them when it names the topic), of the topic's stories. */
  matches: number;
  of: number;
  /** The reason in words, e.g. “staking” is in 2 of 3 headlines. */
  summary: string;
}

/** A ranked candidate for an article. */
export interface Topic {
  /** Stable key (the normalised phrase), used to never draft a topic twice. */
  key: string;
  label: string;
  score: number;
  /** The parts of the score, shown so a publisher sees why a topic was picked. */
  parts: TopicScoreParts;
  /** Mentions per day over the baseline and recent windows, for the trends chart. */
  series?: { start: string; counts: number[] };
  /** Affiliate program ids whose purpose is the topic (see affiliateReasons). */
  affiliates: string[];
  /** Why each program in `affiliates` fits, in the same order. */
  affiliateReasons?: AffiliateReason[];
  /** Source items, newest first. */
  items: FeedItem[];
}
