/**
 * Runs `astro build` in a worker thread for scripts/build/astro-runner.ts. Astro is imported as soon as
 * the thread starts, and the build begins when the site data is ready and the first message
 * arrives with the environment astro.config.mjs reads.
 */
import { mkdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { AstroBuildRequest } from './astro-runner.ts';
import { openBundle, sha256 } from './astro-bundle.ts';
import { generateWithBundle, keepBundle, loadGenerateModules } from './astro-generate.ts';

const { root, expectBundle } = workerData as { root: string; expectBundle: boolean };
/** What of the project a site build reads: its templates, the pipeline's schemas they import, its config and packages. */
const PROJECT_ENTRIES = ['src', 'public', 'scripts', 'astro.config.mjs', 'package.json', 'tsconfig.json', 'node_modules'];
// Loading starts with the thread. A build that expects to render from a kept bundle needs only part
// of Astro (its build's own modules, not Vite's bundling); Astro is loaded whole when it does not.
let astro: ReturnType<typeof loadAstro> | undefined;
const loadAstro = () => import('astro');
const loading = expectBundle ? loadGenerateModules() : (astro = loadAstro());
// An import that fails is reported when the build is asked for, not as an unhandled rejection.
loading.catch(() => {});

/** What src/content.config.ts waits for before it reads the site data (see AstroBuildRequest.waitForData). */
const DATA_WRITTEN = Symbol.for('review-archive.data-written');

parentPort!.once('message', async ({ environment, syncContent, workDir, bundle, waitForData }: AstroBuildRequest) => {
  if (waitForData) {
    const written = new Promise<void>((resolve) => {
      parentPort!.on('message', (message: { dataWritten?: true }) => {
        if (message.dataWritten) resolve();
      });
    });
    let told = false;
    (globalThis as { [DATA_WRITTEN]?: () => Promise<void> })[DATA_WRITTEN] = () => {
      // Once: each collection waits. The runner tells whoever asks (AstroRunner.waitingForData).
      if (!told) parentPort!.postMessage({ waitingForData: true });
      told = true;
      return written;
    };
  }
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
    const inlineConfig = { root: workDir, logLevel: 'warn', vite: { cacheDir: path.join(workDir, 'vite'), resolve: { preserveSymlinks: true } } } as const;
    // A content sync would change the store the kept bundle baked in: only a build without one may use it.
    const opened = bundle && !syncContent ? await openBundle(bundle.dir, bundle.key, await fileHash(bundle.storeFile)) : {};
    let note = 'damage' in opened && opened.damage ? `${opened.damage}; the site's templates were bundled again` : undefined;
    if (opened.bundle) {
      try {
        await generateWithBundle(inlineConfig, opened.bundle);
        parentPort!.postMessage({ ok: true, bundle: 'reused' });
        return;
      } catch (error) {
        // Rendering from a kept bundle calls parts of Astro outside its public API (astro-generate.ts):
        // were a later Astro to move them, or the kept bundle not fit, the build goes on the usual
        // way (Vite bundles again and empties the output folder first), slower but never stopped.
        // A page that fails to render fails there too, with its own message.
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        note = `the kept server bundle could not be used (${reason}); the site's templates were bundled again`;
      }
    }
    const { build } = await (astro ??= loadAstro());
    const integrations = bundle ? [keepBundle(bundle.dir, bundle.key)] : [];
    // `sync` is passed on by build() to Astro's builder (AstroBuilder's option, not in the public
    // type). Were a later Astro to drop it, the content would be synced anyway: slower, same pages.
    await build({ ...inlineConfig, integrations }, { sync: syncContent } as Parameters<typeof build>[1]);
    parentPort!.postMessage({ ok: true, bundle: 'made', note });
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

/** The sha256 of a file's bytes; empty for a missing file, which no kept bundle matches. */
async function fileHash(file: string): Promise<string> {
  const bytes = await readFile(file).catch(() => undefined);
  return bytes ? sha256(bytes) : '';
}
