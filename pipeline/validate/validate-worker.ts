/**
 * A worker thread of `validate` for many files to check: it claims chunks of files from the
 * counter it shares with the main thread and the other workers, checks them, and posts back
 * their cache entries (findings and near-duplicate signatures).
 *
 * Why threads: parsing Markdown and running the rules is CPU-bound; each core takes a share
 * (see threadsFor in validate.ts for why busy cores count too).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkClaimedChunks, type WorkerInput } from './validate.ts';

parentPort!.postMessage(await checkClaimedChunks(workerData as WorkerInput));
