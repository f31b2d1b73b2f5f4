import cron from 'node-cron';
import type { Context } from '../context.ts';
import { ScheduleInvalid, UsageInvalid } from '../errors/catalogue.ts';
import { NichepressError } from '../errors/nichepress-error.ts';

export type Job = 'ingest' | 'publish' | 'newsletter' | 'check-links';
const JOBS: readonly Job[] = ['ingest', 'publish', 'newsletter', 'check-links'];
/** The config key of each job's cron expression. */
const KEYS = { ingest: 'ingest', publish: 'publish', newsletter: 'newsletter', 'check-links': 'checkLinks' } as const;

/**
 * `nichepress schedule`: runs the jobs on the config's cron expressions in its time zone until
 * `signal` aborts (the CLI aborts it on SIGINT/SIGTERM). No overlap, at three levels, each logged:
 * a job still running when it is due again is skipped by node-cron (noOverlap); jobs never run
 * at the same time as each other in this process; and each job takes the project's run lock,
 * so a manual run or another scheduler on the same project makes it skip (see cli.ts runJob).
 * On the signal the job in hand finishes or abandons its current item, then the process exits 0.
 */
export async function runSchedule(
  context: Context,
  options: { once?: string | undefined; signal: AbortSignal; runJob: (job: Job) => Promise<number> },
): Promise<number> {
  const { schedule } = context.config;
  if (options.once !== undefined) {
    if (!JOBS.includes(options.once as Job)) {
      throw NichepressError.from(UsageInvalid, [`--once expects one of ${JOBS.join(', ')}, got "${options.once}"`]);
    }
    return options.runJob(options.once as Job);
  }
  for (const job of JOBS) {
    if (!cron.validate(schedule[KEYS[job]])) throw NichepressError.from(ScheduleInvalid, [job, schedule[KEYS[job]]]);
  }

  let busy: Promise<unknown> = Promise.resolve();
  let running = false;
  const tasks = JOBS.map((job) =>
    cron.schedule(
      schedule[KEYS[job]],
      async () => {
        if (running) {
          context.log(`schedule: ${job} is due but another job is still running; skipped`);
          return;
        }
        running = true;
        context.log(`schedule: ${job} started`);
        busy = options.runJob(job).catch((error: unknown) => context.log(`schedule: ${job} failed: ${(error as Error).message}`));
        await busy;
        running = false;
      },
      { timezone: schedule.timezone, noOverlap: true, name: `nichepress-${job}` },
    ),
  );
  tasks.forEach((task, index) => {
    task.on('execution:overlap', () => context.log(`schedule: ${JOBS[index]} is due but its previous run is still going; skipped`));
  });
  for (const job of JOBS) context.log(`schedule: ${job} at "${schedule[KEYS[job]]}" (${schedule.timezone})`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      const reason = options.signal.reason;
      context.log(`schedule: ${typeof reason === 'string' ? reason : 'stop signal'} received, finishing the current job`);
      for (const task of tasks) void task.stop();
      void busy.then(() => resolve());
    };
    if (options.signal.aborted) stop();
    else options.signal.addEventListener('abort', stop, { once: true });
  });
  return 0;
}
