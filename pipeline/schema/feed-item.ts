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

/** A ranked candidate for an article. */
export interface Topic {
  /** Stable key (the normalised phrase), used to never draft a topic twice. */
  key: string;
  label: string;
  score: number;
  /** The parts of the score, shown so a publisher sees why a topic was picked. */
  parts: { recent: number; before: number; sources: number; fit: number };
  /** Affiliate program ids whose keywords match the topic. */
  affiliates: string[];
  /** Source items, newest first. */
  items: FeedItem[];
}
