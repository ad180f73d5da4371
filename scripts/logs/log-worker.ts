import { parentPort, workerData } from 'node:worker_threads';
import { LogRenderer, type LogJob } from './lane-log.ts';
import type { LogWorkerData } from './log-pool.ts';

/** A log worker (log-pool.ts): renders the logs it is sent, one at a time, into the shared cache. */
const port = parentPort!;
const { cacheDir, limits } = workerData as LogWorkerData;
const renderer = new LogRenderer(cacheDir, limits);
let queue: Promise<void> = Promise.resolve();

port.on('message', ({ id, job }: { id: number; job: LogJob }) => {
  queue = queue.then(async () => {
    try {
      const rendered = await renderer.renderFresh(job);
      // With a cache the HTML stays in its entry, which the site data links. Without one, its memory
      // is handed over rather than copied when the buffer has it to itself: one under half of
      // Buffer's pool size may share the pool's.
      const bytes = 'bytes' in rendered.html ? rendered.html.bytes : undefined;
      const own = bytes !== undefined && bytes.byteLength >= Buffer.poolSize >>> 1;
      port.postMessage({ id, rendered }, own ? [bytes.buffer as ArrayBuffer] : []);
    } catch (error) {
      port.postMessage({ id, error: (error as Error).message ?? String(error) });
    }
  });
});
