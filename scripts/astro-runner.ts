import { Worker } from 'node:worker_threads';

export interface AstroBuildRequest {
  /** Variables to set for astro.config.mjs and the pages; undefined unsets one. */
  environment: Record<string, string | undefined>;
  /**
   * Whether Astro loads the content collections into its content store first, as `astro build`
   * always does. False only when the store already holds exactly this build's collections: the
   * sync costs about 0.7 s, a third of an incremental build.
   */
  syncContent: boolean;
}

/**
 * Astro in a worker thread, started before the content build so that loading Astro (about 0.4 s
 * of an incremental build that takes two) happens on the other core while the archive is read.
 * A fresh thread per build: nothing Astro keeps in its modules outlives the build.
 */
export class AstroRunner {
  private readonly worker: Worker;
  private started = false;

  constructor(projectRoot: string) {
    this.worker = new Worker(new URL('./astro-worker.ts', import.meta.url), { workerData: { root: projectRoot } });
    // Until build() listens, an error (say, Astro failing to load) must not go unhandled; build() reports it.
    this.worker.on('error', () => {});
  }

  /** Runs `astro build` once. */
  build(request: AstroBuildRequest): Promise<void> {
    if (this.started) throw new Error('AstroRunner.build runs once; make a new runner for another build.');
    this.started = true;
    return new Promise<void>((resolve, reject) => {
      this.worker.once('message', (message: { ok?: true; error?: string }) => {
        if (message.error !== undefined) reject(new Error(`Astro failed: ${message.error}`));
        else resolve();
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`The Astro worker stopped (exit code ${code}) before the build finished.`)));
      this.worker.postMessage(request);
    }).finally(() => this.stop());
  }

  /**
   * Stops the thread, after a build or when no build is needed. Not waited for: tearing down
   * Astro's heap takes a quarter of a second, and a thread that is let go cannot keep the build
   * running.
   */
  stop(): void {
    this.worker.unref();
    void this.worker.terminate();
  }
}
