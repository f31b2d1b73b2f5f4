/**
 * The error catalogue: every error or finding nichepress reports has a stable code here.
 *
 * Modelled on Astro's `errors-data.ts`: an entry is data — a permanent `code`, a short
 * `title`, a `message` built from arguments, and a `hint` that tells the user what to do.
 * Codes are never reused or renumbered: people search for them and scripts match on them.
 *
 *   NP1xxx  configuration and usage        NP5xxx  validation
 *   NP2xxx  ingest (feeds)                 NP6xxx  write
 *   NP3xxx  trends                         NP7xxx  build
 *   NP4xxx  draft (LLM providers)          NP8xxx  newsletter, schedule
 *   NP9xxx  research (pages, grounding)    NP61xx  the editor's desk
 */
export interface ErrorData<Args extends unknown[] = never[]> {
  code: `NP${number}`;
  title: string;
  message: (...args: Args) => string;
  hint?: string;
}

function define<Args extends unknown[]>(data: ErrorData<Args>): ErrorData<Args> {
  return data;
}

// ── NP1xxx configuration and usage ──────────────────────────────────────────────────────────
export const ConfigNotFound = define({
  code: 'NP1001',
  title: 'Config file not found',
  message: (file: string) => `No config file at ${file}.`,
  hint: 'Run nichepress from your project root (the folder holding content/niche.yaml), or pass --config <file>.',
});

export const ConfigYamlInvalid = define({
  code: 'NP1002',
  title: 'Config file is not valid YAML',
  message: (reason: string) => `The config file is not valid YAML: ${reason}`,
  hint: 'Fix the YAML syntax at the position shown; indentation and unquoted colons are the usual culprits.',
});

export const ConfigFieldInvalid = define({
  code: 'NP1003',
  title: 'Config field is invalid',
  message: (path: string, reason: string) => `${path}: ${reason}`,
  hint: 'See the commented sample in content/niche.yaml for the expected shape of each field.',
});

export const UnknownCommand = define({
  code: 'NP1004',
  title: 'Unknown command',
  message: (command: string) => `Unknown command "${command}".`,
  hint: 'Run nichepress --help to list the commands.',
});

export const UsageInvalid = define({
  code: 'NP1005',
  title: 'Invalid command-line usage',
  message: (reason: string) => reason,
  hint: 'Run nichepress <command> --help to see the accepted flags.',
});

export const PromptInvalid = define({
  code: 'NP1006',
  title: 'Prompt template is invalid',
  message: (file: string, reason: string) => `Prompt ${file}: ${reason}`,
  hint: 'A prompt is markdown with frontmatter; every {{variable}} it uses must be listed under `variables:`.',
});

export const StateInvalid = define({
  code: 'NP1007',
  title: 'State file is damaged',
  message: (file: string, reason: string) => `The state file ${file} ${reason}.`,
  hint: 'Restore it from git (git checkout -- content/state.json), or delete it to start a fresh history. The pipeline never overwrites a damaged state file.',
});

export const NicheExists = define({
  code: 'NP1008',
  title: 'A niche already exists there',
  message: (file: string) => `${file} already exists: init never overwrites a niche.`,
  hint: 'Pick a new folder for the new niche, or edit the existing niche.yaml by hand.',
});

export const InitAnswerInvalid = define({
  code: 'NP1009',
  title: 'Cannot create the niche',
  message: (reason: string) => reason,
  hint: 'nichepress init <dir> --title "My site" --feed https://example.com/feed.xml --yes; run nichepress init --help for every flag.',
});

// ── NP2xxx ingest ───────────────────────────────────────────────────────────────────────────
export const FeedUnreachable = define({
  code: 'NP2001',
  title: 'Feed could not be fetched',
  message: (feed: string, reason: string) => `Could not fetch ${feed}: ${reason}`,
  hint: 'Check the URL in a browser. The run went on without this feed; it will be retried next run.',
});

export const FeedUnparseable = define({
  code: 'NP2002',
  title: 'Feed is not RSS, Atom or JSON Feed',
  message: (feed: string, reason: string) => `Could not parse ${feed}: ${reason}`,
  hint: 'Make sure the address points at the feed itself (RSS, Atom or JSON Feed), not at the web page that links to it.',
});

