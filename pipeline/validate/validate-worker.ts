/**
 * A worker thread of `validate` for large archives: it claims chunks of files from the counter it
 * shares with the main thread and the other workers, validates them (signing each for the
 * near-duplicate index, in shared memory), and posts back the findings of the files that have any.
 * The main thread matches the signatures and adds near-duplicate findings afterwards.
 *
 * Why threads: 25 rules over 10,000 articles are CPU-bound; each core takes a share.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validateClaimedChunks, type SharedValidation } from './validate.ts';

parentPort!.postMessage(validateClaimedChunks(workerData as SharedValidation));
