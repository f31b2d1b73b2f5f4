import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { usage } from '../../pipeline/cli.ts';
import { PACKAGE_ROOT } from '../helpers/cli.ts';

/**
 * The GitHub Actions workflows: they parse, every action is pinned to a major version (or a
 * commit SHA), and every command they run exists — an `npm run X` in package.json, an
 * `npx nichepress X` in the CLI — so a renamed script cannot silently break publishing.
 */

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { steps: Step[]; environment?: unknown; needs?: string; if?: string; strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> } }>;
}

const folder = join(PACKAGE_ROOT, '.github/workflows');
const files = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
const workflows = new Map(await Promise.all(files.map(async (name) => [name, parse(await readFile(join(folder, name), 'utf8')) as Workflow] as const)));
const scripts = (JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const commands = new Set([...usage().matchAll(/^ {2}([a-z-]+) +/gm)].map((match) => match[1]!));

const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);

/** Pinned: `owner/repo@v4` (a major, optionally .minor.patch) or a full 40-hex commit SHA. */
export function isPinned(uses: string): boolean {
  if (uses.startsWith('../') || uses.startsWith('docker://')) return true;
  return /^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(uses);
}

/** The npm scripts and nichepress commands a `run:` block invokes. */
export function invoked(run: string): { npm: string[]; nichepress: string[] } {
  const npm = [...run.matchAll(/\bnpm run(?:-script)? ([\w:.-]+)/g)].map((match) => match[1]!);
  // npm test / npm start are scripts too.
  npm.push(...[...run.matchAll(/\bnpm (test|start)\b/g)].map((match) => match[1]!));
  const nichepress = [...run.matchAll(/\b(?:npx|npm exec(?: --)?) nichepress ([a-z-]+)/g)].map((match) => match[1]!);
  return { npm, nichepress };
}

describe('the checks themselves', () => {
  it('tell pinned from floating actions', () => {
    expect(isPinned('actions/checkout@v4')).toBe(true);
    expect(isPinned('actions/cache@v4.2.0')).toBe(true);
    expect(isPinned('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toBe(true);
    expect(isPinned('actions/checkout@main')).toBe(false);
    expect(isPinned('actions/checkout')).toBe(false);
    expect(isPinned('actions/checkout@latest')).toBe(false);
  });

  it('find the commands in a run block', () => {
    expect(invoked('npm ci\nnpm test && npm run bench:steady\nnpx nichepress run --offline')).toEqual({ npm: ['bench:steady', 'test'], nichepress: ['run'] });
  });
});

describe('.github/workflows', () => {
  it('has the publish and ci workflows, and every file parses as YAML', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'publish.yml']));
    for (const [name, workflow] of workflows) {
      expect(workflow.on, name).toBeTruthy();
      expect(Object.keys(workflow.jobs ?? {}).length, name).toBeGreaterThan(0);
    }
  });

  it('pins every action to a major version or a commit', () => {
    for (const [name, workflow] of workflows) {
      for (const step of stepsOf(workflow)) if (step.uses) expect(isPinned(step.uses), `${name}: ${step.uses}`).toBe(true);
    }
  });

  it('runs only npm scripts that exist in package.json and nichepress commands that exist', () => {
    let found = 0;
    for (const [name, workflow] of workflows) {
      for (const step of stepsOf(workflow)) {
        if (!step.run) continue;
        const { npm, nichepress } = invoked(step.run);
        for (const script of npm) expect(scripts[script], `${name}: npm run ${script}`).toBeDefined();
        for (const command of nichepress) expect(commands.has(command), `${name}: nichepress ${command}`).toBe(true);
        found += npm.length + nichepress.length;
      }
    }
    expect(found).toBeGreaterThanOrEqual(2);
  });

  it('publishes each niche as its own job: a matrix over `nichepress niches`, one failure stops no other', () => {
    const publish = workflows.get('publish.yml')!;
    const list = publish.jobs.niches!.steps.find((step) => step.run?.includes('nichepress niches'))!;
    expect(list.run).toContain('npx nichepress niches --json');
    const job = publish.jobs.publish!;
    expect(job.needs).toBe('niches');
    expect(job.strategy?.['fail-fast']).toBe(false);
    expect(job.strategy?.matrix?.niche).toBe('${{ fromJSON(needs.niches.outputs.niches) }}');
    const pipeline = job.steps.find((step) => step.run && invoked(step.run).nichepress.includes('run'))!;
    expect(pipeline.run).toBe('npx nichepress run --config "$NICHE_CONFIG"');
    // Pages deploys even when another niche's job failed, when the Pages niche uploaded a site.
    expect(publish.jobs.deploy).toMatchObject({ needs: 'publish', if: "${{ !cancelled() && needs.publish.outputs.pages == 'true' }}" });
    const marker = job.steps.find((step) => step.run?.includes('uploaded=true'))!;
    expect(marker.if).toBe("steps.upload.outcome == 'success'");
  });

  it('publishes on a schedule and by hand: caches, secret key, commit of the niche folder only, artifacts, Pages', () => {
    const publish = workflows.get('publish.yml')!;
    expect(Object.keys(publish.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(publish.permissions).toMatchObject({ contents: 'write', pages: 'write', 'id-token': 'write' });
    expect(publish.concurrency?.['cancel-in-progress']).toBe(false);
    const steps = stepsOf(publish);
    const uses = steps.map((step) => step.uses?.replace(/@.*/, ''));
    for (const action of ['actions/checkout', 'actions/setup-node', 'actions/cache', 'actions/upload-artifact', 'actions/upload-pages-artifact', 'actions/deploy-pages']) {
      expect(uses, action).toContain(action);
    }
    const cached = String(steps.find((step) => step.uses?.startsWith('actions/cache@'))!.with!.path);
    expect(cached).toContain('${{ matrix.niche.cacheDir }}/astro');
    expect(cached).toContain('${{ matrix.niche.cacheDir }}/cache');
    expect(steps.some((step) => step.run?.trim() === 'npm ci')).toBe(true);
    const pipeline = steps.find((step) => step.run && invoked(step.run).nichepress.includes('run'))!;
    expect(JSON.stringify(pipeline)).toContain('secrets.OPENAI_API_KEY');
    const commit = steps.find((step) => step.run?.includes('git commit'))!;
    expect(commit.run).toMatch(/git add "\$NICHE_FOLDER"\n/);
    expect(commit.run).toMatch(/git diff --cached --quiet/);
    const artifact = String(steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))!.with!.path);
    expect(artifact).toContain('${{ matrix.niche.cacheDir }}/outbox');
    expect(artifact).not.toContain('outDir');
    expect(artifact).toContain('${{ matrix.niche.cacheDir }}/reports');
    expect(steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@'))!.with!.path).toBe('${{ matrix.niche.outDir }}');
    // The steps run in this order: pipeline → commit → Pages upload → deploy.
    const order = [pipeline, commit, steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact@')), steps.find((step) => step.uses?.startsWith('actions/deploy-pages@'))];
    expect(order.map((step) => steps.indexOf(step!))).toEqual([...order.map((step) => steps.indexOf(step!))].sort((a, b) => a - b));
  });
});
