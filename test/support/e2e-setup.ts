import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildSite } from './build-site.ts';
import { serveStatic } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the served sample site, ending in `/`; empty when the build failed. */
    siteUrl: string;
    /** The built sample site on disk (the build's `--out`). */
    siteDir: string;
    /** Why the sample site is missing, when the build failed; empty otherwise. */
    siteError: string;
  }
}

/**
 * Builds the bundled sample archive once for the whole e2e run and serves it on 127.0.0.1.
 * A failed build does not abort the run: every e2e test then fails with the build's output,
 * so the report counts them instead of hiding them behind one setup error.
 * Set KEEP_E2E_SITE=1 to keep the built site for a look afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'review-archive-e2e-'));
  const siteDir = path.join(tmp, 'dist');
  const started = Date.now();
  let close = async () => {};
  try {
    await buildSite({ out: siteDir, cache: path.join(tmp, 'cache') });
    const server = await serveStatic(siteDir);
    close = server.close;
    project.provide('siteUrl', server.url);
    project.provide('siteError', '');
    console.log(`e2e: built the sample site in ${((Date.now() - started) / 1000).toFixed(1)}s, serving it at ${server.url}`);
  } catch (error) {
    project.provide('siteUrl', '');
    project.provide('siteError', error instanceof Error ? error.message : String(error));
    console.error(`e2e: the sample site did not build; every e2e test will fail.\n${String(error)}`);
  }
  project.provide('siteDir', siteDir);

  return async () => {
    await close();
    if (process.env.KEEP_E2E_SITE) console.log(`e2e: kept the built site in ${siteDir}`);
    else await rm(tmp, { recursive: true, force: true });
  };
}