export const FeedEntrySkipped = define({
  code: 'NP2003',
  title: 'Feed entry skipped',
  message: (feed: string, entry: string, reason: string) => `Skipped an entry of ${feed} (${entry}): ${reason}`,
  hint: 'An entry needs a link or an id to be kept; the other entries of the feed were kept. Tell the publisher if many entries are skipped.',
});

export const FeedOfflineSkipped = define({
  code: 'NP2004',
  title: 'Remote feed skipped in offline mode',
  message: (feed: string) => `Skipped ${feed}: --offline forbids network access.`,
  hint: 'Run without --offline to fetch remote feeds.',
});

export const FeedTruncated = define({
  code: 'NP2005',
  title: 'Feed cut off at the size limit',
  message: (feed: string, maxBytes: number) =>
    `${feed} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; it was cut off there and only its complete entries were kept.`,
  hint: 'Raise ingest.maxBytes in content/niche.yaml if this feed is really that large, or ask its publisher for a shorter feed.',
});

export const FeedNotModified = define({
  code: 'NP2006',
  title: 'Feed not modified',
  message: (feed: string) => `${feed} has not changed since the last run (HTTP 304).`,
  hint: 'Nothing to do.',
});

export const FeedFileMissing = define({
  code: 'NP2007',
  title: 'Feed file not found',
  message: (feed: string, path: string) => `There is no feed file ${feed} (looked for ${path}).`,
  hint: 'A feed that is not an http(s) URL is a file path, relative to the project root (where you run nichepress). Check the path in content/niche.yaml, or pass an http(s) URL.',
});

export const FeedSchemeUnsupported = define({
  code: 'NP2008',
  title: 'Feed address scheme not supported',
  message: (feed: string, scheme: string) => `${feed} uses the ${scheme} scheme; nichepress reads feeds over http(s) or from files.`,
  hint: 'Use the feed\'s http(s) address (most publishers serve one), or download the feed and give its file path.',
});

export const FeedProblemRepeats = define({
  code: 'NP2009',
  title: 'Feed problem repeats',
  message: (feed: string, problem: string, since: string) => `${feed}: still so since ${since.slice(0, 10)} — ${problem}`,
  hint: 'Reported in full on the first run it happened; `nichepress ingest --feed <feed>` shows it in full again.',
});

export const FeedEntriesCompleted = define({
  code: 'NP2010',
  title: 'Feed entries completed',
  /** `unread`: a date as written that could not be read, shown once so the case can be looked into. */
  message: (feed: string, count: number, missing: 'date' | 'title', unread?: string) => {
    const entries = count === 1 ? '1 entry' : `${count} entries`;
    const their = count === 1 ? 'its' : 'their';
    const done = missing === 'date' ? 'dated by when first seen' : `titled from the start of ${their} text`;
    const example = unread === undefined ? '' : ` (such as "${unread.slice(0, 60)}")`;
    return `${entries} of ${feed} had no ${missing === 'date' ? 'readable date' : 'title'}${example}: kept, ${done}.`;
  },
  hint: 'Nothing to do: an entry is kept whenever it has a link or an id. An undated entry keeps the date it was first seen across runs; an untitled one is titled from its text. This is said once, on the run that first sees them.',
});

export const FeedCutOff = define({
  code: 'NP2011',
  title: 'Feed ends early',
  message: (feed: string, lost: number) =>
    `${feed} ends before its last element is closed (cut off in transit?); ${lost === 0 ? 'no entry was lost' : `${lost} incomplete ${lost === 1 ? 'entry was' : 'entries were'} dropped`}, the complete ones were kept.`,
  hint: 'Usually a passing network or server problem; the next run fetches the feed again.',
});

// ── NP3xxx trends ───────────────────────────────────────────────────────────────────────────
export const NoTopics = define({
  code: 'NP3001',
  title: 'No new topics',
  message: () => 'No rising topic that we have not already covered.',
  hint: 'Add feeds, or lower trends.minSources in the niche config (niche.yaml).',
});

