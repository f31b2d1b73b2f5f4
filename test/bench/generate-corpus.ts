/**
 * Synthetic article corpus for the benchmarks: N markdown files that pass `nichepress validate`
 * (frontmatter schema and the recommended lint rules), deterministic for a seed.
 *
 * Each article has 600–1,200 words of body (h2/h3 headings, paragraphs, bullet and numbered lists,
 * sometimes a table or a quote), 2–5 listed sources, citations like [[1]](source url) that
 * resolve to them, links to the sources, some site-relative links and affiliate links, dates
 * before 2026-11-01, `draft` never set and `generator: human`.
 *
 * Library:  await generateCorpus({ count: 1000, folder: 'test/bench/.work/corpus', seed: 1 })
 * CLI:      node test/bench/generate-corpus.ts --count 1000 --out <folder> [--seed 1] [--clean]
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mulberry32, type Random } from '../helpers/prng.ts';

export interface GenerateCorpusOptions {
  /** Number of articles. */
  count: number;
  /** Folder the .md files are written to (created if missing). */
  folder: string;
  /** Same seed, same files. Default 1. */
  seed?: number;
  /** Delete the .md files already in the folder first (so a smaller corpus does not mix with a bigger one). */
  clean?: boolean;
}

export interface CorpusStats {
  files: number;
  bytes: number;
  /** Words of markdown body per article (link targets and markup not counted). */
  words: { min: number; max: number; mean: number };
  ms: number;
}

// ── a tiny deterministic PRNG (mulberry32) ─────────────────────────────────────────────────────

export { mulberry32, type Random } from '../helpers/prng.ts';

