/**
 * Runs `astro build` in a worker thread for scripts/build/astro-runner.ts. Astro is imported as soon as
 * the thread starts, and the build begins when the site data is ready and the first message
 * arrives with the environment astro.config.mjs reads.
 */
import { mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { AstroBuildRequest } from './astro-runner.ts';

const { root } = workerData as { root: string };
/** What of the project a site build reads: its templates, the pipeline's schemas they import, its config and packages. */
const PROJECT_ENTRIES = ['src', 'public', 'scripts', 'astro.config.mjs', 'package.json', 'tsconfig.json', 'node_modules'];
const astro = import('astro');
// An import that fails is reported when the build is asked for, not as an unhandled rejection.
astro.catch(() => {});

parentPort!.once('message', async ({ environment, syncContent, workDir }: AstroBuildRequest) => {
  try {
    // A worker cannot chdir, but its `process` is its own: only Astro, in this thread, sees it.
    await mkdir(workDir, { recursive: true });
    process.cwd = () => workDir;
    // Astro writes its scratch files (types, content modules, the server build) into `<root>/.astro/`
    // and Vite its own into `<root>/node_modules/.vite/`: with the checkout as the root, every build
    // would share them. So the root Astro sees is the build's own folder, which shows the project's
    // files through links (and the server build's chunks find Astro's packages by name through
    // node_modules). Paths stay those of the root (Vite keeps the links), so the pages are the same bytes.
    for (const name of PROJECT_ENTRIES) await linkTo(path.join(root, name), path.join(workDir, name));
    for (const [name, value] of Object.entries(environment)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const { build } = await astro;
    // `sync` is passed on by build() to Astro's builder (AstroBuilder's option, not in the public
    // type). Were a later Astro to drop it, the content would be synced anyway: slower, same pages.
    await build({ root: workDir, logLevel: 'warn', vite: { cacheDir: path.join(workDir, 'vite'), resolve: { preserveSymlinks: true } } }, { sync: syncContent } as Parameters<typeof build>[1]);
    parentPort!.postMessage({ ok: true });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

/**
 * Makes `link` a symlink to `target`. One left by an earlier build is kept only if it leads there:
 * a cache restored into another checkout (a CI runner's new path) must not read the old one's files.
 */
async function linkTo(target: string, link: string): Promise<void> {
  if ((await readlink(link).catch(() => undefined)) === target) return;
  await rm(link, { force: true });
  await symlink(target, link);
}