// ── NP4xxx draft ────────────────────────────────────────────────────────────────────────────
export const DraftFailed = define({
  code: 'NP4001',
  title: 'Draft failed',
  message: (topic: string, reason: string) => `Could not draft "${topic}": ${reason}`,
  hint: 'The topic stays in the queue and is retried next run. Check the provider settings (OPENAI_BASE_URL, OPENAI_MODEL).',
});

export const DraftOutputInvalid = define({
  code: 'NP4002',
  title: 'Model output failed validation',
  message: (topic: string, reason: string) => `The model's article for "${topic}" is invalid: ${reason}`,
  hint: 'Try another model, or adjust the prompt in prompts/. Nothing was written for this topic.',
});

export const DraftBudgetReached = define({
  code: 'NP4003',
  title: 'Drafting budget reached',
  message: (cap: string) => `Stopped drafting: ${cap}.`,
  hint: 'Raise draft.maxArticles (or the other caps) in content/niche.yaml to draft more per run.',
});

export const OutputSanitized = define({
  code: 'NP4004',
  title: 'Removed unsafe content from model output',
  message: (topic: string, what: string) => `Removed from the model's output for "${topic}": ${what}`,
  hint: 'Links may only point at the topic\'s sources or registered affiliate programs, and raw HTML is never kept.',
});

export const DraftCostUnpriced = define({
  code: 'NP4005',
  title: 'Cost cap cannot be enforced',
  message: (model: string) => `draft.maxCostUsd is set but draft.prices has no price for model "${model}": cost is not tracked this run (the token cap still applies).`,
  hint: 'Add the model to draft.prices in content/niche.yaml (US dollars per million input and output tokens), or rely on draft.maxTokens.',
});

export const DraftOutputKept = define({
  code: 'NP4104',
  title: 'Answer kept as a draft',
  message: (topic: string, issue: string) => `The model's answer for "${topic}" breaks a rule, even after one repair: ${issue}. It is kept as a draft, not published.`,
  hint: 'Run nichepress drafts to review it: fix it and nichepress approve <slug>, or nichepress reject <slug>. The answer stays cached and is not bought again.',
});

export const DraftingStopped = define({
  code: 'NP4103',
  title: 'Drafting stopped',
  message: (topic: string, reason: string, waiting: number) => `Stopped drafting after "${topic}": ${reason}. Asking again would fail the same way, so ${waiting} ${waiting === 1 ? 'topic waits' : 'topics wait'} for the next run.`,
  hint: 'Check OPENAI_BASE_URL (is the server running and reachable?) and OPENAI_API_KEY, or run with --offline to draft with the extractive provider.',
});

export const MonthlyBudgetReached = define({
  code: 'NP4101',
  title: 'Monthly budget reached',
  message: (month: string, spent: number, budget: number) => `The drafting budget of ${month} is spent ($${spent.toFixed(2)} of $${budget.toFixed(2)}): nothing more is drafted this month.`,
  hint: 'Topics wait for next month. To draft more now, raise draft.monthlyBudgetUsd in the config.',
});

export const MonthlyBudgetStatus = define({
  code: 'NP4102',
  title: 'Monthly budget',
  message: (month: string, spent: number, left: number) => `Spent $${spent.toFixed(4)} on drafting in ${month}; $${left.toFixed(4)} of the monthly budget is left.`,
});

export const BatchSubmitted = define({
  code: 'NP4105',
  title: 'Drafting batch submitted',
  message: (id: string, requests: number, topics: number, costUsd: string) =>
    `Sent ${requests} ${requests === 1 ? 'request' : 'requests'} for ${topics} ${topics === 1 ? 'topic' : 'topics'} to the Batch API as ${id} (at most ${costUsd} at the batch price). The answers are collected by a later run.`,
  hint: 'Run nichepress drafts to see batches in flight; any later run or draft collects them once the batch is completed (within 24 hours).',
});

export const BatchWaiting = define({
  code: 'NP4106',
  title: 'Drafting batch still running',
  message: (id: string, status: string, topics: number, submittedAt: string) =>
    `Batch ${id} (${topics} ${topics === 1 ? 'topic' : 'topics'}, submitted ${submittedAt}) is ${status}: its topics wait and are not drafted again meanwhile.`,
});