const int = (rng: Random, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const chance = (rng: Random, p: number): boolean => rng() < p;

function sample<T>(rng: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return out;
}

// ── vocabulary (fictional protocols on example domains: nothing here is a claim about a real one) ──

const PROTOCOLS = [
  'Stakewell', 'Lendora', 'Curvex', 'Poolside', 'Vaultline', 'Restakr', 'Harborfi', 'Tidepool', 'Anchorage Labs',
  'Quayside', 'Ledgerline', 'Meridian', 'Brightvault', 'Coldharbor', 'Northstake', 'Solace Finance', 'Driftwood',
  'Keelhaul', 'Ironbridge', 'Plumb', 'Saltmarsh', 'Foundry Pool', 'Everyield', 'Cobalt Markets', 'Parallax',
];

const TOPICS = [
  'liquid staking', 'restaking', 'lending markets', 'stablecoin yields', 'liquidity provision', 'impermanent loss',
  'validator economics', 'sequencer fees', 'bridge risk', 'points programs', 'yield aggregators', 'governance tokens',
  'tokenized treasuries', 'delta-neutral strategies', 'funding rates', 'self-custody', 'tax reporting',
  'slashing insurance', 'MEV rewards', 'withdrawal queues', 'staking rewards', 'collateral ratios', 'oracle risk',
  'depeg risk', 'vault strategies', 'layer-2 bridges', 'rollup withdrawals', 'validator exits',
];

const TAGS = [
  'staking', 'defi', 'lending', 'stablecoins', 'layer-2', 'risk', 'yield', 'ethereum', 'governance', 'taxes',
  'wallets', 'liquidity', 'restaking', 'bridges', 'oracles', 'security', 'fees', 'beginners', 'research', 'rollups',
];

const ASSETS = ['ETH', 'stETH', 'USDC', 'DAI', 'wBTC', 'SOL', 'ATOM', 'rETH', 'USDT', 'LUSD'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const PUBLISHERS = [
  { name: 'DeFi Ledger', host: 'defiledger.example' },
  { name: 'Yield Watch', host: 'yieldwatch.example' },
  { name: 'Staking Notes', host: 'staking-notes.example' },
  { name: 'Layer Two Digest', host: 'l2digest.example' },
  { name: 'Chain Risk Review', host: 'chainrisk.example' },
  { name: 'Protocol Post', host: 'protocolpost.example' },
  { name: 'Validator Weekly', host: 'validatorweekly.example' },
];

/** The affiliate programs of the sample config (content/niche.yaml). */
const AFFILIATES = [
  { id: 'ledgerly', name: 'Ledgerly', url: 'https://shop.ledgerly.example/?ref=yieldfieldnotes', about: 'a hardware wallet' },
  { id: 'stakeport', name: 'StakePort', url: 'https://stakeport.example/signup?aff=yfn-001', about: 'a staking dashboard' },
  { id: 'taxtrail', name: 'TaxTrail', url: 'https://taxtrail.example/?via=yfn&utm_source=yieldfieldnotes', about: 'crypto tax reports' },
];

const SITE_PAGES = ['/about/', '/affiliate-disclosure/'];

const RISKS = [
  'smart-contract bugs', 'a depeg of the receipt token', 'slashing', 'oracle manipulation', 'governance capture',
  'withdrawal delays', 'bridge exploits', 'liquidation cascades', 'counterparty risk', 'regulatory action',
];

const H2 = [
  'How it works', 'Where the yield comes from', 'What can go wrong', 'Fees and hidden costs', 'How to compare offers',
  'What the sources say', 'Tax and reporting', 'Liquidity and exit', 'Who this suits', 'Numbers to watch',
  'A worked example', 'The risk checklist', 'Custody choices', 'Recent changes',
];
const H3 = [
  'The short version', 'The mechanics', 'Costs over a year', 'Smart-contract risk', 'Market risk', 'Operational risk',
  'What changed', 'What stayed the same', 'A simple test', 'Red flags', 'When it makes sense', 'When to avoid it',
];

// ── text templates ─────────────────────────────────────────────────────────────────────────────

interface Ctx {
  rng: Random;
  proto: string;
  proto2: string;
  topic: string;
  asset: string;
  sources: Source[];
  year: number;
  cite: () => string;
  affiliate: (typeof AFFILIATES)[number] | undefined;
}

const pct = (rng: Random): string => `${int(rng, 1, 19)}.${int(rng, 0, 9)}%`;

const SENTENCES: Array<(c: Ctx) => string> = [
  (c) => `${c.proto} currently advertises ${pct(c.rng)} a year on ${c.asset}, but the headline rate includes incentives that can stop at any time${c.cite()}.`,
  (c) => `Most of the return in ${c.topic} comes from fees paid by other users, not from new tokens printed for depositors.`,
  (c) => `When ${c.proto2} changed its fee switch, deposits fell by roughly ${int(c.rng, 5, 40)}% within ${int(c.rng, 2, 9)} weeks${c.cite()}.`,
  (c) => `The main risks to weigh are ${sample(c.rng, RISKS, 2).join(' and ')}, and neither shows up in the advertised rate.`,
  (c) => `A deposit of ${int(c.rng, 1, 50) * 100} ${c.asset} would have earned about ${int(c.rng, 20, 900)} ${c.asset} over the last year, before gas and taxes.`,
  (c) => `Audits reduce the chance of a bug but do not remove it; ${c.proto} has had ${int(c.rng, 2, 6)} audits and one paid bug bounty${c.cite()}.`,
  (c) => `Withdrawals from ${c.proto} take between ${int(c.rng, 1, 5)} and ${int(c.rng, 6, 21)} days, which matters if you may need the money quickly.`,
  (c) => `Compared with ${c.proto2}, the fee on rewards is ${int(c.rng, 2, 15)} percentage points lower, although the pool is smaller.`,
  (c) => `Readers often ask whether ${c.topic} is safer than holding ${c.asset} directly; the honest answer is that it adds risks rather than removing them.`,
  (c) => `In ${pick(c.rng, MONTHS)} ${c.year - 1} the total value locked in ${c.topic} products moved by about ${int(c.rng, 3, 60)}%${c.cite()}.`,
  () => `Governance votes can change the parameters of a pool overnight, so the terms you sign up for are not the terms you are guaranteed.`,
  () => `A useful habit is to write down the exit path before depositing: which contract, which queue, and what it costs to leave.`,
  (c) => `The ${c.proto} documentation lists a reserve of ${int(c.rng, 1, 12)}% of fees that is meant to cover losses, which is small next to a serious exploit.`,
  (c) => `Yields above ${int(c.rng, 8, 25)}% usually mean somebody is paying for risk, and it is worth finding out who.`,
  (c) => `Gas costs eat into small positions: below about ${int(c.rng, 2, 20) * 100} dollars, claiming rewards every week can cost more than it earns.`,
  (c) => `Several analysts expect ${c.topic} rates to converge toward the base staking yield as more capital arrives${c.cite()}.`,
  () => `Tax treatment differs by country, and in many places each reward is income when received and a disposal when sold.`,
  (c) => `The contracts of ${c.proto2} are upgradeable by a ${int(c.rng, 3, 9)}-of-${int(c.rng, 9, 13)} multisig, which is a trust assumption worth knowing about.`,
  (c) => `Liquidity on secondary markets can vanish in a sell-off, and a receipt token may trade ${int(c.rng, 1, 8)}% below its redemption value for days.`,
  (c) => `None of this is a reason to avoid ${c.topic} entirely, but it is a reason to size positions so that a total loss would not change your life.`,
  (c) => `Data from the last ${int(c.rng, 2, 8)} quarters shows that rewards were steadier than prices, which is what most depositors actually care about${c.cite()}.`,
  (c) => `The difference between APR and APY matters here: compounding weekly turns ${int(c.rng, 4, 9)}% APR into a slightly higher APY, but only if fees are ignored.`,
  (c) => `Operators on ${c.proto} must post a bond, and the bond is what gets slashed first when something goes wrong.`,
  (c) => `Concentration is a quiet risk: the top ${int(c.rng, 3, 10)} operators run more than half of the stake${c.cite()}.`,
];

const LIST_ITEMS: Array<(c: Ctx) => string> = [
  (c) => `Check who can upgrade the ${c.proto} contracts and how long the timelock is.`,
  (c) => `Compare the net rate after fees with the plain staking yield on ${c.asset}.`,
  () => 'Read the withdrawal rules before you deposit, not after.',
  (c) => `Look for an independent audit dated after the last major upgrade${c.cite()}.`,
  (c) => `Note how much of the yield is paid in ${c.proto} governance tokens.`,
  () => 'Keep a record of every reward for tax reporting.',
  (c) => `Test the exit with a small amount first; **${int(c.rng, 2, 3)} transactions** is a typical minimum.`,
  (c) => `Watch the share of deposits held by the largest ${int(c.rng, 5, 20)} wallets.`,
  () => 'Decide in advance what would make you withdraw.',
  (c) => `Treat *${pick(c.rng, RISKS)}* as a real possibility, not a footnote.`,
  (c) => `Read the ${c.sources[0]!.publisher} summary linked in the sources before acting${c.cite()}.`,
  (c) => `Avoid leverage on ${c.asset} positions you cannot monitor daily.`,
];

const STEPS: Array<(c: Ctx) => string> = [
  () => 'Move a small test amount to a wallet you control.',
  (c) => `Deposit into the ${c.proto} pool and record the transaction hash.`,
  () => 'Confirm the receipt token arrived and check its contract address.',
  () => 'Set a calendar reminder to review the position every month.',
  () => 'Withdraw the test amount once to make sure the exit path works.',
  () => 'Only then add the rest of the planned position.',
];

interface Source {
  title: string;
  url: string;
  publisher: string;
  publishedAt: string;
}

const words = (text: string): number =>
  text
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/[#*>|`[\]_-]/g, ' ')
    .split(/\s+/)
    .filter((token) => /[\p{L}\p{N}]/u.test(token)).length;

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export function slugify(text: string, max = 80): string {
  let slug = text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > max) slug = slug.slice(0, max).replace(/-[^-]*$/, '');
  return slug;
}

function isoDate(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().replace(/\.000Z$/, 'Z');
}

/** A YAML scalar: plain when unambiguous, double-quoted (JSON, which YAML accepts) otherwise. */
function yamlString(value: string): string {
  return /^[A-Za-z][A-Za-z0-9 ,.'’()%&?!/-]*$/.test(value) && !/:\s|\s#|[?:]$/.test(value) ? value : JSON.stringify(value);
}

const TITLES: Array<(c: Ctx) => string> = [
  (c) => `${capitalise(c.topic)} explained: how ${c.proto} pays its depositors`,
  (c) => `What ${c.proto}'s new fee model means for ${c.topic}`,
  (c) => `${capitalise(c.topic)} in ${c.year}: ${int(c.rng, 3, 9)} risks to check before you deposit`,
  (c) => `How to compare ${c.topic} yields on ${c.proto} and ${c.proto2}`,
  (c) => `Is the ${pct(c.rng)} ${c.asset} yield on ${c.proto} sustainable?`,
  (c) => `A beginner's guide to ${c.topic} with ${c.asset}`,
  (c) => `${c.proto} vs ${c.proto2}: ${c.topic} fees, risks and rewards`,
  (c) => `Why ${c.topic} rates moved in ${pick(c.rng, MONTHS)} ${c.year - 1}`,
  (c) => `The hidden costs of ${c.topic} on ${c.proto}`,
  (c) => `${capitalise(c.topic)} after the ${c.proto2} upgrade: what changed for ${c.asset} holders`,
];

const DESCRIPTIONS: Array<(c: Ctx) => string> = [
  (c) => `A sourced look at ${c.topic} on ${c.proto}: where the yield comes from, what it costs, and the risks the headline rate leaves out.`,
  (c) => `We compare ${c.proto} and ${c.proto2} on fees, exit times and risks, with every figure linked to its source.`,
  (c) => `What ${c.asset} holders should know about ${c.topic} before depositing, from withdrawal queues to tax records.`,
  (c) => `${capitalise(c.topic)} promises steady income. This guide checks the numbers behind the promise and lists what can go wrong.`,
];

export interface GeneratedArticle {
  slug: string;
  text: string;
  words: number;
}

/**
 * One article. `index` makes source URLs unique; `taken` keeps slugs unique across the corpus;
 * `earlier` are slugs of articles already generated, for site-relative "related" links.
 */
export function generateArticle(rng: Random, index: number, taken: Set<string>, earlier: readonly string[] = []): GeneratedArticle {
  const start = Date.UTC(2022, 0, 1);
  const end = Date.UTC(2026, 9, 31, 23, 0);
  const publishedMs = start + Math.floor(rng() * (end - start));
  const year = new Date(publishedMs).getUTCFullYear();
  const [proto, proto2] = sample(rng, PROTOCOLS, 2) as [string, string];
  const topic = pick(rng, TOPICS);
  const asset = pick(rng, ASSETS);

  const sourceCount = int(rng, 2, 5);
  const sources: Source[] = sample(rng, PUBLISHERS, sourceCount).map((publisher, n) => {
    const sourceMs = publishedMs - int(rng, 1, 120) * 86_400_000;
    const date = new Date(sourceMs);
    const title = `${capitalise(pick(rng, TOPICS))} ${pick(rng, ['update', 'report', 'analysis', 'data', 'review', 'notes'])}: ${pick(rng, PROTOCOLS)} ${pick(rng, ['changes', 'numbers', 'risks', 'outlook', 'fees'])}`;
    return {
      title,
      url: `https://${publisher.host}/${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${slugify(title, 60)}-${index.toString(36)}${n}`,
      publisher: publisher.name,
      publishedAt: isoDate(sourceMs),
    };
  });

  const affiliate = chance(rng, 0.35) ? pick(rng, AFFILIATES) : undefined;
  const ctx: Ctx = {
    rng,
    proto,
    proto2,
    topic,
    asset,
    sources,
    year,
    affiliate,
    cite: () => {
      if (!chance(rng, 0.45)) return '';
      const n = int(rng, 1, sources.length);
      return chance(rng, 0.8) ? ` [[${n}]](${sources[n - 1]!.url})` : ` [${n}]`;
    },
  };

  let title = '';
  let slug = '';
  for (let attempt = 0; ; attempt += 1) {
    title = pick(rng, TITLES)(ctx);
    if (title.length < 10 || title.length > 120) continue;
    const base = slugify(title);
    slug = base;
    for (let n = 2; taken.has(slug); n += 1) slug = `${base}-${n}`;
    break;
  }
  taken.add(slug);
  const description = pick(rng, DESCRIPTIONS)(ctx);

  // ── body ──
  const target = int(rng, 640, 1100);
  const blocks: string[] = [];
  let count = 0;
  const add = (block: string) => {
    // A repeated block (the same "see the … piece" line twice) would fail quality/duplicate-paragraph.
    if (blocks.includes(block)) return;
    blocks.push(block);
    count += words(block);
  };
  const paragraph = (sentences: number): string => {
    const parts: string[] = [];
    for (const sentence of sample(rng, SENTENCES, sentences)) parts.push(sentence(ctx));
    const text = parts.join(' ');
    // Fixed sentences can make two short paragraphs identical (quality/duplicate-paragraph): draw again.
    return blocks.includes(text) ? paragraph(sentences + 1) : text;
  };
  const ymyl = !chance(rng, 0.15);

  // Without `ymyl` the page shows no risk disclaimer, so the body carries one (compliance/ymyl-disclaimer).
  add(`${capitalise(topic)} keeps coming up in reader questions, and ${proto} is where many people meet it first.${ymyl ? '' : ' This is research, not financial advice.'} ${paragraph(int(rng, 2, 3))}`);
  if (affiliate) {
    add(`If you want to follow along, [${affiliate.name}](${affiliate.url}) is ${affiliate.about} some readers use for this; we may earn a commission if you sign up.`);
  }
  const headings = sample(rng, H2, H2.length);
  let headingIndex = 0;
  while (count < target - 90 && headingIndex < headings.length - 1) {
    add(`## ${headings[headingIndex++]}`);
    const shape = rng();
    if (shape < 0.3) {
      add(paragraph(int(rng, 2, 4)));
      add(sample(rng, LIST_ITEMS, int(rng, 3, 5)).map((item) => `- ${item(ctx)}`).join('\n'));
    } else if (shape < 0.45) {
      add(paragraph(int(rng, 1, 3)));
      add(STEPS.slice(0, int(rng, 3, STEPS.length)).map((step, i) => `${i + 1}. ${step(ctx)}`).join('\n'));
    } else if (shape < 0.6) {
      for (const sub of sample(rng, H3, int(rng, 2, 3))) {
        if (count >= target - 60) break;
        add(`### ${sub}`);
        add(paragraph(int(rng, 2, 3)));
      }
    } else if (shape < 0.7) {
      add(paragraph(int(rng, 1, 2)));
      const rows = sample(rng, PROTOCOLS, int(rng, 3, 4)).map(
        (name) => `| ${name} | ${pct(rng)} | ${int(rng, 1, 21)} days | ${pick(rng, RISKS)} |`,
      );
      add(['| Protocol | Net rate | Exit time | Main risk |', '| --- | ---: | ---: | --- |', ...rows].join('\n'));
    } else if (shape < 0.78) {
      add(paragraph(int(rng, 2, 3)));
      const quoted = pick(rng, sources);
      add(`> ${pick(rng, SENTENCES)(ctx).replace(/ \[\[?\d+\]?\](\([^)]*\))?/g, '')}\n>\n> — [${quoted.publisher}](${quoted.url})`);
    } else {
      add(paragraph(int(rng, 3, 5)));
      add(paragraph(int(rng, 2, 4)));
    }
    if (chance(rng, 0.25)) {
      const source = pick(rng, sources);
      add(`For the underlying figures, see the [${source.publisher} piece](${source.url}) and our [${pick(rng, ['about page', 'notes on method'])}](${pick(rng, SITE_PAGES)}).`);
    } else if (earlier.length > 0 && chance(rng, 0.2)) {
      add(`We covered a related question in [an earlier article](/articles/${pick(rng, earlier)}/).`);
    }
  }
  add(`## ${headings[headings.length - 1]}`);
  add(`${paragraph(2)} Every claim above links to the sources listed below; read them before acting ${sources.map((_, i) => `[${i + 1}]`).join(', ')}.`);
  const body = blocks.join('\n\n');

  // ── frontmatter ──
  const tags = [slugify(topic), ...sample(rng, TAGS, int(rng, 1, 4))].filter((tag, i, all) => all.indexOf(tag) === i);
  const lines = [
    '---',
    `title: ${yamlString(title)}`,
    `description: ${yamlString(description)}`,
    `publishedAt: ${isoDate(publishedMs)}`,
  ];
  if (chance(rng, 0.3)) lines.push(`updatedAt: ${isoDate(Math.min(end, publishedMs + int(rng, 1, 60) * 86_400_000))}`);
  lines.push(`tags: [${tags.join(', ')}]`);
  if (!ymyl) lines.push('ymyl: false');
  if (chance(rng, 0.5)) {
    lines.push('topic:', `  key: ${slugify(topic)}`, `  label: ${yamlString(topic)}`, `  score: ${(rng() * 10).toFixed(2)}`);
  }
  lines.push('keyTakeaways:');
  for (const item of sample(rng, LIST_ITEMS, int(rng, 2, 4))) {
    lines.push(`  - ${yamlString(item({ ...ctx, cite: () => '' }).replace(/\*+/g, ''))}`);
  }
  if (chance(rng, 0.6)) {
    lines.push('faq:');
    lines.push(`  - question: ${yamlString(`Is ${topic} on ${proto} safe?`)}`);
    lines.push(`    answer: ${yamlString(`No deposit is risk-free. The main risks are ${sample(rng, RISKS, 2).join(' and ')}.`)}`);
    lines.push(`  - question: ${yamlString(`How long does it take to withdraw ${asset}?`)}`);
    lines.push(`    answer: ${yamlString(`Typically ${int(rng, 1, 5)} to ${int(rng, 6, 21)} days, depending on the queue.`)}`);
  }
  lines.push('sources:');
  for (const source of sources) {
    lines.push(`  - title: ${yamlString(source.title)}`, `    url: ${source.url}`, `    publisher: ${yamlString(source.publisher)}`, `    publishedAt: ${source.publishedAt}`);
  }
  if (affiliate) lines.push(`affiliates: [${affiliate.id}]`);
  lines.push('generator: human', '---', '');

  return { slug, text: `${lines.join('\n')}\n${body}\n`, words: count };
}

/** Writes `count` articles into `folder`. Deterministic: the same seed gives byte-identical files. */
export async function generateCorpus(options: GenerateCorpusOptions): Promise<CorpusStats> {
  const started = performance.now();
  const folder = resolve(options.folder);
  await mkdir(folder, { recursive: true });
  if (options.clean) {
    for (const name of await readdir(folder)) if (name.endsWith('.md')) await rm(join(folder, name));
  }
  const rng = mulberry32(options.seed ?? 1);
  const taken = new Set<string>();
  let bytes = 0;
  let min = Infinity;
  let max = 0;
  let total = 0;
  const pending: Promise<void>[] = [];
  const recent: string[] = [];
  for (let index = 0; index < options.count; index += 1) {
    let article = generateArticle(rng, index, taken, recent);
    while (article.words < 600 || article.words > 1200) {
      taken.delete(article.slug);
      article = generateArticle(rng, index, taken, recent);
    }
    recent.push(article.slug);
    if (recent.length > 50) recent.shift();
    bytes += Buffer.byteLength(article.text);
    min = Math.min(min, article.words);
    max = Math.max(max, article.words);
    total += article.words;
    pending.push(writeFile(join(folder, `${article.slug}.md`), article.text));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  return {
    files: options.count,
    bytes,
    words: { min: options.count ? min : 0, max, mean: options.count ? Math.round(total / options.count) : 0 },
    ms: Math.round(performance.now() - started),
  };
}

const isMain = (import.meta as { main?: boolean }).main ?? process.argv[1] === new URL(import.meta.url).pathname;

if (isMain) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      clean: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.out) {
    (values.help ? process.stdout : process.stderr).write('Usage: node test/bench/generate-corpus.ts --count <n> --out <folder> [--seed <n>] [--clean]\n');
    process.exitCode = values.help ? 0 : 2;
  } else {
    const stats = await generateCorpus({ count: Number(values.count), folder: values.out, seed: Number(values.seed), clean: values.clean });
    process.stdout.write(
      `wrote ${stats.files} articles (${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.words.min}–${stats.words.max} words, mean ${stats.words.mean}) to ${values.out} in ${stats.ms} ms\n`,
    );
  }
}
