/**
 * Runs `astro build` in a worker thread for scripts/build/astro-runner.ts. Astro is imported as soon as
 * the thread starts, and the build begins when the site data is ready and the first message
 * arrives with the environment astro.config.mjs reads.
 */
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { AstroBuildRequest } from './astro-runner.ts';

const { root } = workerData as { root: string };
const astro = import('astro');
// An import that fails is reported when the build is asked for, not as an unhandled rejection.
astro.catch(() => {});

parentPort!.once('message', async ({ environment, syncContent, workDir }: AstroBuildRequest) => {
  try {
    // A worker cannot chdir, but its `process` is its own: only Astro, in this thread, sees it.
    await mkdir(workDir, { recursive: true });
    process.cwd = () => workDir;
    // The server build's chunks import Astro's own packages by name, found from where they lie.
    await symlink(path.join(root, 'node_modules'), path.join(workDir, 'node_modules'), 'dir').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    for (const [name, value] of Object.entries(environment)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const { build } = await astro;
    // `sync` is passed on by build() to Astro's builder (AstroBuilder's option, not in the public
    // type). Were a later Astro to drop it, the content would be synced anyway: slower, same pages.
    await build({ root, logLevel: 'warn' }, { sync: syncContent } as Parameters<typeof build>[1]);
    parentPort!.postMessage({ ok: true });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