export const BatchCollected = define({
  code: 'NP4107',
  title: 'Drafting batch collected',
  message: (id: string, answers: number, errors: number, costUsd: string) =>
    `Collected batch ${id}: ${answers} ${answers === 1 ? 'answer' : 'answers'}${errors ? ` and ${errors} failed ${errors === 1 ? 'request' : 'requests'} (asked again in the next batch)` : ''}, ${costUsd} at the batch price.`,
});

export const BatchEnded = define({
  code: 'NP4108',
  title: 'Drafting batch ended without answers',
  message: (id: string, status: string, detail: string, topics: number) =>
    `Batch ${id} ended ${status}${detail ? ` (${detail})` : ''}: its ${topics} ${topics === 1 ? 'topic is' : 'topics are'} drafted again from the next batch on.`,
  hint: 'An expired batch was not processed within 24 hours; a failed one usually names the problem with its input file. Nothing was billed for requests without answers.',
});

export const BatchApiFailed = define({
  code: 'NP4109',
  title: 'Batch API call failed',
  message: (what: string, reason: string) => `Could not ${what}: ${reason}.`,
  hint: 'Nothing is lost: the batch stays recorded in the state file and the next run tries again. Check OPENAI_BASE_URL and OPENAI_API_KEY if it persists.',
});

export const RetryTopicUnknown = define({
  code: 'NP4110',
  title: 'Nothing to retry under that slug',
  message: (slug: string, reason: string) => `--retry ${slug}: ${reason}.`,
  hint: 'Run nichepress drafts for the drafts on the desk; a topic whose answer failed is named in the draft report (its slug is the topic\'s).',
});

export const DraftRetried = define({
  code: 'NP4111',
  title: 'Draft asked again',
  message: (slug: string, after: number, before: number, replaced: boolean) =>
    replaced
      ? `${slug}.md is replaced by the new answer (${after} error-level ${after === 1 ? 'finding' : 'findings'}, the draft had ${before}).`
      : `${slug}.md is kept: the new answer is no better (${after} error-level ${after === 1 ? 'finding' : 'findings'}, the draft has ${before}).`,
  hint: 'The new answer is cached. Fix the draft by hand and nichepress approve it, or nichepress reject it.',
});

export const BatchTopicGone = define({
  code: 'NP4112',
  title: 'Collected topic no longer in the history',
  message: (topic: string) => `The batch answers for "${topic}" were collected, but its stories have left the feed history, so they cannot be matched to their sources: the topic is not drafted.`,
  hint: 'Stories leave the history after ingest.historyDays; collect batches within that window (any run or draft does).',
});

export const BatchAnswersFetchedAgain = define({
  code: 'NP4113',
  title: 'Collected batch answers downloaded again',
  message: (id: string, collectedAt: string, answers: number) =>
    `The answers of batch ${id}, collected ${collectedAt}, were no longer in the cache: ${answers} downloaded again from its output files, at no new cost.`,
  hint: 'A collected batch stays in the state file until what it answered is written, so a run that stopped before writing (or a checkout without .nichepress/cache/) takes its answers up again instead of buying them.',
});

export const EndpointVariableInvalid = define({
  code: 'NP1020',
  title: 'Invalid API endpoint variable',
  message: (variable: string, reason: string) => `${variable} ${reason}.`,
  hint: 'Fix or unset the variable (OPENAI_BASE_URL is a server address like http://127.0.0.1:11434/v1), or run with --offline.',
});

// ── NP5xxx validation ───────────────────────────────────────────────────────────────────────
export const FrontmatterYamlInvalid = define({
  code: 'NP5001',
  title: 'Frontmatter is not valid YAML',
  message: (reason: string) => `Frontmatter is not valid YAML: ${reason}`,
  hint: 'Fix the YAML between the two --- lines at the position shown.',
});

