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

// ── NP2xxx ingest ───────────────────────────────────────────────────────────────────────────
export const FeedUnreachable = define({
  code: 'NP2001',
  title: 'Feed could not be fetched',
  message: (feed: string, reason: string) => `Could not fetch ${feed}: ${reason}`,
  hint: 'Check the URL in a browser. The run went on without this feed; it will be retried next run.',
});

export const FeedUnparseable = define({
  code: 'NP2002',
  title: 'Feed is not valid RSS or Atom',
  message: (feed: string, reason: string) => `Could not parse ${feed}: ${reason}`,
  hint: 'Make sure the address points at the feed itself (RSS or Atom XML), not at the web page that links to it.',
});

export const FeedEntrySkipped = define({
  code: 'NP2003',
  title: 'Feed entry skipped',
  message: (feed: string, entry: string, reason: string) => `Skipped an entry of ${feed} (${entry}): ${reason}`,
  hint: 'Nothing to do unless this repeats; the other entries of the feed were kept.',
});

export const FeedOfflineSkipped = define({
  code: 'NP2004',
  title: 'Remote feed skipped in offline mode',
  message: (feed: string) => `Skipped ${feed}: --offline forbids network access.`,
  hint: 'Run without --offline to fetch remote feeds.',
});

// ── NP3xxx trends ───────────────────────────────────────────────────────────────────────────
export const NoTopics = define({
  code: 'NP3001',
  title: 'No new topics',
  message: () => 'No rising topic that we have not already covered.',
  hint: 'Add feeds, or lower trends.minSources in content/niche.yaml.',
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
