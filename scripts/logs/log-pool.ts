import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CachedHtml, LogJob, RenderedLog } from './lane-log.ts';
import type { LogLimits } from './log-view.ts';

/** What a log worker is started with (log-worker.ts). */
export interface LogWorkerData {
  cacheDir: string | undefined;
  limits: LogLimits;
}

/** A rendered log's HTML as structured cloning delivers it: bytes arrive as a Uint8Array. */
type ClonedHtml = { bytes: Uint8Array } | { entry: CachedHtml };

type Reply = { id: number; rendered: Omit<RenderedLog, 'html'> & { html: ClonedHtml } } | { id: number; error: string };

/**
 * Renders logs on worker threads, one per core, while the main thread goes on with the diffs
 * (whose highlighting has workers of its own): on the bench's corpus with logs, rendering them on
 * the main thread alone kept it busy for most of the build while the other core waited.
 * Each worker takes its logs one at a time; a log goes to the worker with the fewest bytes of
 * logs waiting (ties to the first), since a log's time goes with its size: counted by logs, both
 * 1,000,000-line logs of the bench's corpus could wait on one worker while the other had none.
 * What a log renders to does not depend on which worker it was.
 * Workers start on the first log to render, so a build whose logs all come from the cache starts
 * none, and an idle worker does not keep the process alive.
 */
export class LogPool {
  /** The worker of each slot; none when it has not started, or has stopped (a crash): the next log starts one. */
  private readonly workers: Array<Worker | undefined> = [];
  /** Logs waiting on each slot's worker (being rendered included), and their bytes. */
  private readonly load: number[] = [];
  private readonly bytes: number[] = [];
  private readonly pending = new Map<number, { slot: number; size: number; resolve: (rendered: RenderedLog) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly data: LogWorkerData;
  private readonly size: number;

  constructor(data: LogWorkerData, size = availableParallelism()) {
    this.data = data;
    this.size = Math.max(1, size);
  }

  render(job: LogJob): Promise<RenderedLog> {
    if (!this.load.length) {
      this.load.push(...Array.from({ length: this.size }, () => 0));
      this.bytes.push(...Array.from({ length: this.size }, () => 0));
    }
    const slot = this.bytes.reduce((best, bytes, index) => (bytes < this.bytes[best]! ? index : best), 0);
    const worker = this.workers[slot] ?? this.spawn(slot);
    if (this.load[slot]!++ === 0) worker.ref();
    // An empty log still costs a file to open: one byte at least, so it counts.
    const size = Math.max(1, job.log.size);
    this.bytes[slot]! += size;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, size, resolve, reject });
      worker.postMessage({ id, job });
    });
  }

  private spawn(slot: number): Worker {
    const worker = new Worker(new URL('./log-worker.ts', import.meta.url), { workerData: this.data });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      this.bytes[slot]! -= pending.size;
      if (--this.load[slot]! === 0) worker.unref();
      if ('error' in reply) pending.reject(new Error(reply.error));
      else pending.resolve({ ...reply.rendered, html: received(reply.rendered.html) });
    });
    // A worker that fails or stops (out of memory, say) fails the logs it had; a log sent later
    // starts a new one, so the build never waits on a worker that is gone.
    const stopped = (error: Error) => {
      if (this.workers[slot] !== worker) return;
      this.workers[slot] = undefined;
      this.load[slot] = 0;
      this.bytes[slot] = 0;
      for (const [id, pending] of this.pending) {
        if (pending.slot !== slot) continue;
        this.pending.delete(id);
        pending.reject(error);
      }
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`a log rendering thread stopped (exit code ${code})`)));
    this.workers[slot] = worker;
    this.load[slot] = 0;
    this.bytes[slot] = 0;
    return worker;
  }

  async close(): Promise<void> {
    const running = this.workers.filter((worker) => worker !== undefined);
    this.workers.length = 0;
    await Promise.all(running.map((worker) => worker.terminate()));
  }
}

/** The HTML as the log worker sent it: bytes seen as a Buffer again. */
function received(html: ClonedHtml): RenderedLog['html'] {
  if ('entry' in html) return html;
  return { bytes: Buffer.from(html.bytes.buffer, html.bytes.byteOffset, html.bytes.byteLength) };
}