export const FrontmatterFieldInvalid = define({
  code: 'NP5002',
  title: 'Frontmatter field is invalid',
  message: (path: string, reason: string) => `${path}: ${reason}`,
  hint: 'See the article schema in pipeline/schema/article.ts for the expected fields.',
});

export const FrontmatterMissing = define({
  code: 'NP5003',
  title: 'Frontmatter missing',
  message: () => 'The file has no frontmatter block.',
  hint: 'An article starts with a --- line, YAML fields (title, description, …), and a closing --- line.',
});

export const ValidatePathMissing = define({
  code: 'NP5004',
  title: 'Path to validate not found',
  message: (path: string) => `Nothing to validate at ${path}.`,
  hint: 'Pass markdown files or folders that exist.',
});

export const LanguageDetectorMissing = define({
  code: 'NP5005',
  title: 'Language detector not installed',
  message: () => 'quality/language-mismatch did not run: the language detector (tinyld) is not installed.',
  hint: 'Run npm ci to install the dependencies, or switch the rule off with validate.rules in the config.',
});

export const LinkCheckFailed = define({
  code: 'NP5006',
  title: 'Link check could not run',
  message: (reason: string) => `The link check could not run: ${reason}`,
  hint: 'Build the site first (nichepress build) to check its internal links; external checks need the network (not --offline).',
});

export const LinkBroken = define({
  code: 'NP5007',
  title: 'Broken link',
  message: (url: string, reason: string) => `Broken link ${url}: ${reason}`,
  hint: 'Fix or remove the link; if it is a source that moved, update its URL in `sources`.',
});

export const LinkUnknown = define({
  code: 'NP5008',
  title: 'Link could not be confirmed',
  message: (url: string, reason: string) => `Could not confirm ${url}: ${reason} (not counted as broken; retry later)`,
  hint: 'Big sites answer automated checks with 403/429/503 (bot walls) or time out; open the link in a browser if it keeps failing.',
});

export const AffiliateRedirectOffMerchant = define({
  code: 'NP5009',
  title: 'Affiliate link lands off the merchant',
  message: (url: string, finalUrl: string, program: string) => `Affiliate link ${url} ends at ${finalUrl}, which is not a ${program} domain`,
  hint: 'The program may have changed its link format or the link is hijacked: rebuild it from the registry and check the program\'s dashboard.',
});

export const AffiliateTagLost = define({
  code: 'NP5010',
  title: 'Affiliate tracking tag lost in redirects',
  message: (url: string, param: string, finalUrl: string) => `Affiliate link ${url} loses its tracking parameter "${param}" on the way to ${finalUrl}`,
  hint: 'Use the program\'s current tracked URL (or linkTemplate) so the tag reaches the merchant; otherwise the sale is not credited.',
});

export const InternalLinkBroken = define({
  code: 'NP5011',
  title: 'Broken internal link in the built site',
  message: (href: string, page: string) => `${href} on ${page} points at a page that is not in the build`,
  hint: 'Fix the link in the article or the page template, then rebuild.',
});

export const FrontmatterUnclosed = define({
  code: 'NP5012',
  title: 'Frontmatter block never closed',
  message: () => 'The frontmatter block opened by the --- on line 1 is never closed.',
  hint: 'End the YAML fields with a line of three dashes (---); the article text goes after it.',
});

// ── NP6xxx write ────────────────────────────────────────────────────────────────────────────
export const WriteFailed = define({
  code: 'NP6001',
  title: 'Could not write article',
  message: (file: string, reason: string) => `Could not write ${file}: ${reason}`,
  hint: 'Check free disk space and permissions on content/articles. Nothing partial was left behind.',
});

export const HumanEditKept = define({
  code: 'NP6002',
  title: 'Hand-edited article kept',
  message: (file: string) => `${file} exists and was not written by this topic's draft; it was left untouched.`,
  hint: 'Rename the existing file or change its slug if you want the pipeline to write a new article.',
});

export const DraftQuarantined = define({
  code: 'NP6003',
  title: 'Draft failed validation and was kept aside',
  message: (file: string) => `The draft failed validation and was saved as ${file} with draft: true.`,
  hint: 'Fix the findings listed above, set draft: false and run nichepress validate before publishing.',
});

