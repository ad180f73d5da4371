import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The project's folder: Astro builds the site in `src/` with `astro.config.mjs`. */
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AstroBuildRequest {
  /** Variables to set for astro.config.mjs and the pages; undefined unsets one. */
  environment: Record<string, string | undefined>;
  /**
   * Whether Astro loads the content collections into its content store first, as `astro build`
   * always does. False only when the store already holds exactly this build's collections: the
   * sync costs about 0.7 s, a third of an incremental build.
   */
  syncContent: boolean;
  /**
   * The folder Astro takes for the project's root and working directory (scripts/build/astro-worker.ts
   * links the project's files into it): Astro writes its types, content modules and server build to
   * `<root>/.astro/` and Vite its cache to `<root>/node_modules/.vite/`, which every build of the
   * checkout would share (one build's clean-up broke another's import of its chunks). Each build
   * passes a folder of its cache.
   */
  workDir: string;
  /**
   * Where the server bundle Astro's build makes is kept between builds, and what it must have been
   * made for (scripts/build/astro-bundle.ts). With it, a build that needs no content sync renders
   * its pages from the kept bundle when it matches, and any other build keeps its own there.
   */
  bundle?: { dir: string; key: string; storeFile: string };
  /**
   * Astro starts before the site data is written: its content sync waits, once its own set-up is
   * done, until dataWritten() says the data is there (src/content.config.ts). A first build starts
   * so while the archive is highlighted (scripts/build/build-site.ts).
   */
  waitForData?: boolean;
}

/**
 * How the pages were rendered: from a server bundle Vite made this time, or from the kept one;
 * `note` says why a kept bundle made for this build was not used (it was damaged).
 */
export type AstroBuildOutcome = { bundle: 'made' | 'reused'; note?: string };

/**
 * Astro in a worker thread of its own: a fresh thread per build, so nothing Astro keeps in its
 * modules outlives the build. Every build starts it (preload) as soon as it starts, so that loading
 * Astro, about 0.4 s of a build that takes two and 1 to 2 s of a first build, happens on the other
 * core while the archive is read and highlighted. A first build used to start it only when the pages
 * were due, because Astro's heap beside two highlighting workers' raised the default corpus's peak
 * memory over 1 GB; since each language stays with one worker (highlight-pool.ts chooseWorker) the
 * workers hold less, and with Astro loaded early the peaks were 777 MiB (that corpus), 905 MiB (pika)
 * and 650-700 MiB (ky).
 */
export class AstroRunner {
  private worker: Worker | undefined;
  private started = false;
  private waiting!: () => void;
  /** Settles when a build started with `waitForData` has got as far as the data (its content sync). */
  readonly waitingForData = new Promise<void>((resolve) => (this.waiting = resolve));

  /**
   * Starts the thread and Astro's import now, ahead of build(); `expectBundle` when the cache has
   * a kept server bundle (scripts/build/astro-bundle.ts), to load only what rendering from it needs.
   */
  preload(expectBundle = false): void {
    this.thread(expectBundle);
  }

  /** Runs `astro build` once. */
  build(request: AstroBuildRequest): Promise<AstroBuildOutcome> {
    if (this.started) throw new Error('AstroRunner.build runs once; make a new runner for another build.');
    this.started = true;
    const worker = this.thread();
    return new Promise<AstroBuildOutcome>((resolve, reject) => {
      worker.on('message', (message: { ok?: true; waitingForData?: true; bundle?: AstroBuildOutcome['bundle']; note?: string; error?: string }) => {
        if (message.waitingForData) this.waiting();
        else if (message.error !== undefined) reject(new Error(`Astro failed: ${message.error}`));
        else resolve({ bundle: message.bundle ?? 'made', ...(message.note && { note: message.note }) });
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The Astro worker stopped (exit code ${code}) before the build finished.`)));
      worker.postMessage(request);
    }).finally(() => this.stop());
  }

  /** Lets a build started with `waitForData` read the site data, now written. */
  dataWritten(): void {
    this.worker?.postMessage({ dataWritten: true });
  }

  /**
   * Stops the thread, after a build or when no build is needed. Not waited for: tearing down
   * Astro's heap takes a quarter of a second, and a thread that is let go cannot keep the build
   * running.
   */
  stop(): void {
    this.worker?.unref();
    void this.worker?.terminate();
  }

  private thread(expectBundle = false): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./astro-worker.ts', import.meta.url), { workerData: { root: PROJECT_ROOT, expectBundle } });
      // Until build() listens, an error (say, Astro failing to load) must not go unhandled; build() reports it.
      this.worker.on('error', () => {});
    }
    return this.worker;
  }
}
