import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { highlightFile, type HighlightedFile, type HighlightRequest } from './highlight-file.ts';
import { registerClasses, type TokenClass } from './tokenizer.ts';

type Pending = { resolve: (lines: HighlightedFile) => void; reject: (error: Error) => void };

/**
 * Highlights files on worker threads, one per core. Each worker keeps its own grammars, so a
 * language is loaded at most once per worker. With one core it highlights in this thread.
 */
export class HighlightPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[] = [];
  private nextId = 0;

  private readonly size: number;

  constructor(size = availableParallelism()) {
    this.size = size;
  }

  /** Workers start on the first file to highlight: a build served from the cache starts none. */
  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(new URL('./highlight-worker.ts', import.meta.url));
      worker.on('message', (message: { id: number; lines?: HighlightedFile; classes?: TokenClass[]; error?: string }) => {
        const pending = this.pending.get(message.id)!;
        this.pending.delete(message.id);
        this.load[i]!--;
        if (message.classes) registerClasses(message.classes);
        if (message.error !== undefined) pending.reject(new Error(message.error));
        else pending.resolve(message.lines!);
      });
      worker.on('error', (error: Error) => {
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  highlight(request: HighlightRequest): Promise<HighlightedFile> {
    if (this.size < 2) return highlightFile(request);
    if (!this.workers.length) this.start();
    // The least busy worker; ties go to the first, which keeps the assignment deterministic.
    const index = this.load.indexOf(Math.min(...this.load));
    this.load[index]!++;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[index]!.postMessage({ id, request });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
