import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lineCount, skippedFile, type HighlightedFile, type HighlightRequest } from './highlight-file.ts';
import { engineFor, registerClasses, type TokenClass } from './tokenizer.ts';

type Pending = { slot: number; request: HighlightRequest; resolve: (lines: HighlightedFile) => void; reject: (error: Error) => void; timer?: NodeJS.Timeout };

/**
 * How long a worker may go without a sign of progress before it is stopped. The file's own budget
 * is checked between lines, and a worker says it is alive at least every second while it works on
 * a file; but a regex stuck inside one line cannot be interrupted from its own thread, and then
 * says nothing. After this long the worker is terminated and replaced, and the file is shown plain.
 * Ordinary lines take under a millisecond of CPU, so even a machine starved to a few percent of a
 * core never gets here by load alone. A file stuck on the JavaScript regex engine is not shown
 * plain but highlighted again with Oniguruma, which finishes where that engine runs away.
 */
export const WATCHDOG_SILENCE_MS = 10_000;

/**
 * Lines a worker highlights before it is replaced by a fresh one. A worker's grammar engine
 * (Oniguruma in WebAssembly) and caches only ever grow, and WebAssembly memory is never given
 * back: on an archive of millions of lines, replacing workers now and then keeps memory flat, for
 * about a second of grammar loading each time.
 */
const LINES_PER_WORKER = 1_500_000;

/**
 * Highlights files on worker threads, one per core (at least one, so a stuck grammar can always be
 * stopped). Each worker keeps its own grammars, so a language is loaded at most once per worker
 * (and again after the worker is replaced).
 */
export class HighlightPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[] = [];
  /** Lines sent to each worker since it started. */
  private readonly served: number[] = [];
  private nextId = 0;
  /** How many workers were replaced after serving their share. */
  replaced = 0;
  /** How many workers were stopped by the watchdog, their file shown plain or highlighted again with Oniguruma. */
  stopped = 0;

  private readonly size: number;
  private readonly linesPerWorker: number;

  private readonly watchdogMs: number;

  constructor(size = availableParallelism(), linesPerWorker = LINES_PER_WORKER, watchdogMs = WATCHDOG_SILENCE_MS) {
    this.size = Math.max(1, size);
    this.linesPerWorker = linesPerWorker;
    this.watchdogMs = watchdogMs;
  }

  /** Workers start on the first file to highlight: a build served from the cache starts none. */
  private start(): void {
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
  }

  private spawn(slot: number): void {
    const worker = new Worker(new URL('./highlight-worker.ts', import.meta.url));
    worker.on('message', (message: { id: number; started?: true; lines?: HighlightedFile; classes?: TokenClass[]; error?: string }) => {
      const pending = this.pending.get(message.id);
      // A stopped worker's last words, or a file already given to its replacement.
      if (this.workers[slot] !== worker || !pending) return;
      if (message.started) {
        // Timed from the worker's last sign of progress on this file, not from when it was queued.
        clearTimeout(pending.timer);
        pending.timer = setTimeout(() => this.stop(slot, message.id), this.watchdogMs);
        return;
      }
      clearTimeout(pending.timer);
      this.pending.delete(message.id);
      this.load[slot]!--;
      if (message.classes) registerClasses(message.classes);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.lines!);
      if (this.retiring(slot) && this.load[slot] === 0) {
        void worker.terminate();
        this.replaced++;
        this.spawn(slot);
      }
    });
    worker.on('error', (error: Error) => {
      if (this.workers[slot] !== worker) return;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    this.workers[slot] = worker;
    this.load[slot] = 0;
    this.served[slot] = 0;
  }

  /**
   * Stops a worker stuck on one file, and replaces it. A file stuck on the JavaScript regex engine
   * goes to the replacement first, to be highlighted with Oniguruma; one stuck on Oniguruma is
   * shown plain (marked as skipped). The files that were waiting for the worker follow.
   */
  private stop(slot: number, stuckId: number): void {
    void this.workers[slot]!.terminate();
    this.stopped++;
    const stuck = this.pending.get(stuckId)!;
    const retry = (stuck.request.engine ?? engineFor(stuck.request.language)) === 'javascript';
    if (retry) {
      stuck.request = { ...stuck.request, engine: 'oniguruma' };
    } else {
      this.pending.delete(stuckId);
      stuck.resolve(skippedFile(stuck.request));
    }
    const waiting = [...this.pending.entries()].filter(([, pending]) => pending.slot === slot);
    this.spawn(slot);
    for (const [id, pending] of waiting) {
      this.load[slot]!++;
      this.workers[slot]!.postMessage({ id, request: pending.request });
    }
  }

  /** A worker that has served its share gets no more files; it is replaced once it has none left. */
  private retiring(slot: number): boolean {
    return this.served[slot]! >= this.linesPerWorker;
  }

  highlight(request: HighlightRequest): Promise<HighlightedFile> {
    if (!this.workers.length) this.start();
    // The least busy worker that is not retiring; ties go to the first, which keeps the
    // assignment deterministic. If all are retiring, the least busy one takes it anyway.
    const candidates = this.load.map((load, slot) => ({ load: this.retiring(slot) ? load + 1e9 : load, slot }));
    const slot = candidates.reduce((best, next) => (next.load < best.load ? next : best)).slot;
    this.load[slot]!++;
    this.served[slot]! += lineCount(request);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, request, resolve, reject });
      this.workers[slot]!.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
