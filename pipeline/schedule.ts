import cron from 'node-cron';
import type { Context } from './context.ts';
import { ScheduleInvalid, UsageInvalid } from './errors/catalogue.ts';
import { NichepressError } from './errors/nichepress-error.ts';

export type Job = 'ingest' | 'publish' | 'newsletter';
const JOBS: readonly Job[] = ['ingest', 'publish', 'newsletter'];

/**
 * `nichepress schedule`: runs the jobs on the config's cron expressions in its time zone until
 * SIGINT/SIGTERM. A job still running when it is due again is skipped (node-cron's noOverlap),
 * and jobs never run at the same time as each other in this process.
 */
export async function runSchedule(
  context: Context,
  options: { once?: string | undefined; runJob: (job: Job) => Promise<number> },
): Promise<number> {
  const { schedule } = context.config;
  if (options.once !== undefined) {
    if (!JOBS.includes(options.once as Job)) {
      throw NichepressError.from(UsageInvalid, [`--once expects one of ${JOBS.join(', ')}, got "${options.once}"`]);
    }
    return options.runJob(options.once as Job);
  }
  for (const job of JOBS) {
    if (!cron.validate(schedule[job])) throw NichepressError.from(ScheduleInvalid, [job, schedule[job]]);
  }

  let busy: Promise<unknown> = Promise.resolve();
  let running = false;
  const tasks = JOBS.map((job) =>
    cron.schedule(
      schedule[job],
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
  for (const job of JOBS) context.log(`schedule: ${job} at "${schedule[job]}" (${schedule.timezone})`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      context.log(`schedule: ${signal} received, finishing the current job`);
      for (const task of tasks) void task.stop();
      void busy.then(() => resolve());
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
