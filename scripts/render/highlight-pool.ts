import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { highlightFile, type HighlightedFile, type HighlightRequest } from './highlight-file.ts';
import { registerClasses, type TokenClass } from './tokenizer.ts';

type Pending = { resolve: (lines: HighlightedFile) => void; reject: (error: Error) => void };

/**
 * Lines a worker highlights before it is replaced by a fresh one. A worker's grammar engine
 * (Oniguruma in WebAssembly) and caches only ever grow, and WebAssembly memory is never given
 * back: on an archive of millions of lines, replacing workers now and then keeps memory flat, for
 * about a second of grammar loading each time.
 */
const LINES_PER_WORKER = 1_500_000;

/**
 * Highlights files on worker threads, one per core. Each worker keeps its own grammars, so a
 * language is loaded at most once per worker (and again after the worker is replaced). With one
 * core it highlights in this thread.
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

  private readonly size: number;
  private readonly linesPerWorker: number;

  constructor(size = availableParallelism(), linesPerWorker = LINES_PER_WORKER) {
    this.size = size;
    this.linesPerWorker = linesPerWorker;
  }

  /** Workers start on the first file to highlight: a build served from the cache starts none. */
  private start(): void {
    for (let slot = 0; slot < this.size; slot++) this.spawn(slot);
  }

  private spawn(slot: number): void {
    const worker = new Worker(new URL('./highlight-worker.ts', import.meta.url));
    worker.on('message', (message: { id: number; lines?: HighlightedFile; classes?: TokenClass[]; error?: string }) => {
      const pending = this.pending.get(message.id)!;
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
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    });
    this.workers[slot] = worker;
    this.load[slot] = 0;
    this.served[slot] = 0;
  }

  /** A worker that has served its share gets no more files; it is replaced once it has none left. */
  private retiring(slot: number): boolean {
    return this.served[slot]! >= this.linesPerWorker;
  }

  highlight(request: HighlightRequest): Promise<HighlightedFile> {
    if (this.size < 2) return highlightFile(request);
    if (!this.workers.length) this.start();
    // The least busy worker that is not retiring; ties go to the first, which keeps the
    // assignment deterministic. If all are retiring, the least busy one takes it anyway.
    const candidates = this.load.map((load, slot) => ({ load: this.retiring(slot) ? load + 1e9 : load, slot }));
    const slot = candidates.reduce((best, next) => (next.load < best.load ? next : best)).slot;
    this.load[slot]!++;
    this.served[slot]! += request.hunks.reduce((sum, hunk) => sum + hunk.length, 0);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[slot]!.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