export const ArticleKept = define({
  code: 'NP6004',
  title: 'Existing article kept',
  message: (file: string, topic: string) => `${file} already covers the topic "${topic}" and differs from the new draft (edited by hand, or drafted from other sources); it was left untouched.`,
  hint: 'The pipeline never rewrites an article. To replace it with a fresh draft, delete the file and its entry under topics in content/state.json, then run nichepress draft.',
});

// ── NP61xx the editor's desk ────────────────────────────────────────────────────────────────
export const DeskDraftMissing = define({
  code: 'NP6101',
  title: 'No such draft',
  message: (slug: string, folder: string) => `There is no article "${slug}" in ${folder}.`,
  hint: 'Run nichepress drafts to list the drafts waiting and their slugs.',
});

export const DeskNotADraft = define({
  code: 'NP6102',
  title: 'Not a draft',
  message: (file: string) => `${file} is not a draft (it has no draft: true), so it is not on the desk.`,
  hint: 'Only drafts are approved or rejected. To take a published article down, set draft: true in it or delete the file.',
});

export const DeskApproveRefused = define({
  code: 'NP6103',
  title: 'Draft not published',
  message: (file: string, errors: number) => `${file} still has ${errors} error-level ${errors === 1 ? 'finding' : 'findings'}; it stays a draft.`,
  hint: 'Fix the findings listed below in the file, then run nichepress approve again.',
});

export const DeskDraftsWaiting = define({
  code: 'NP6104',
  title: 'Drafts wait on the desk',
  message: (count: number) => `${count} ${count === 1 ? 'draft waits' : 'drafts wait'} on the editor's desk; ${count === 1 ? 'it is' : 'they are'} not published and not checked again until approved.`,
  hint: 'Run nichepress drafts to see why, fix and approve (nichepress approve <slug>) or reject (nichepress reject <slug>) each; nichepress desk shows them in a browser.',
});

// ── NP7xxx build ────────────────────────────────────────────────────────────────────────────
export const BuildFailed = define({
  code: 'NP7001',
  title: 'Site build failed',
  message: (reason: string) => `Astro build failed: ${reason}`,
  hint: 'Run nichepress validate first; the full Astro log is in the run report.',
});

export const BuildSkipped = define({
  code: 'NP7002',
  title: 'Build skipped',
  message: () => 'Skipped the build: the articles have validation errors.',
  hint: 'Fix the errors listed under validate, then run nichepress build.',
});

export const PrivateOutputDeployed = define({
  code: 'NP7003',
  title: 'Private output inside the deployed folder',
  message: (setting: string, folder: string, outDir: string) =>
    `${setting} (${folder}) is inside paths.outDir (${outDir}), which is deployed as it is: the files would be public. Nothing was written there.`,
  hint: 'Point it at a folder that is not deployed, like the default under .nichepress/outbox/.',
});

// ── NP8xxx newsletter, schedule ─────────────────────────────────────────────────────────────
export const NothingForNewsletter = define({
  code: 'NP8001',
  title: 'No new articles for a newsletter',
  message: () => 'No article was published since the last issue, so no issue was made.',
  hint: 'Nothing to do; the next run makes an issue once there is something new.',
});

export const ScheduleInvalid = define({
  code: 'NP8002',
  title: 'Invalid schedule',
  message: (name: string, expression: string) => `schedule.${name}: "${expression}" is not a valid cron expression.`,
  hint: 'Use five or six cron fields, e.g. "0 7 * * *" for every day at 07:00.',
});

// ── NP8003–NP8049 newsletter issues, email files and social posts ────────────────────────────
export const CssInlinerMissing = define({
  code: 'NP8003',
  title: 'CSS inliner not installed',
  message: (reason: string) => `Could not inline the email's CSS with juice: ${reason}`,
  hint: 'Install the dependency (npm i -E juice), then run nichepress newsletter again. The issue source is kept; only the email files are missing.',
});

export const EmailTooLarge = define({
  code: 'NP8004',
  title: 'Email HTML is too large',
  message: (file: string, kilobytes: number, limit: number) => `${file} is ${kilobytes} KB; keep it under ${limit} KB (Gmail clips messages beyond about 102 KB).`,
  hint: 'Lower newsletter.maxArticles in content/niche.yaml, or shorten the intro.',
});

