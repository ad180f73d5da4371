import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LogJob, RenderedLog } from './lane-log.ts';
import type { LogLimits } from './log-view.ts';

/** What a log worker is started with (log-worker.ts). */
export interface LogWorkerData {
  cacheDir: string | undefined;
  limits: LogLimits;
}

type Reply = { id: number; rendered: Omit<RenderedLog, 'html'> & { html: Uint8Array } } | { id: number; error: string };

/**
 * Renders logs on worker threads, one per core, while the main thread goes on with the diffs
 * (whose highlighting has workers of its own): on the bench's corpus with logs, rendering them on
 * the main thread alone kept it busy for most of the build while the other core waited.
 * Each worker takes its logs one at a time; a log goes to the worker with the fewest waiting
 * (ties to the first), and what it renders does not depend on which worker it was.
 * Workers start on the first log to render, so a build whose logs all come from the cache starts
 * none, and an idle worker does not keep the process alive.
 */
export class LogPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, { slot: number; resolve: (rendered: RenderedLog) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly data: LogWorkerData;
  private readonly size: number;

  constructor(data: LogWorkerData, size = availableParallelism()) {
    this.data = data;
    this.size = Math.max(1, size);
  }

  render(job: LogJob): Promise<RenderedLog> {
    if (!this.workers.length) for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
    const slot = this.load.reduce((best, load, index) => (load < this.load[best]! ? index : best), 0);
    if (this.load[slot]!++ === 0) this.workers[slot]!.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      this.workers[slot]!.postMessage({ id, job });
    });
  }

  private spawn(slot: number): void {
    const worker = new Worker(new URL('./log-worker.ts', import.meta.url), { workerData: this.data });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (--this.load[slot]! === 0) worker.unref();
      if ('error' in reply) pending.reject(new Error(reply.error));
      // Structured cloning gives a Uint8Array: the same bytes, seen as a Buffer again.
      else pending.resolve({ ...reply.rendered, html: Buffer.from(reply.rendered.html.buffer, reply.rendered.html.byteOffset, reply.rendered.html.byteLength) });
    });
    worker.on('error', (error: Error) => {
      for (const [id, pending] of this.pending) {
        if (pending.slot !== slot) continue;
        this.pending.delete(id);
        pending.reject(error);
      }
      this.load[slot] = 0;
    });
    this.workers[slot] = worker;
    this.load[slot] = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
