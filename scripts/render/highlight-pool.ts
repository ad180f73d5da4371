import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lineCount, skippedFile, type HighlightedFile, type HighlightRequest } from './highlight-file.ts';
import { engineFor, registerClasses, type TokenClass } from './tokenizer.ts';

/**
 * Lines a worker that has a language may have waiting before an idle worker that does not have it
 * takes that language's next file too (see chooseWorker).
 */
export const SPREAD_LINES = 20_000;

const languageKey = (request: HighlightRequest) => `${request.engine ?? engineFor(request.language)}\0${request.language}`;

/** What chooseWorker knows of each worker. */
export interface WorkerLoad {
  /** Lines sent to it and not yet returned. */
  queuedLines: number;
  /** It has served its share and takes files only when every worker has (see LINES_PER_WORKER). */
  retiring: boolean;
  /** It has been sent this file's language before: its grammars are loaded and its lines remembered. */
  hasLanguage: boolean;
  /** The language was planned for it (planLanguages): where a language no worker has yet goes. */
  planned?: boolean;
}

/**
 * The worker a file goes to. A language stays with the workers that already have it: each worker
 * compiles a grammar's regexes and remembers its lines (tokenizer.ts) on its own, so on ky's
 * archive two workers that each took every language spent 15.6 s of CPU against 12.3 s with each
 * language kept to one. A language spreads to a worker that is idle when those that have it have
 * more than `spreadLines` lines waiting, so a history of one language still keeps every core busy.
 * A language no worker has yet goes where it was planned (planLanguages), or else to the least
 * loaded. Among equals, the least loaded, ties to the first. Which worker highlights a file never
 * changes its HTML.
 */
export function chooseWorker(workers: readonly WorkerLoad[], spreadLines = SPREAD_LINES): number {
  const open = workers.map((worker, slot) => ({ ...worker, slot })).filter((worker) => !worker.retiring);
  const eligible = open.length ? open : workers.map((worker, slot) => ({ ...worker, slot }));
  const least = (list: typeof eligible) => list.reduce((best, next) => (next.queuedLines < best.queuedLines ? next : best));
  const homes = eligible.filter((worker) => worker.hasLanguage);
  if (!homes.length) return (eligible.find((worker) => worker.planned) ?? least(eligible)).slot;
  const home = least(homes);
  const idle = eligible.find((worker) => !worker.hasLanguage && worker.queuedLines === 0);
  return idle && home.queuedLines > spreadLines ? idle.slot : home.slot;
}

/**
 * Which of `size` workers each language goes to: the largest first, each to the worker with the
 * fewest lines planned so far (ties to the first); equal sizes in name order, so the plan is the
 * same in every build of the archive.
 */
export function planWorkers(linesByLanguage: ReadonlyMap<string, number>, size: number): Map<string, number> {
  const planned = new Array<number>(Math.max(1, size)).fill(0);
  const plan = new Map<string, number>();
  for (const [language, lines] of [...linesByLanguage].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    const slot = planned.indexOf(Math.min(...planned));
    plan.set(language, slot);
    planned[slot]! += lines;
  }
  return plan;
}

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
  /** Lines each worker has been sent and not yet returned. */
  private readonly queuedLines: number[] = [];
  /** The languages (with their engine) each worker has been sent, so has its grammars loaded and its lines remembered. */
  private readonly languages: Array<Set<string>> = [];
  /** The worker planned for each language (planLanguages). */
  private readonly plan = new Map<string, number>();
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

  private readonly spreadLines: number;

  constructor(size = availableParallelism(), linesPerWorker = LINES_PER_WORKER, watchdogMs = WATCHDOG_SILENCE_MS, spreadLines = SPREAD_LINES) {
    this.size = Math.max(1, size);
    this.linesPerWorker = linesPerWorker;
    this.watchdogMs = watchdogMs;
    this.spreadLines = spreadLines;
  }

  /** Workers start on the first file to highlight (a build served from the cache starts none), or earlier by startWorkers. */
  startWorkers(): void {
    if (this.workers.length) return;
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
      this.queuedLines[slot]! -= lineCount(pending.request);
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
    this.queuedLines[slot] = 0;
    this.languages[slot] = new Set();
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
      this.queuedLines[slot]! += lineCount(pending.request);
      this.languages[slot]!.add(languageKey(pending.request));
      this.workers[slot]!.postMessage({ id, request: pending.request });
    }
  }

  /** A worker that has served its share gets no more files; it is replaced once it has none left. */
  private retiring(slot: number): boolean {
    return this.served[slot]! >= this.linesPerWorker;
  }

  highlight(request: HighlightRequest): Promise<HighlightedFile> {
    this.startWorkers();
    const key = languageKey(request);
    const slot = chooseWorker(
      this.workers.map((_, slot) => ({ queuedLines: this.queuedLines[slot]!, retiring: this.retiring(slot), hasLanguage: this.languages[slot]!.has(key), planned: this.plan.get(key) === slot })),
      this.spreadLines,
    );
    this.load[slot]!++;
    this.queuedLines[slot]! += lineCount(request);
    this.languages[slot]!.add(key);
    this.served[slot]! += lineCount(request);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, request, resolve, reject });
      this.workers[slot]!.postMessage({ id, request });
    });
  }

  /**
   * Plans which worker each language goes to, from how many lines of each the build will send:
   * the largest first, each to the worker with the fewest planned lines. Taken on first sight
   * instead, a history of a few languages of about equal size (the generated corpus) could put the
   * two largest on one worker, which the others then wait for.
   */
  planLanguages(linesByLanguage: ReadonlyMap<string, number>): void {
    const byKey = new Map<string, number>();
    for (const [language, lines] of linesByLanguage) {
      const key = languageKey({ language, hunks: [] });
      byKey.set(key, (byKey.get(key) ?? 0) + lines);
    }
    for (const [key, slot] of planWorkers(byKey, this.size)) this.plan.set(key, slot);
  }

  async close(): Promise<void> {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