export const EmailMarkupUnsafe = define({
  code: 'NP8005',
  title: 'Email HTML breaks an email rule',
  message: (file: string, reason: string) => `${file}: ${reason}`,
  hint: 'Email clients drop scripts and external stylesheets, and a relative link leads nowhere from an inbox: every link must be absolute.',
});

export const NewsletterIntroFailed = define({
  code: 'NP8006',
  title: 'Newsletter intro not written by the model',
  message: (reason: string) => `The model's intro for the issue was not used (${reason}); the extractive intro was used instead.`,
  hint: 'A refused answer (a link, a question, hype, a claim no article makes…) is kept out of every inbox; the issue is complete with the extractive intro, which you can edit in content/newsletter/<NNNN>.md before sending. If the call itself failed, check OPENAI_BASE_URL/OPENAI_MODEL; newsletter.intro: extractive skips the model.',
});

export const NewsletterIssueInvalid = define({
  code: 'NP8007',
  title: 'Newsletter issue source is invalid',
  message: (file: string, reason: string) => `${file}: ${reason}`,
  hint: 'An issue source has frontmatter with issue (number), date, subject and articles (slugs). Fix it or restore it from git.',
});

export const NothingForSocial = define({
  code: 'NP8008',
  title: 'No new articles for social posts',
  message: () => 'Every published article already has social posts, so none were made.',
  hint: 'Nothing to do; the next run writes posts once there is a new article.',
});

export const SocialPostTooLong = define({
  code: 'NP8009',
  title: 'Social post does not fit',
  message: (network: string, slug: string, length: number, limit: number) => `The ${network} post for ${slug} is ${length} of ${limit} characters even after shortening; it was left out.`,
  hint: 'Use fewer or shorter social.hashtags in content/niche.yaml.',
});

export const SocialBatchInvalid = define({
  code: 'NP8010',
  title: 'Social batch source is invalid',
  message: (file: string, reason: string) => `${file}: ${reason}`,
  hint: 'A social batch is JSON written by nichepress social; fix it or restore it from git. Until it is fixed no new posts are made, so no article is posted twice.',
});

// ── NP8011–NP8049 unattended runs: the run lock, the scheduler, interruptions ───────────────────
export const RunLocked = define({
  code: 'NP8011',
  title: 'Another nichepress run is in progress',
  message: (file: string, owner: string, command: string) => `${file} is held by ${owner}; nichepress ${command} did nothing.`,
  hint: 'Wait for the other run to finish (the scheduler or a CI job). If no nichepress process is running on that host, delete the lock file.',
});

export const RunInterrupted = define({
  code: 'NP8012',
  title: 'Run interrupted',
  message: (signal: string) => `${signal} received: the item in progress was finished or abandoned cleanly, the remaining stages were skipped.`,
  hint: 'Nothing is lost or half-written; the next run picks up where this one stopped.',
});

export const ScheduledJobSkipped = define({
  code: 'NP8013',
  title: 'Scheduled job skipped',
  message: (job: string, reason: string) => `schedule: ${job} is due but ${reason}; skipped.`,
  hint: 'Nothing to do if this is rare; if it repeats, space the schedules in content/niche.yaml further apart.',
});

// ── NP9xxx research ─────────────────────────────────────────────────────────────────────────
export const SourcePageNotRead = define({
  code: 'NP9001',
  title: 'Source page not read',
  message: (url: string, why: string) => `Not read: ${url} (${why}); its feed text is used instead.`,
  hint: 'Nothing to do: the source still counts, from what its feed said. A page is tried again after research.retryUnreadHours.',
});

export const UnsupportedClaim = define({
  code: 'NP9002',
  title: 'Claim not found in its sources',
  message: (claim: string, where: string) => `${where}: ${claim}; the sentence was dropped.`,
  hint: 'Every figure, name and quotation must be stated by a source the sentence (or its paragraph) cites. Check the source, or write the fact in yourself with its citation.',
});
